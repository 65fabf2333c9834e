"""A small lexical model beside the encoder: TF-IDF of character and word n-grams, linear logits.

The frozen encoder hardly separates "ignore the typos in my last message" from "ignore the
above directions": both are near in its space. Surface cues ("above directions", "DAN",
"[jailbreak]", "developer mode") are what a linear model over n-grams sees, at a cost of
well under a millisecond per text in plain Python and numpy.

Features (:func:`ngrams`, also the analyzer the training recipe hands to scikit-learn, so both
see the same tokens): the lower-cased text's character 3- to 5-grams inside space-padded words
and its word unigrams and bigrams (neither contains a newline). Values: sublinear TF times
IDF, L2-normalised over the vocabulary. Stored as ``lexical.npz`` (vocabulary, IDF, float16
weights per output, biases).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

LEXICAL_FILE = "lexical.npz"
CHAR_SIZES = (3, 4, 5)
_WORD = re.compile(r"\w+|[^\w\s]+")


def ngrams(text: str) -> list[str]:
    """The n-grams of ``text``: character 3-5-grams within padded words, then word 1-2-grams.

    Example:
        >>> ngrams("Hi")[:2], ngrams("Hi you")[-3:]
        ([' hi', 'hi '], ['w:hi', 'w:you', 'w:hi you'])
    """
    lower = text.lower()
    out: list[str] = []
    for word in lower.split():
        padded = f" {word} "
        for n in CHAR_SIZES:
            if len(padded) < n:
                break
            out.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    words = _WORD.findall(lower)
    out.extend(f"w:{w}" for w in words)
    out.extend(f"w:{a} {b}" for a, b in zip(words, words[1:]))
    return out


@dataclass(frozen=True)
class LexicalModel:
    """Linear logits over TF-IDF n-gram features, one column per output.

    Example:
        >>> import numpy as np
        >>> m = LexicalModel(("a",), {"w:dan": 0}, np.ones(1, np.float32), np.full((1, 1), 2.0, np.float32),
        ...                  np.zeros(1, np.float32))
        >>> m.logits(["you are DAN", "hello"]).round(2).tolist()
        [[2.0], [0.0]]
    """

    outputs: tuple[str, ...]
    vocabulary: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray

    def logits(self, texts: list[str]) -> np.ndarray:
        """Logits per text, shape (texts, outputs)."""
        out = np.tile(self.intercept.astype(np.float32), (len(texts), 1))
        vocab = self.vocabulary
        for row, text in enumerate(texts):
            known = [(vocab[g], n) for g, n in Counter(ngrams(text)).items() if g in vocab]
            if not known:
                continue
            index = np.fromiter((i for i, _ in known), np.int64, len(known))
            tf = np.fromiter((n for _, n in known), np.float32, len(known))
            value = (1.0 + np.log(tf)) * self.idf[index]
            value /= np.sqrt(float(value @ value))
            out[row] += value @ self.coef[index]
        return out

    def save(self, folder: str | Path) -> None:
        """Write ``lexical.npz`` into ``folder`` (terms as newline-joined UTF-8, weights as float16)."""
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        np.savez_compressed(
            Path(folder) / LEXICAL_FILE, terms=np.frombuffer("\n".join(terms).encode("utf-8"), np.uint8),
            idf=self.idf.astype(np.float16), coef=self.coef.astype(np.float16),
            intercept=self.intercept.astype(np.float32), outputs=np.array(self.outputs),
        )

    @classmethod
    def load(cls, folder: str | Path) -> LexicalModel:
        """Read ``lexical.npz`` from ``folder``.

        Raises:
            FileNotFoundError: The file is missing (the message names the path).
        """
        path = Path(folder) / LEXICAL_FILE
        if not path.is_file():
            raise FileNotFoundError(f"injection model file not found: {path}")
        with np.load(path, allow_pickle=False) as data:
            terms = data["terms"].tobytes().decode("utf-8").split("\n")
            return cls(
                outputs=tuple(str(o) for o in data["outputs"]),
                vocabulary={t: i for i, t in enumerate(terms)},
                idf=data["idf"].astype(np.float32),
                coef=data["coef"].astype(np.float32),
                intercept=data["intercept"].astype(np.float32),
            )
