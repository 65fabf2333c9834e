"""Public harm and benign data sets beyond Davidson and moderation, each with a fixed held-out split.

Every loader returns :class:`training.harm.datasets.Example` rows whose ``split`` is
``"train"`` or ``"test"``; the split is a salted hash of a grouping key (a HatemojiBuild
contrast pair, a Stormfront user, a ToxiGen statement, a question id), so near-duplicates
never sit on both sides and the split does not depend on the order of the file.

- HatemojiBuild (CC BY 4.0): its own train split trains, its validation split is held out
  (its test split and HatemojiCheck are never used).
- ToxiGen statement lists (MIT; research use, see the model card): hateful and neutral
  statements about 13 groups, de-duplicated, 20% of statements held out, at most
  ``per_file`` statements per file per split.
- Stormfront (CC BY-SA 3.0): forum sentences labelled hate / noHate; 20% of users held out.
- jailbreak_llms forbidden questions (MIT): requests by policy category; half held out.
- Self-Instruct seed tasks (Apache-2.0): benign human-written instructions; 40% held out.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import re
import tarfile
from pathlib import Path

from raikit.errors import InputError
from raikit.guardrails.harm._categories import ANY, CATEGORIES, HARM_CATEGORIES
from training.harm.datasets import Example, Labels

HATEMOJI_DIR = "harm/hatemoji_build"
TOXIGEN_DIR = "harm/toxigen_statements"
STORMFRONT_DIR = "harm/stormfront"
FORBIDDEN_FILE = "injection/jailbreak_llms/forbidden_question_set.clean.csv"
SELF_INSTRUCT_FILE = "benign/self_instruct_seed_tasks.jsonl"
HH_FILE = "harm/hh_rlhf_red_team/test.jsonl.gz"

FORBIDDEN_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Hate Speech": ("hate", "harassment"),
    "Physical Harm": ("violence",),
    "Pornography": ("sexual",),
}
"""Forbidden-question policies that are raikit harm categories (others: harmless for them)."""
FORBIDDEN_UNKNOWN = ("Illegal Activity", "Malware", "Fraud", "Privacy Violence", "Economic Harm")
"""Policies whose questions may touch violence: their raikit labels stay unknown."""


def held_out(key: str, fraction: float, salt: str) -> bool:
    """Whether ``key`` falls in the held-out ``fraction`` (a stable hash, not the row order)."""
    digest = hashlib.sha256(f"{salt}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < fraction


def full_labels(*positive: str, offensive: int | None = None) -> Labels:
    """0/1 for every harm category and ``any``; ``offensive`` as given."""
    out: Labels = {c: int(c in positive) for c in CATEGORIES}
    out[ANY] = int(any(out[c] for c in HARM_CATEGORIES))
    out["offensive"] = offensive
    return out


def hate_only_labels(hateful: bool) -> Labels:
    """Labels of a hate data set: ``hate`` known, ``hate/threatening`` 0 when not hateful.

    A hateful text is harmful (``any`` 1); a non-hateful one is not known to be harmless in
    every other category, so those stay unknown except the ones such data never contain.
    """
    out: Labels = {c: None for c in CATEGORIES}
    out.update({"hate": int(hateful), ANY: 1 if hateful else None, "sexual/minors": 0, "self-harm": 0})
    if not hateful:
        out["hate/threatening"] = 0
    return out


def _open_error(path: Path, err: Exception) -> InputError:
    return InputError(f"cannot read {path}: {type(err).__name__}")


def load_hatemoji(data_dir: str | Path) -> list[Example]:
    """HatemojiBuild train (``train``) and validation (``test``) rows; non-hateful ones are
    harmless in every category (the set is adversarial hate and its minimal contrasts)."""
    out: list[Example] = []
    for name, split in (("train.csv", "train"), ("validation.csv", "test")):
        path = Path(data_dir) / HATEMOJI_DIR / name
        try:
            with path.open(newline="", encoding="utf-8") as handle:
                rows = list(csv.DictReader(handle))
            for row in rows:
                hateful = row["label_gold"] == "1"
                threat = hateful and row["type"] == "threateninglanguage"
                positive = ("hate", "hate/threatening", "violence") if threat else ("hate",) if hateful else ()
                labels = full_labels(*positive)
                out.append(Example(row["text"], labels, "hatemoji", split))
        except (OSError, KeyError) as err:
            raise _open_error(path, err) from err
    return out


def hatemoji_train_twins(data_dir: str | Path) -> set[str]:
    """Texts of HatemojiBuild train rows whose contrast twin (``matched_id``) is a train row
    with the opposite gold label (the minimal pairs the set was built around)."""
    path = Path(data_dir) / HATEMOJI_DIR / "train.csv"
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        label = {r["entry_id"]: r["label_gold"] for r in rows}
        return {r["text"] for r in rows if label.get(r["matched_id"], r["label_gold"]) != r["label_gold"]}
    except (OSError, KeyError) as err:
        raise _open_error(path, err) from err


def load_toxigen(data_dir: str | Path, per_file: int = 120, held_per_file: int = 30) -> list[Example]:
    """De-duplicated ToxiGen statements: ``hate_*`` files hateful, ``neutral_*`` harmless."""
    folder = Path(data_dir) / TOXIGEN_DIR
    files = sorted(folder.glob("*_1k.txt"))
    if not files:
        raise InputError(f"no ToxiGen statement files (*_1k.txt) in {folder}")
    out: list[Example] = []
    taken: set[str] = set()  # a statement in several files is kept once (its first file)
    for path in files:
        hateful = path.name.startswith("hate_")
        seen: dict[str, None] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            for part in line.split("\\n"):
                text = part.strip().lstrip("-").strip()
                if 10 <= len(text) <= 400 and text not in taken:
                    seen.setdefault(text, None)
        statements = sorted(seen, key=lambda t: hashlib.sha256(t.encode()).hexdigest())
        counts = {"train": 0, "test": 0}
        for text in statements:
            split = "test" if held_out(text, 0.2, "toxigen") else "train"
            if counts[split] >= (per_file if split == "train" else held_per_file):
                continue
            counts[split] += 1
            taken.add(text)
            labels = full_labels("hate") if hateful else full_labels()
            out.append(Example(text, labels, "toxigen", split))
    return out


def load_stormfront(data_dir: str | Path, no_hate_per_hate: float = 2.0) -> list[Example]:
    """Stormfront sentences (hate / noHate; other labels skipped), 20% of users held out.

    All hate sentences and a fixed sample of ``no_hate_per_hate`` noHate sentences per hate one.
    """
    folder = Path(data_dir) / STORMFRONT_DIR
    meta_path, tar_path = folder / "annotations_metadata.csv", folder / "all_files.tar.gz"
    try:
        with meta_path.open(newline="", encoding="utf-8") as handle:
            meta = [r for r in csv.DictReader(handle) if r["label"] in ("hate", "noHate")]
        texts: dict[str, str] = {}
        with tarfile.open(tar_path, "r:gz") as tar:
            for member in tar.getmembers():
                if member.isfile() and member.name.endswith(".txt"):
                    handle = tar.extractfile(member)
                    if handle is not None:
                        texts[Path(member.name).stem] = handle.read().decode("utf-8", "replace").strip()
    except (OSError, KeyError, tarfile.TarError) as err:
        raise _open_error(folder, err) from err
    n_hate = sum(r["label"] == "hate" for r in meta)
    keep_no = round(n_hate * no_hate_per_hate)
    no_hate = sorted(
        (r for r in meta if r["label"] == "noHate"), key=lambda r: hashlib.sha256(r["file_id"].encode()).hexdigest()
    )
    chosen = {r["file_id"] for r in no_hate[:keep_no]}
    out: list[Example] = []
    for row in meta:
        text = texts.get(row["file_id"], "")
        if not text or (row["label"] == "noHate" and row["file_id"] not in chosen):
            continue
        split = "test" if held_out(row["user_id"], 0.2, "stormfront") else "train"
        out.append(Example(text, hate_only_labels(row["label"] == "hate"), "stormfront", split))
    return out


def load_forbidden_questions(data_dir: str | Path) -> list[Example]:
    """The forbidden questions; policies mapped by :data:`FORBIDDEN_CATEGORIES`, odd ids held out."""
    path = Path(data_dir) / FORBIDDEN_FILE
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        out = []
        for row in rows:
            policy = row["content_policy_name"]
            if policy in FORBIDDEN_CATEGORIES:
                labels = full_labels(*FORBIDDEN_CATEGORIES[policy], offensive=None)
            elif policy in FORBIDDEN_UNKNOWN:
                labels = full_labels(offensive=None)
                labels.update({"violence": None, ANY: None})
            else:
                labels = full_labels(offensive=0)
            split = "test" if int(row["q_id"]) % 2 else "train"
            out.append(Example(row["question"].strip(), labels, f"forbidden:{policy}", split))
    except (OSError, KeyError, ValueError) as err:
        raise _open_error(path, err) from err
    return out


def load_self_instruct(data_dir: str | Path) -> list[Example]:
    """Benign human-written instructions (with their first input, if any), 40% held out."""
    import json

    path = Path(data_dir) / SELF_INSTRUCT_FILE
    try:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        out = []
        for row in rows:
            text = row["instruction"].strip()
            instances = row.get("instances") or []
            if instances and instances[0].get("input"):
                text = f"{text}\n{instances[0]['input'].strip()}"
            split = "test" if held_out(row["id"], 0.4, "self-instruct") else "train"
            out.append(Example(text, full_labels(offensive=0), "self_instruct", split))
    except (OSError, KeyError, ValueError) as err:
        raise _open_error(path, err) from err
    return out


def hh_first_requests(data_dir: str | Path) -> list[str]:
    """First human turns of the HH red-team dialogues (unlabelled; for inspection only)."""
    path = Path(data_dir) / HH_FILE
    import json

    with gzip.open(path, "rt", encoding="utf-8") as handle:
        turns = [json.loads(line)["chosen"] for line in handle if line.strip()]
    first = [re.split(r"\n\nAssistant:", t.split("Human:", 1)[-1])[0].strip() for t in turns]
    return list(dict.fromkeys(first))
