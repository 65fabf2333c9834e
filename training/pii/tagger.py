"""Train the tagger head of the bundled NER (``raikit.guardrails.pii._tagger``).

The head reads the NER's own token vectors (frozen) and learns BILUO tags of the labels raikit
maps to entity types: gold tags on the labelled training examples of the NER, and the NER's own
predictions on unlabelled public text (BOLD Wikipedia openings, Davidson tweets, neuralchemy
prompts) so it keeps what the NER knows beyond the labelled data. Labels raikit drops (MONEY,
CARDINAL, ...) are O. Fixed seeds; a few minutes on one CPU thread.
"""

from __future__ import annotations

import csv
import json
import logging
import random
from pathlib import Path
from typing import Any

import numpy as np

from raikit.guardrails.pii._ner import NER_TO_ENTITY
from raikit.guardrails.pii._tagger import TAGGER_FILE, context_features, ner_tok2vec, tag_index, token_vectors

logger = logging.getLogger(__name__)

# Texts per unlabelled source the head learns the NER's tags on (the script's default; the PII
# benchmark leaves these BOLD texts out of its real-text set).
UNLABELLED_PER_SOURCE = 4000
DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
BOLD = DATA / "bias" / "bold_prompts"
DAVIDSON = DATA / "harm" / "davidson_labeled_data.csv"
NEURALCHEMY = DATA / "injection" / "neuralchemy" / "train.csv"


def head_labels(nlp: Any) -> list[str]:
    """The NER labels raikit maps to an entity type, in the NER's own order."""
    return [label for label in nlp.get_pipe("ner").labels if label in NER_TO_ENTITY]


def unlabelled_texts(n_each: int, seed: int) -> list[str]:
    """Up to ``n_each`` texts from each unlabelled public source that is present."""
    rng = random.Random(seed)
    sources: list[list[str]] = []
    if BOLD.is_dir():
        bold = [p for f in sorted(BOLD.glob("*.json")) for group in json.loads(f.read_text("utf-8")).values()
                for prompts in group.values() for p in prompts]
        sources.append(bold)
    for path, column in ((DAVIDSON, "tweet"), (NEURALCHEMY, "text")):
        if path.is_file():
            with path.open(encoding="utf-8", newline="") as fh:
                sources.append([row[column] for row in csv.DictReader(fh) if row.get(column)])
    out: list[str] = []
    for texts in sources:
        out += rng.sample(texts, min(n_each, len(texts)))
    return out


def tags_of(doc: Any, labels: list[str]) -> np.ndarray:
    """BILUO tag index per token of ``doc`` from its ``ents`` (labels outside ``labels`` are O)."""
    index = {label: j for j, label in enumerate(labels)}
    tags = np.zeros(len(doc), dtype=np.int64)
    for ent in doc.ents:
        j = index.get(ent.label_)
        if j is None:
            continue
        if len(ent) == 1:
            tags[ent.start] = tag_index(j, "U")
            continue
        tags[ent.start] = tag_index(j, "B")
        tags[ent.start + 1 : ent.end - 1] = tag_index(j, "I")
        tags[ent.end - 1] = tag_index(j, "L")
    return tags


def lowercased(nlp: Any, reference: Any) -> Any | None:
    """The gold doc's text in lower case with the same entities (None when lower-casing moves offsets)."""
    text = reference.text.lower()
    if len(text) != len(reference.text):
        return None
    doc = nlp.make_doc(text)
    spans = [doc.char_span(e.start_char, e.end_char, label=e.label_, alignment_mode="expand") for e in reference.ents]
    kept: list[Any] = []
    for span in spans:
        if span is not None and (not kept or span.start >= kept[-1].end):
            kept.append(span)
    doc.ents = kept
    return doc


def features_and_tags(nlp: Any, examples: list[Any], unlabelled: list[str], labels: list[str],
                      lowercase_share: float = 0.0, seed: int = 13) -> tuple[np.ndarray, np.ndarray]:
    """Head inputs and target tags for every token: gold for ``examples`` (and a lower-cased copy of
    ``lowercase_share`` of them: people type names in lower case), the NER's for ``unlabelled``."""
    rng = random.Random(seed)
    teacher = list(nlp.pipe(unlabelled, batch_size=64))
    lower = [d for ex in examples if rng.random() < lowercase_share and (d := lowercased(nlp, ex.reference)) is not None]
    docs = [ex.predicted for ex in examples] + lower + teacher
    targets = [tags_of(ex.reference, labels) for ex in examples] + [tags_of(d, labels) for d in lower + teacher]
    tok2vec = ner_tok2vec(nlp)
    xs: list[np.ndarray] = []
    for start in range(0, len(docs), 256):
        xs += [context_features(v) for v in token_vectors(tok2vec, docs[start : start + 256]) if len(v)]
    ys = [t for t in targets if len(t)]
    return np.concatenate(xs), np.concatenate(ys)


def train_head(x: np.ndarray, y: np.ndarray, labels: list[str], hidden: int = 128, epochs: int = 8,
               seed: int = 13) -> dict[str, np.ndarray]:
    """A ReLU layer and a softmax over the tags, trained with Adam on cross-entropy."""
    import torch

    torch.manual_seed(seed)
    n_tags = 1 + 4 * len(labels)
    model = torch.nn.Sequential(torch.nn.Linear(x.shape[1], hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, n_tags))
    opt = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=1e-5)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    gen = torch.Generator().manual_seed(seed)
    for epoch in range(epochs):
        order = torch.randperm(len(xt), generator=gen)
        total = 0.0
        for i in range(0, len(order), 512):
            idx = order[i : i + 512]
            loss = torch.nn.functional.cross_entropy(model(xt[idx]), yt[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        for group in opt.param_groups:
            group["lr"] *= 0.7
        logger.info("tagger epoch %d: loss %.4f", epoch + 1, total / len(order))
    first, last = model[0], model[2]
    return {"w1": first.weight.detach().numpy().T.copy(), "b1": first.bias.detach().numpy().copy(),
            "w2": last.weight.detach().numpy().T.copy(), "b2": last.bias.detach().numpy().copy(),
            "labels": np.array(labels)}


def save(weights: dict[str, np.ndarray], folder: Path) -> Path:
    path = folder / TAGGER_FILE
    np.savez_compressed(path, **weights)
    return path
