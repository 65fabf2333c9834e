"""A per-token decoder for a spaCy NER: a small softmax head on the NER's own token vectors.

spaCy's NER reads its token vectors (``tok2vec``) once per text and then decides the entities
one transition at a time in a compiled loop; on a short prompt that loop costs more than the
vectors. A model folder holding ``tagger.npz`` is read instead by :class:`TaggedNer`: the same
tokenizer and token vectors, then a two-layer head over each token and its two neighbours gives
BILUO tag probabilities for all tokens at once, and a constrained Viterbi pass (``B``/``I``
continue an entity, ``L``/``U``/``O`` close one) picks the best valid tag sequence.

``tagger.npz`` holds ``w1`` (3 x width, hidden), ``b1``, ``w2`` (hidden, tags), ``b2`` and
``labels`` (tag ``1 + 4 j + k`` is B/I/L/U of label ``j`` for ``k`` = 0..3, tag 0 is O). It is
trained by ``scripts/train_pii_ner.py`` (``training/pii/tagger.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

TAGGER_FILE = "tagger.npz"
_KEYS = ("w1", "b1", "w2", "b2", "labels")


def tag_index(label: int, part: str) -> int:
    """Index of tag ``part`` (one of ``"BILU"``) of label number ``label``; O is 0."""
    return 1 + 4 * label + "BILU".index(part)


def context_features(vectors: np.ndarray) -> np.ndarray:
    """Each token's vector beside its left and right neighbours' (zeros past either end)."""
    pad = np.zeros((1, vectors.shape[1]), dtype=vectors.dtype)
    return np.concatenate(
        [np.concatenate([pad, vectors[:-1]]), vectors, np.concatenate([vectors[1:], pad])], axis=1
    )


def viterbi(log_probs: np.ndarray) -> list[tuple[int, int, int]]:
    """Best valid BILUO sequence of one text as ``(start, end, label)`` token spans.

    Two kinds of state: outside an entity (after O, L or U, and at the start) and inside an
    entity of label ``j`` (after its B or I). A text must end outside.
    """
    n, n_tags = log_probs.shape
    n_labels = (n_tags - 1) // 4
    tags = log_probs[:, 1:].reshape(n, n_labels, 4)
    b, i, last, u = tags[:, :, 0], tags[:, :, 1], tags[:, :, 2], tags[:, :, 3]
    # Best way to stay outside at a token without an entity ending there: O or the best U.
    best_u = u.argmax(axis=1)
    stay = np.maximum(log_probs[:, 0], u[np.arange(n), best_u])
    stay_is_u = u[np.arange(n), best_u] > log_probs[:, 0]
    out = stay[0]
    inside = b[0].copy()
    # Back pointers: outside came from outside (-1) or from closing label j; inside j from
    # outside (B) or from inside j (I).
    out_from = np.full(n, -1, dtype=np.int64)
    in_from_out = np.ones((n, n_labels), dtype=bool)
    for t in range(1, n):
        close = inside + last[t]
        j = int(close.argmax())
        from_out = out + stay[t]
        new_out = max(from_out, float(close[j]))
        out_from[t] = -1 if from_out >= close[j] else j
        begin = out + b[t]
        cont = inside + i[t]
        in_from_out[t] = begin >= cont
        inside = np.where(in_from_out[t], begin, cont)
        out = new_out
    spans: list[tuple[int, int, int]] = []
    t, label, end = n - 1, -1, -1  # label >= 0 while walking back through an entity
    while t >= 0:
        if label < 0:
            j = int(out_from[t])
            if j < 0:
                if stay_is_u[t]:
                    spans.append((t, t + 1, int(best_u[t])))
            else:
                label, end = j, t + 1
        elif in_from_out[t, label]:
            spans.append((t, end, label))
            label = -1
        t -= 1
    return spans[::-1]


def ner_tok2vec(nlp: Any) -> Any:
    """The token-vector layer of a spaCy pipeline's ``ner`` component (its output feeds the head)."""
    return nlp.get_pipe("ner").model.get_ref("tok2vec")


def token_vectors(tok2vec: Any, docs: list[Any]) -> list[np.ndarray]:
    """``tok2vec``'s vectors of each doc's tokens, one array per doc (empty docs included)."""
    sizes = [len(d) for d in docs]
    if not sum(sizes):
        return [np.zeros((0, int(tok2vec.get_dim("nO"))), dtype=np.float32) for _ in docs]
    flat = tok2vec.predict([d for d in docs if len(d)])
    return np.split(np.asarray(flat, dtype=np.float32), np.cumsum(sizes)[:-1])


class TaggedNer:
    """A spaCy pipeline's tokenizer and NER token vectors with a tagger head; ``pipe`` as spaCy's."""

    def __init__(self, nlp: Any, weights: dict[str, np.ndarray]) -> None:
        from spacy.tokens import Span

        missing = [k for k in _KEYS if k not in weights]
        if missing:
            raise ValueError(f"{TAGGER_FILE}: missing arrays {', '.join(missing)}")
        self.meta = nlp.meta
        self._nlp = nlp
        self._span = Span
        self._tok2vec = ner_tok2vec(nlp)
        self.labels = [str(x) for x in weights["labels"]]
        self._w1, self._b1 = weights["w1"].astype(np.float32), weights["b1"].astype(np.float32)
        self._w2, self._b2 = weights["w2"].astype(np.float32), weights["b2"].astype(np.float32)
        width = int(self._tok2vec.get_dim("nO"))
        if (self._w2.shape[1] != 1 + 4 * len(self.labels) or self._w1.shape[1] != self._w2.shape[0]
                or self._w1.shape[0] != 3 * width):
            raise ValueError(f"{TAGGER_FILE}: weight shapes {self._w1.shape}, {self._w2.shape} do not fit "
                             f"{len(self.labels)} labels and {width}-wide token vectors")
        for label in self.labels:
            nlp.vocab.strings.add(label)

    @classmethod
    def from_folder(cls, nlp: Any, folder: Path) -> TaggedNer:
        """Read ``folder / tagger.npz`` for ``nlp`` (a spaCy pipeline with a ``ner`` component)."""
        with np.load(folder / TAGGER_FILE, allow_pickle=False) as data:
            return cls(nlp, {k: data[k] for k in data.files})

    def log_probs(self, vectors: np.ndarray) -> np.ndarray:
        """Log tag probabilities per token."""
        hidden = np.maximum(context_features(vectors) @ self._w1 + self._b1, 0.0)
        logits = hidden @ self._w2 + self._b2
        logits -= logits.max(axis=1, keepdims=True)
        return logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))

    def pipe(self, texts: Iterable[str], batch_size: int = 64) -> Iterator[Any]:
        """Docs with ``ents`` set, one per text, in order."""
        batch: list[Any] = []
        for text in texts:
            batch.append(self._nlp.make_doc(text))
            if len(batch) >= batch_size:
                yield from self._tag(batch)
                batch = []
        if batch:
            yield from self._tag(batch)

    def _tag(self, docs: list[Any]) -> list[Any]:
        for doc, vecs in zip(docs, token_vectors(self._tok2vec, docs), strict=True):
            if len(doc):
                doc.ents = [self._span(doc, s, e, label=self.labels[j]) for s, e, j in viterbi(self.log_probs(vecs))]
        return docs
