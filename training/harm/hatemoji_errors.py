"""Error analysis of a harm head on the HatemojiBuild held-out (validation) split (raikit issue 14).

The texts are exactly those benchmarks/harm.py scores as "hatemoji" (``load_hatemoji``, split
``"test"``), scored the same way: window features of the model's encoder (cached), the head's
calibrated outputs, max over windows; a text is predicted hateful when
max(hate, hate/threatening) >= 0.5. The set's own fields (type, target, round, original /
perturbation, the matched contrast twin) come from the same CSV rows.

Prints accuracy by gold label, target group, emoji use, type, round and set; how contrast
twins are told apart; threshold-free figures (AUPRC, ROC AUC, the best threshold on this set,
a diagnostic only, never used to pick a model); which emoji the errors carry; whether the
prediction changes when the emoji are removed; and the most confident errors each way (with
``--show`` only: the texts are adversarial hate and are not printed by default).

Run from the project root:

    OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python training/harm/hatemoji_errors.py [--model DIR] [--show 30] [--ceiling]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from raikit.guardrails.harm import HarmModel
from training.harm.cache import cached_window_features
from training.harm.sources import HATEMOJI_DIR, load_hatemoji

_TARGET_GROUPS = {
    "bla": "black people",
    "blawom": "black women",
    "blaman": "black men",
    "mus": "muslims",
    "wom": "women",
    "dis": "disabled",
    "trans": "trans",
    "gay": "gay",
    "gayman": "gay",
    "gaywom": "gay",
    "lgbtqa": "lgbtq",
    "bis": "lgbtq",
    "jew": "jews",
    "arab": "arabs",
    "trav": "travellers",
    "ref": "refugees/immigrants",
    "immig": "refugees/immigrants",
    "for": "refugees/immigrants",
    "wc": "working class",
    "old": "old people",
}


def target_group(raw: str) -> str:
    """A coarse group for the set's target codes ("['asi.east.chin']" -> "asian")."""
    codes = re.findall(r"[\w.]+", raw)
    if not codes or codes == ["none"]:
        return "none"
    if len(codes) > 1:
        return "several"
    code = codes[0]
    if code.startswith("asi"):
        return "asian"
    return _TARGET_GROUPS.get(code, "other")


def emoji_list(text: str) -> list[str]:
    import emoji

    return [m["emoji"] for m in emoji.emoji_list(text)]


def strip_emoji(text: str) -> str:
    import emoji

    return re.sub(r"\s+", " ", emoji.replace_emoji(text, replace=" ")).strip()


def emoji_name(char: str) -> str:
    import emoji

    return str(emoji.EMOJI_DATA.get(char, {}).get("en", char)).strip(":").replace("_", " ")


def hate_scores(model: HarmModel, texts: list[str]) -> np.ndarray:
    """max(hate, hate/threatening) per text, as benchmarks/harm.py scores the bundled model."""
    windows = cached_window_features(texts, model.encoder.window_features)
    out = np.zeros((len(texts), len(model.head.outputs)), np.float32)
    np.maximum.at(out, windows.owner, model.head.predict(windows.features))
    return np.maximum(
        out[:, model.head.outputs.index("hate")], out[:, model.head.outputs.index("hate/threatening")]
    )


def table(title: str, keys: list[str], gold: np.ndarray, pred: np.ndarray) -> None:
    print(f"\n{title}")
    print(f"  {'value':<24}{'n':>5}{'acc':>7}{'hateful n':>11}{'acc':>7}{'not n':>7}{'acc':>7}")
    by: dict[str, list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        by[k].append(i)
    for k in sorted(by, key=lambda v: (-len(by[v]), v)):
        idx = np.array(by[k])
        ok = pred[idx] == gold[idx]
        h, n = gold[idx], ~gold[idx]
        cells = [f"{ok[sel].mean():>7.3f}" if sel.any() else f"{'-':>7}" for sel in (h, n)]
        print(f"  {k:<24}{len(idx):>5}{ok.mean():>7.3f}{h.sum():>11}{cells[0]}{n.sum():>7}{cells[1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[3] / "shared" / "data"))
    parser.add_argument("--model", default=None, help="head folder (default: the bundled model)")
    parser.add_argument("--show", type=int, default=0, help="print this many most confident errors each way")
    parser.add_argument(
        "--ceiling",
        action="store_true",
        help="also fit logistic regressions on HatemojiBuild train only (max-pooled window features)",
    )
    args = parser.parse_args()
    import torch

    torch.set_num_threads(1)
    examples = [e for e in load_hatemoji(args.data) if e.split == "test"]
    with (Path(args.data) / HATEMOJI_DIR / "validation.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["text"] for r in rows] == [e.text for e in examples], "validation.csv order changed"
    texts = [e.text for e in examples]
    gold = np.array([e.labels["hate"] == 1 for e in examples])
    model = HarmModel(args.model)
    score = hate_scores(model, texts)
    pred = score >= 0.5
    ok = pred == gold
    print(f"HatemojiBuild validation: {len(texts)} texts, {gold.sum()} hateful; model {model.model_path}")
    print(
        f"accuracy {ok.mean():.3f}; hateful {ok[gold].mean():.3f} ({(~ok & gold).sum()} missed); "
        f"not hateful {ok[~gold].mean():.3f} ({(~ok & ~gold).sum()} flagged)"
    )

    from sklearn.metrics import average_precision_score, roc_auc_score

    print(
        f"threshold-free: AUPRC {average_precision_score(gold, score):.3f}, ROC AUC {roc_auc_score(gold, score):.3f}"
    )
    grid = np.linspace(0.01, 0.99, 99)
    accs = [((score >= t) == gold).mean() for t in grid]
    best = int(np.argmax(accs))
    print(f"best threshold on this set (diagnostic only): {grid[best]:.2f} -> accuracy {accs[best]:.3f}")
    print(
        "score quantiles (10/25/50/75/90%): hateful "
        + " ".join(f"{q:.2f}" for q in np.quantile(score[gold], [0.1, 0.25, 0.5, 0.75, 0.9]))
        + "; not hateful "
        + " ".join(f"{q:.2f}" for q in np.quantile(score[~gold], [0.1, 0.25, 0.5, 0.75, 0.9]))
    )

    emojis = [emoji_list(t) for t in texts]
    n_emoji = ["0" if not e else "1" if len(e) == 1 else "2+" for e in emojis]
    words = [len(re.findall(r"[A-Za-z]{2,}", strip_emoji(t))) for t in texts]
    only = [
        "emoji only / <=2 words" if w <= 2 else "words + emoji" if e else "words only"
        for w, e in zip(words, emojis)
    ]
    table("by gold label", ["hateful" if g else "not hateful" for g in gold], gold, pred)
    table("by number of emoji", n_emoji, gold, pred)
    table("by words vs emoji", only, gold, pred)
    table("by type", [r["type"] for r in rows], gold, pred)
    table(
        "by target group (the set codes targets of hateful texts only)",
        [target_group(r["target"]) for r in rows],
        gold,
        pred,
    )
    table("by round", [r["round.base"] for r in rows], gold, pred)
    table("by round.set (a: original entries, b: perturbations)", [r["round.set"] for r in rows], gold, pred)
    table("by set", [r["set"] for r in rows], gold, pred)

    # contrast twins: a perturbation and the entry it was made from, both in this split
    by_id = {r["entry_id"]: i for i, r in enumerate(rows)}
    pairs = []
    for i, r in enumerate(rows):
        j = by_id.get(r["matched_id"])
        if j is not None and i < j:
            pairs.append((i, j))
    flip = [(i, j) for i, j in pairs if gold[i] != gold[j]]
    same_pred = sum(pred[i] == pred[j] for i, j in flip)
    both_ok = sum(ok[i] and ok[j] for i, j in flip)
    gap = [abs(score[i] - score[j]) for i, j in flip]
    right_order = sum((score[i] > score[j]) == gold[i] for i, j in flip)
    one_emoji = 0
    one_emoji_same = 0
    for i, j in flip:
        a, b = strip_emoji(texts[i]), strip_emoji(texts[j])
        if a == b:
            one_emoji += 1
            one_emoji_same += pred[i] == pred[j]
    print(f"\ncontrast twins in this split: {len(pairs)} pairs, {len(flip)} with opposite gold labels")
    print(
        f"  opposite-label twins given the same prediction: {same_pred}; both right: {both_ok}; "
        f"hateful twin scored higher: {right_order}; median score gap {np.median(gap):.3f}"
    )
    print(
        f"  twins whose words are identical (only emoji differ): {one_emoji}, same prediction: {one_emoji_same}"
    )

    # does the prediction depend on the emoji at all?
    stripped = [strip_emoji(t) or "." for t in texts]
    s_score = hate_scores(model, stripped)
    s_pred = s_score >= 0.5
    has = np.array([bool(e) for e in emojis])
    print(
        f"\nemoji removed: prediction unchanged on {(s_pred == pred)[has].mean():.3f} of {has.sum()} texts with emoji; "
        f"accuracy without emoji {(s_pred == gold).mean():.3f} (with {ok.mean():.3f}); "
        f"mean |score change| {np.abs(s_score - score)[has].mean():.3f}"
    )
    for name, sel in (("errors", ~ok & has), ("right", ok & has)):
        print(
            f"  {name}: prediction unchanged without emoji {(s_pred == pred)[sel].mean():.3f} (n={sel.sum()})"
        )

    # emoji in the errors
    print("\nemoji most often in missed hateful texts (count in misses / in hateful texts):")
    miss = Counter(c for i in np.where(~ok & gold)[0] for c in set(emojis[i]))
    hate_all = Counter(c for i in np.where(gold)[0] for c in set(emojis[i]))
    print("  " + "; ".join(f"{emoji_name(c)} {n}/{hate_all[c]}" for c, n in miss.most_common(15)))
    print("emoji most often in flagged non-hateful texts (count in false alarms / in non-hateful texts):")
    fa = Counter(c for i in np.where(~ok & ~gold)[0] for c in set(emojis[i]))
    not_all = Counter(c for i in np.where(~gold)[0] for c in set(emojis[i]))
    print("  " + "; ".join(f"{emoji_name(c)} {n}/{not_all[c]}" for c, n in fa.most_common(15)))

    if args.ceiling:
        ceiling(model, args.data, texts, gold)

    order_fn = np.argsort(score)
    fn = [i for i in order_fn if gold[i] and not pred[i]][: max(args.show, 30)]
    fp = [i for i in order_fn[::-1] if not gold[i] and pred[i]][: max(args.show, 30)]
    for title, idx in (
        ("30 most confident misses (hateful, lowest scores)", fn),
        ("30 most confident false alarms (not hateful, highest scores)", fp),
    ):
        idx = idx[:30]
        print(f"\n{title}: score range {score[idx].min():.3f}-{score[idx].max():.3f}")
        for field in ("type", "round.set", "set"):
            print(
                f"  {field}: "
                + ", ".join(f"{k} {v}" for k, v in Counter(rows[i][field] for i in idx).most_common())
            )
        print(
            "  target: "
            + ", ".join(
                f"{k} {v}" for k, v in Counter(target_group(rows[i]["target"]) for i in idx).most_common()
            )
        )
        print(
            f"  with a twin of the other label in the split: "
            f"{sum(1 for i in idx if by_id.get(rows[i]['matched_id']) is not None and gold[by_id[rows[i]['matched_id']]] != gold[i])}"
        )
        if args.show:
            for i in idx[: args.show]:
                print(f"    {score[i]:.3f} {rows[i]['type']:<22} {texts[i]!r}")


def ceiling(model: HarmModel, data: str, texts: list[str], gold: np.ndarray) -> None:
    """What the frozen features give on this split when trained on HatemojiBuild train alone.

    Logistic regression on the element-wise max of each text's window features (standardised);
    opposite-label contrast twins of the train split weighted 1x or 3x. A diagnostic of the
    features, not a model: C is shown over a small grid, none is chosen.
    """
    from sklearn.linear_model import LogisticRegression

    from training.harm.sources import hatemoji_train_twins

    train = [e for e in load_hatemoji(data) if e.split == "train"]
    twins = hatemoji_train_twins(data)

    def pooled(batch: list[str]) -> np.ndarray:
        windows = cached_window_features(batch, model.encoder.window_features)
        out = np.full((len(batch), windows.features.shape[1]), -np.inf, np.float32)
        np.maximum.at(out, windows.owner, windows.features)
        return out

    x_train, x_test = pooled([e.text for e in train]), pooled(texts)
    mean, std = x_train.mean(0), x_train.std(0) + 1e-4
    y_train = np.array([e.labels["hate"] == 1 for e in train])
    print("\nfrozen-feature ceiling: logistic regression on HatemojiBuild train only")
    for twin_weight in (1.0, 3.0):
        weight = np.array([twin_weight if e.text in twins else 1.0 for e in train])
        for c in (0.003, 0.01, 0.03):
            lr = LogisticRegression(C=c, max_iter=3000).fit(
                (x_train - mean) / std, y_train, sample_weight=weight
            )
            pred = lr.predict_proba((x_test - mean) / std)[:, 1] >= 0.5
            print(
                f"  twins x{twin_weight:g}, C {c:g}: accuracy {(pred == gold).mean():.3f} "
                f"(hateful {pred[gold].mean():.3f}, not {(~pred)[~gold].mean():.3f})"
            )


if __name__ == "__main__":
    main()
