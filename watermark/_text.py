"""Public text API: :class:`TextWatermark` pairs a keyed logits processor with its detector."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from raikit.errors import InputError, MissingDependencyError

from ._keys import key_id, normalize_key
from ._text_detector import GreenListDetector, TextDetection

INSTALL = "pip install 'raikit[watermark]'"
BAD_GAMMA = "gamma must be a number in (0, 1); got {value!r}. Use e.g. gamma=0.25 (the green fraction)."
BAD_DELTA = "delta must be a finite number >= 0; got {value!r}. Use e.g. delta=3.0 (the green logit bias)."
BAD_WIDTH = (
    "context_width must be an integer >= 1; got {value!r}. "
    "Use context_width=1 (the preceding token seeds the green list)."
)
BAD_MIN = "min_tokens must be an integer >= 1; got {value!r}. Use e.g. min_tokens=25."
BAD_Z = "z_threshold must be a finite number > 0; got {value!r}. Use e.g. z_threshold=4.0 (p ~ 3e-5)."
BAD_TOKENIZER = (
    "tokenizer must be a Hugging Face tokenizer (callable) or a tokenizers.Tokenizer; got {kind}. "
    "Pass AutoTokenizer.from_pretrained(...)."
)
BAD_TEXT = "text must be a str; got {kind}. Decode ids with tokenizer.decode(...) first, or use detect_ids()."


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


class TextWatermark:
    """A keyed green-list text watermark (Kirchenbauer et al. 2023) for ``generate``.

    At each step the green list, a ``gamma`` fraction of the vocabulary, is seeded from an
    HMAC of the key and the preceding ``context_width`` token(s); the processor adds
    ``delta`` to green logits. The detector, which needs only the key and the tokenizer,
    counts green tokens over distinct (context, token) pairs and reports a one-sided z-test.

    Args:
        key: The secret key (bytes or text).
        tokenizer: The model's tokenizer (used by :meth:`detect`).
        gamma: Green fraction in (0, 1).
        delta: Logit bias for green tokens (>= 0).
        context_width: Tokens of context that seed the green list (>= 1).
        min_tokens: Below this many scored tokens, :meth:`detect` answers ``too_short``.
        z_threshold: z-score at which a text is declared marked.

    Raises:
        InputError: A parameter is out of range (the message names it and the value).

    Example:
        >>> from transformers import AutoTokenizer, AutoModelForCausalLM  # doctest: +SKIP
        >>> wm = TextWatermark(key="my secret", tokenizer=tok)  # doctest: +SKIP
        >>> procs = [wm.logits_processor()]  # doctest: +SKIP
        >>> out = model.generate(**inputs, logits_processor=procs, do_sample=True)  # doctest: +SKIP
        >>> wm.detect(tok.decode(out[0, inputs.input_ids.shape[1]:])).found  # doctest: +SKIP
        True
    """

    def __init__(
        self,
        *,
        key: bytes | str,
        tokenizer: Any,
        gamma: float = 0.25,
        delta: float = 3.0,
        context_width: int = 1,
        min_tokens: int = 25,
        z_threshold: float = 4.0,
    ) -> None:
        if not _number(gamma) or not 0.0 < gamma < 1.0:
            raise InputError(BAD_GAMMA.format(value=gamma))
        if not _number(delta) or delta < 0:
            raise InputError(BAD_DELTA.format(value=delta))
        if not isinstance(context_width, int) or isinstance(context_width, bool) or context_width < 1:
            raise InputError(BAD_WIDTH.format(value=context_width))
        if not isinstance(min_tokens, int) or isinstance(min_tokens, bool) or min_tokens < 1:
            raise InputError(BAD_MIN.format(value=min_tokens))
        if not _number(z_threshold) or z_threshold <= 0:
            raise InputError(BAD_Z.format(value=z_threshold))
        if tokenizer is None or not (callable(tokenizer) or hasattr(tokenizer, "encode")):
            raise InputError(BAD_TOKENIZER.format(kind=type(tokenizer).__name__))
        self._key = normalize_key(key)
        self.key_id = key_id(self._key)
        self.tokenizer = tokenizer
        self.gamma = float(gamma)
        self.delta = float(delta)
        self.context_width = context_width
        self.min_tokens = min_tokens
        self.z_threshold = float(z_threshold)
        self._detector = GreenListDetector(
            key=self._key,
            gamma=self.gamma,
            context_width=context_width,
            min_tokens=min_tokens,
            z_threshold=self.z_threshold,
            key_id=self.key_id,
        )
        self._tables: Any = None

    def __repr__(self) -> str:
        return (
            f"TextWatermark(key_id={self.key_id!r}, gamma={self.gamma}, delta={self.delta}, "
            f"context_width={self.context_width})"
        )

    def logits_processor(self) -> Any:
        """A new ``transformers.LogitsProcessor`` to pass to ``generate``.

        ``generate`` applies custom processors before its temperature / top-k / top-p
        warpers, so the bias acts on the raw logits as in Kirchenbauer et al.

        Example:
            >>> model.generate(**inputs, logits_processor=[wm.logits_processor()])  # doctest: +SKIP
        """
        try:
            from ._text_processor import GreenTables, processor_class

            cls = processor_class()
        except ImportError as err:
            raise MissingDependencyError("torch and transformers", INSTALL) from err
        if self._tables is None:
            self._tables = GreenTables(self._key, self.gamma)
        return cls(tables=self._tables, gamma=self.gamma, delta=self.delta, context_width=self.context_width)

    def _encode(self, text: str) -> list[int]:
        tok = self.tokenizer
        if hasattr(tok, "encode") and not callable(tok):
            enc = tok.encode(text)
            return list(getattr(enc, "ids", enc))
        try:
            out = tok(text, add_special_tokens=False)
        except TypeError:
            out = tok(text)
        ids = out["input_ids"] if isinstance(out, dict) or hasattr(out, "keys") else getattr(out, "ids", out)
        return list(ids)

    def detect(self, text: str) -> TextDetection:
        """Test whether ``text`` carries this watermark.

        Args:
            text: The text to test (the generated part, without the prompt, is best).

        Returns:
            A :class:`TextDetection`; ``too_short`` with ``found=False`` below ``min_tokens``.

        Example:
            >>> wm.detect("a short human sentence").too_short  # doctest: +SKIP
            True
        """
        if not isinstance(text, str):
            raise InputError(BAD_TEXT.format(kind=type(text).__name__))
        return self._detector.score_ids(self._encode(text))

    def detect_ids(self, ids: Sequence[int]) -> TextDetection:
        """Like :meth:`detect` on token ids (skips re-tokenisation)."""
        return self._detector.score_ids(ids)
