"""Training and benchmark data for the injection model: public sets plus raikit's written cases.

Every example is a :class:`Example`: a text, its labels per output (``None`` = unknown, not
trained), a source name (for leave-one-source-out benchmarks) and a group (texts of one group
always fall in the same calibration fold).

Outputs:
    direct: the text tries to override or extract the assistant's instructions.
    jailbreak: the text tries to get around the assistant's rules (role-play personas, DAN,
        encodings, many-shot, adversarial suffixes, fictional framing).
    indirect: the text (a segment of a document or tool result) addresses the assistant with
        an instruction. Inside a document, any instruction to the model is an injection, even
        a harmless one (BIPIA's threat model); in a user prompt it is normal, so this output
        is only used on documents and tool results.
    any: direct or jailbreak (what the prompt path uses).
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from raikit.guardrails.injection._segments import segments

HERE = Path(__file__).resolve().parent
OUTPUTS = ("direct", "jailbreak", "indirect", "any")
SEED = 16
MAX_CHARS = 1000
"""Prompts are cut to their first 1,000 characters (encoding cost on 2 shared cores)."""
CAPS = {
    "neuralchemy:hackaprompt": 500,
    "neuralchemy:neuralchemy_v1": 500,
    "jailbreak_llms": 250,
    "forbidden_questions": 150,
}
"""At most this many examples of a source (the first ones in file order): the encoder runs on
2 shared cores, so the training set is kept to about 5,000 texts."""

DIRECT = {
    "direct_injection", "instruction_override", "prompt_injection", "system_extraction", "prompt_extraction",
    "prompt_leak", "training_extraction", "output_manipulation", "response_manipulation", "system_manipulation",
    "context_confusion", "model_fingerprinting", "payload_injection", "code_execution", "control",
    "token_injection", "agent_manipulation", "rag_poisoning", "indirect_injection",
}
JAILBREAK = {
    "jailbreak", "persona_replacement", "adversarial", "encoding", "token_smuggling", "many_shot", "crescendo",
    "multi_turn", "encoding_obfuscation", "chain_of_thought",
}


@dataclass(frozen=True)
class Example:
    """One training or test text."""

    text: str
    labels: tuple[float | None, ...]
    source: str
    group: str
    kind: str  # "prompt" or "segment" (a piece of a document)


def _labels(direct: float | None, jailbreak: float | None, indirect: float | None) -> tuple[float | None, ...]:
    known = [v for v in (direct, jailbreak) if v is not None]
    any_ = max(known) if known else None
    return (direct, jailbreak, indirect, any_)


def _jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def neuralchemy(data: Path) -> list[Example]:
    """neuralchemy train + val; the source is the upstream origin (hackaprompt, ...)."""
    out = []
    for split in ("train", "val"):
        with (data / "injection" / "neuralchemy" / f"{split}.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                text = row["text"].strip()[:MAX_CHARS]
                if not text:
                    continue
                cat = row["category"]
                origin = row["source"] or "neuralchemy_v1"
                if row["label"] == "1":
                    direct = 1.0 if cat in DIRECT else 0.0
                    jail = 1.0 if cat in JAILBREAK else 0.0
                    if not direct and not jail:
                        direct = 1.0
                    labels = _labels(direct, jail, 1.0)
                else:
                    labels = _labels(0.0, 0.0, 1.0)  # a benign request: an instruction all the same
                source = f"neuralchemy:{origin}" if row["label"] == "1" else f"neuralchemy_benign:{split}"
                out.append(Example(text, labels, source, row["group_id"] or text[:40], "prompt"))
    return out


def jailbreak_llms(data: Path) -> list[Example]:
    """In-the-wild jailbreak prompts (positives) and forbidden questions (plain, no jailbreak)."""
    folder = data / "injection" / "jailbreak_llms"
    out = []
    with (folder / "jailbreak_prompts_2023_05_07.clean.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            text = row["prompt"].strip()[:MAX_CHARS]
            if text:
                out.append(Example(text, _labels(None, 1.0, 1.0), "jailbreak_llms", f"jb:{row['community_id'] or text[:40]}", "prompt"))
    with (folder / "forbidden_question_set.clean.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            text = row["question"].strip()
            out.append(Example(text, _labels(0.0, 0.0, 1.0), "forbidden_questions", f"fq:{row['q_id']}", "prompt"))
    return out


def self_instruct(data: Path) -> list[Example]:
    """Human-written benign instructions (with their inputs where given)."""
    out = []
    for row in _jsonl(data / "benign" / "self_instruct_seed_tasks.jsonl"):
        inst = row["instruction"].strip()
        inputs = [i.get("input", "") for i in row.get("instances", [])]
        text = f"{inst}\n{inputs[0]}".strip() if inputs and inputs[0] else inst
        out.append(Example(text, _labels(0.0, 0.0, 1.0), "self_instruct", f"si:{row['id']}", "prompt"))
    return out


def written(name: str = "all") -> list[Example]:
    """raikit's written cases: benign look-alikes, attacks and benign documents (segments)."""
    out = []
    for i, row in enumerate(_jsonl(HERE / "benign_lookalikes.jsonl")):
        out.append(Example(row["text"], _labels(0.0, 0.0, 1.0), "written_benign", f"wb:{i}", "prompt"))
    for i, row in enumerate(_jsonl(HERE / "attacks.jsonl")):
        fam = row["family"]
        labels = _labels(1.0 if fam in ("direct", "indirect") else 0.0, 1.0 if fam == "jailbreak" else 0.0, 1.0)
        out.append(Example(row["text"], labels, "written_attack", f"wa:{i}", "prompt"))
    for i, row in enumerate(_jsonl(HERE / "documents.jsonl")):
        for seg in segments(row["text"]):
            out.append(Example(row["text"][seg.start : seg.end], _labels(0.0, 0.0, 0.0), "written_docs", f"wd:{i}", "segment"))
    return out


TEMPLATED_BENIGN = 800
"""Templated benign prompts built from Presidio's synthetic sentences (translation, formatting)."""


def templated_benign(data: Path, limit: int = TEMPLATED_BENIGN, seed: int = SEED) -> list[Example]:
    """Translation and formatting requests around sentences with personal details (negatives).

    Templates and languages: ``benign_templates.json``; sentences: Presidio's synthetic dev
    set (``pii/presidio_synth_dev.json``), which is full of names, addresses and numbers, the
    look of "Translate to German. My name is ..." that model 1.0 flagged.
    """
    spec = json.loads((HERE / "benign_templates.json").read_text(encoding="utf-8"))
    rows = json.loads((data / "pii" / "presidio_synth_dev.json").read_text(encoding="utf-8"))
    sentences = [r["full_text"].strip() for r in rows if len(r["full_text"].strip()) >= 12]
    rng = random.Random(seed)
    out = []
    for i, text in enumerate(rng.sample(sentences, min(limit, len(sentences)))):
        template = rng.choice(spec["templates"])
        prompt = template.format(text=text, lang=rng.choice(spec["languages"]))
        out.append(Example(prompt, _labels(0.0, 0.0, 1.0), "templated_benign", f"tb:{i}", "prompt"))
    return out


HARM_PROMPTS = Path(__file__).resolve().parents[1] / "harm" / "data"


def harm_prompts(split: str) -> list[Example]:
    """raikit's written prompts of the harm model (system prompts, look-alikes, unsafe requests).

    None is an injection: a plain harmful request is the harm check's business. ``split`` is
    ``train`` (trained on) or ``heldout`` (measured only, by the benchmark).
    """
    out = []
    for i, row in enumerate(_jsonl(HARM_PROMPTS / f"prompts_{split}.jsonl")):
        kind = "unsafe" if row["kind"].startswith("unsafe") else "benign"
        out.append(Example(row["text"], _labels(0.0, 0.0, 1.0), f"harm_prompts_{kind}:{split}", f"hp:{split}:{i}", "prompt"))
    return out


BIPIA_ROWS = {"email": 50, "code": 25, "table": 15}


def social_posts(data: Path, limit: int = 600) -> list[Example]:
    """WNUT-17 training posts (real social-media text) as document segments without injection."""
    out: list[Example] = []
    words: list[str] = []
    path = data / "pii" / "wnut17" / "wnut17train.conll"
    for line in path.open(encoding="utf-8"):
        token = line.split("\t")[0].strip()
        if token:
            words.append(token)
            continue
        if words:
            text = " ".join(words)
            for seg in segments(text):
                out.append(Example(text[seg.start : seg.end], _labels(0.0, 0.0, 0.0), "wnut17_posts", f"wn:{len(out)}", "segment"))
            words = []
        if len(out) >= limit:
            break
    return out


def bipia_contexts(data: Path, kind: str, limit_chars: int = 2000, limit_rows: int | None = None) -> list[str]:
    """Clean BIPIA contexts of one kind (email, table, code): the first ``limit_rows``, each cut to ``limit_chars``."""
    out = []
    for row in _jsonl(data / "injection" / "bipia" / f"{kind}_train.jsonl"):
        ctx = row["context"]
        ctx = "\n".join(ctx) if isinstance(ctx, list) else str(ctx)
        if kind == "code" and row.get("error"):
            ctx = "\n".join(row["error"]) + "\n" + ctx
        ctx = ctx.strip()[:limit_chars]
        if ctx:
            out.append(ctx)
        if len(out) >= (limit_rows or BIPIA_ROWS[kind]):
            break
    return out


def bipia_attacks(data: Path, kind: str) -> dict[str, list[str]]:
    """BIPIA training attacks by category (kind: text or code)."""
    return json.loads((data / "injection" / "bipia" / f"{kind}_attack_train.json").read_text(encoding="utf-8"))


def bipia_segments(data: Path, kinds: tuple[str, ...], attack_kinds: tuple[str, ...]) -> list[Example]:
    """Segments of clean BIPIA contexts (negatives) and BIPIA attacks (indirect positives)."""
    out = []
    for kind in kinds:
        for i, ctx in enumerate(bipia_contexts(data, kind)):
            for seg in segments(ctx):
                out.append(Example(ctx[seg.start : seg.end], _labels(0.0, 0.0, 0.0), f"bipia_{kind}", f"b{kind}:{i}", "segment"))
    for kind in attack_kinds:
        for cat, attacks in bipia_attacks(data, kind).items():
            for j, attack in enumerate(attacks):
                out.append(Example(attack, _labels(None, None, 1.0), f"bipia_attack_{kind}", f"ba:{cat}", "segment"))
    return out


def inject(context: str, attack: str, rng: random.Random) -> str:
    """Insert ``attack`` into ``context`` at its start, a sentence/line boundary or its end."""
    bounds = [0, len(context)] + [s.end for s in segments(context)][:-1]
    at = rng.choice(bounds)
    before, after = context[:at].rstrip(), context[at:].lstrip()
    sep = rng.choice([" ", "\n", "\n\n"])
    return (before + sep if before else "") + attack + (sep + after if after else "")


def bipia_documents(data: Path, kind: str, attack_kind: str, seed: int = SEED) -> tuple[list[str], list[int]]:
    """Test documents: every clean context once as is and once with a random BIPIA attack."""
    rng = random.Random(seed)
    attacks = [a for group in bipia_attacks(data, attack_kind).values() for a in group]
    docs, labels = [], []
    for ctx in bipia_contexts(data, kind):
        docs.append(ctx)
        labels.append(0)
        docs.append(inject(ctx, rng.choice(attacks), rng))
        labels.append(1)
    return docs, labels


def capped(examples: list[Example]) -> list[Example]:
    """The first :data:`CAPS` examples of each capped source, all of the others."""
    seen: dict[str, int] = {}
    out = []
    for ex in examples:
        seen[ex.source] = seen.get(ex.source, 0) + 1
        if seen[ex.source] <= CAPS.get(ex.source, 10**9):
            out.append(ex)
    return out


def all_examples(data: Path) -> list[Example]:
    """Everything the shipped model trains on (sources capped by :data:`CAPS`)."""
    return capped(
        [
            *neuralchemy(data),
            *jailbreak_llms(data),
            *self_instruct(data),
            *written(),
            *templated_benign(data),
            *harm_prompts("train"),
            *bipia_segments(data, ("email", "table", "code"), ("text", "code")),
            *social_posts(data),
        ]
    )
