"""Public text API: :class:`TextWatermark` pairs a keyed logits processor with its detector."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from raikit.errors import InputError, MissingDependencyError

from ._keys import key_id, normalize_key
from ._text_detector import GreenListDetector, GumbelDetector, TextDetection

INSTALL = "pip install 'raikit[watermark]'"
SCHEMES = ("gumbel", "green")
DEFAULT_WIDTH = {"green": 1, "gumbel": 3}
BAD_SCHEME = "scheme must be one of {choices}; got {value!r}. Use scheme='gumbel' (no quality cost) or 'green'."
BAD_GAMMA = "gamma must be a number in (0, 1); got {value!r}. Use e.g. gamma=0.25 (the green fraction)."
BAD_DELTA = "delta must be a finite number >= 0; got {value!r}. Use e.g. delta=2.0 (the green logit bias)."
BAD_WIDTH = (
    "context_width must be an integer >= 1; got {value!r}. "
    "Use context_width=1 or 2 (the preceding tokens that seed the key stream)."
)
BAD_MIN = "min_tokens must be an integer >= 1; got {value!r}. Use e.g. min_tokens=25."
BAD_P = "p_threshold must be a number in (0, 1); got {value!r}. Use e.g. p_threshold=1e-4 (the false-positive rate)."
BAD_TEMPERATURE = "temperature must be a finite number > 0; got {value!r}. Pass the temperature given to generate()."
BAD_TOP_K = "top_k must be an integer >= 0; got {value!r}. Pass the top_k given to generate() (0 = off)."
BAD_TOP_P = "top_p must be a number in (0, 1]; got {value!r}. Pass the top_p given to generate() (1.0 = off)."
BAD_TOKENIZER = (
    "tokenizer must be a Hugging Face tokenizer (callable) or a tokenizers.Tokenizer; got {kind}. "
    "Pass AutoTokenizer.from_pretrained(...)."
)
BAD_TEXT = "text must be a str; got {kind}. Decode ids with tokenizer.decode(...) first, or use detect_ids()."


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _int(value: Any, low: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= low


class TextWatermark:
    """A keyed text watermark for ``generate``, with its detector.

    Two schemes, chosen by the policy's ``watermark.text.scheme``:

    * ``"gumbel"`` (default): exponential-minimum sampling (Aaronson 2023). Each token is
      ``argmin_v e_v / p_v`` with keyed exponentials ``e`` seeded by the key and the
      preceding ``context_width`` tokens: an exact sample of the model's distribution, so it
      costs no quality; the detector sums ``-log(1 - exp(-e))`` of the tokens.
    * ``"green"``: a keyed green list (Kirchenbauer et al. 2023), a ``gamma`` fraction of the
      vocabulary whose logits get ``+delta`` after temperature; more robust to word
      replacement, at a perplexity cost.

    Either detector needs only the key and the tokenizer. It scans windows of the text and
    corrects the best window's exact p-value for the number of windows, so a marked passage
    pasted inside human text is found, with its span.

    Args:
        key: The secret key (bytes or text).
        tokenizer: The model's tokenizer (used by :meth:`detect`).
        scheme: ``"gumbel"`` or ``"green"``.
        gamma: Green fraction in (0, 1) (green list only).
        delta: Logit bias for green tokens, >= 0 (green list only).
        context_width: Tokens of context that seed the key stream (default 1 for the green
            list, 3 for gumbel).
        min_tokens: Below this many scored tokens, :meth:`detect` answers ``too_short``; also
            the shortest window scanned.
        p_threshold: Corrected p-value at or below which a text is declared marked (the
            false-positive rate on unmarked text).

    Raises:
        InputError: A parameter is out of range (the message names it and the value).

    Example:
        >>> wm = TextWatermark(key="my secret", tokenizer=tok)  # doctest: +SKIP
        >>> procs = [wm.logits_processor(temperature=0.7)]  # doctest: +SKIP
        >>> out = model.generate(**inputs, logits_processor=procs, do_sample=True, temperature=0.7)  # doctest: +SKIP
        >>> wm.detect(tok.decode(out[0, inputs.input_ids.shape[1]:])).found  # doctest: +SKIP
        True
    """

    def __init__(
        self,
        *,
        key: bytes | str,
        tokenizer: Any,
        scheme: str = "gumbel",
        gamma: float = 0.25,
        delta: float = 2.0,
        context_width: int | None = None,
        min_tokens: int = 25,
        p_threshold: float = 1e-4,
    ) -> None:
        if scheme not in SCHEMES:
            raise InputError(BAD_SCHEME.format(choices=", ".join(SCHEMES), value=scheme))
        if context_width is None:
            context_width = DEFAULT_WIDTH[scheme]
        if not _number(gamma) or not 0.0 < gamma < 1.0:
            raise InputError(BAD_GAMMA.format(value=gamma))
        if not _number(delta) or delta < 0:
            raise InputError(BAD_DELTA.format(value=delta))
        if not _int(context_width, 1):
            raise InputError(BAD_WIDTH.format(value=context_width))
        if not _int(min_tokens, 1):
            raise InputError(BAD_MIN.format(value=min_tokens))
        if not _number(p_threshold) or not 0.0 < p_threshold < 1.0:
            raise InputError(BAD_P.format(value=p_threshold))
        if tokenizer is None or not (callable(tokenizer) or hasattr(tokenizer, "encode")):
            raise InputError(BAD_TOKENIZER.format(kind=type(tokenizer).__name__))
        self._key = normalize_key(key)
        self.key_id = key_id(self._key)
        self.tokenizer = tokenizer
        self.scheme = scheme
        self.gamma = float(gamma)
        self.delta = float(delta)
        self.context_width = context_width
        self.min_tokens = min_tokens
        self.p_threshold = float(p_threshold)
        detector = GumbelDetector if scheme == "gumbel" else GreenListDetector
        self._detector = detector(
            key=self._key,
            gamma=self.gamma,
            context_width=context_width,
            min_tokens=min_tokens,
            p_threshold=self.p_threshold,
            key_id=self.key_id,
        )
        self._tables: Any = None

    @classmethod
    def from_settings(cls, settings: Any, *, key: bytes | str, tokenizer: Any, **overrides: Any) -> TextWatermark:
        """The watermark a policy's ``watermark.text`` settings describe.

        Reads ``scheme``, ``gamma``, ``delta`` and ``context_width`` when the settings have them
        (older settings objects without ``scheme`` mean the green list).

        Example:
            >>> wm = TextWatermark.from_settings(policy.watermark.text, key=key, tokenizer=tok)  # doctest: +SKIP
        """
        kwargs: dict[str, Any] = {"scheme": getattr(settings, "scheme", "green")}
        for name in ("gamma", "delta", "context_width", "min_tokens", "p_threshold"):
            value = getattr(settings, name, None)
            if value is not None:
                kwargs[name] = value
        kwargs.update(overrides)
        return cls(key=key, tokenizer=tokenizer, **kwargs)

    def __repr__(self) -> str:
        extra = f", gamma={self.gamma}, delta={self.delta}" if self.scheme == "green" else ""
        return (
            f"TextWatermark(key_id={self.key_id!r}, scheme={self.scheme!r}{extra}, "
            f"context_width={self.context_width})"
        )

    @staticmethod
    def sampling_params(model: Any = None, **generate_kwargs: Any) -> dict[str, Any]:
        """``temperature``, ``top_k`` and ``top_p`` that ``generate(**generate_kwargs)`` will use.

        Reads the keyword arguments first, then ``model.generation_config`` (a model, a
        pipeline or a ``GenerationConfig``); greedy decoding gives temperature 1 and no filters.
        Pass the result to :meth:`logits_processor`.

        Example:
            >>> kwargs = {"do_sample": True, "temperature": 0.7}
            >>> TextWatermark.sampling_params(None, **kwargs)
            {'temperature': 0.7, 'top_k': 0, 'top_p': 1.0}
        """
        config = getattr(model, "generation_config", None)
        if config is None and model is not None and hasattr(model, "model"):
            config = getattr(model.model, "generation_config", None)
        if config is None and model is not None and hasattr(model, "temperature") and hasattr(model, "top_p"):
            config = model

        def pick(name: str, default: Any) -> Any:
            value = generate_kwargs.get(name)
            if value is None and config is not None:
                value = getattr(config, name, None)
            return default if value is None else value

        if not pick("do_sample", True):
            return {"temperature": 1.0, "top_k": 0, "top_p": 1.0}
        return {"temperature": float(pick("temperature", 1.0)), "top_k": int(pick("top_k", 0)),
                "top_p": float(pick("top_p", 1.0))}

    def logits_processor(self, *, temperature: float = 1.0, top_k: int = 0, top_p: float = 1.0) -> Any:
        """A new ``transformers.LogitsProcessor`` to pass to ``generate``.

        ``generate`` applies custom processors before its temperature / top-k / top-p
        warpers, so pass the same values here: the green list then adds ``delta`` after
        temperature, and the gumbel scheme samples from the distribution ``generate`` would
        have sampled from (it applies them itself; greedy decoding and beam search become
        keyed sampling).

        Args:
            temperature: The ``temperature`` given to ``generate`` (1.0 when not sampling).
            top_k: The ``top_k`` given to ``generate`` (gumbel only; 0 = off).
            top_p: The ``top_p`` given to ``generate`` (gumbel only; 1.0 = off).

        Example:
            >>> model.generate(**inputs, do_sample=True, temperature=0.7,  # doctest: +SKIP
            ...                logits_processor=[wm.logits_processor(temperature=0.7)])
        """
        if not _number(temperature) or temperature <= 0:
            raise InputError(BAD_TEMPERATURE.format(value=temperature))
        if not _int(top_k, 0):
            raise InputError(BAD_TOP_K.format(value=top_k))
        if not _number(top_p) or not 0.0 < top_p <= 1.0:
            raise InputError(BAD_TOP_P.format(value=top_p))
        try:
            from ._text_processor import GreenTables, ExponentialTable, gumbel_processor_class, processor_class

            cls = gumbel_processor_class() if self.scheme == "gumbel" else processor_class()
        except ImportError as err:
            raise MissingDependencyError("torch and transformers", INSTALL) from err
        if self.scheme == "gumbel":
            if self._tables is None:
                self._tables = ExponentialTable(self._key)
            return cls(
                table=self._tables, key=self._key, context_width=self.context_width,
                temperature=float(temperature), top_k=top_k, top_p=float(top_p),
            )
        if self._tables is None:
            self._tables = GreenTables(self._key, self.gamma)
        return cls(
            tables=self._tables, gamma=self.gamma, delta=self.delta, context_width=self.context_width,
            temperature=float(temperature),
        )

    def _encode(self, text: str) -> tuple[list[int], list[tuple[int, int]] | None]:
        tok = self.tokenizer
        if hasattr(tok, "encode") and not callable(tok):
            enc = tok.encode(text)
            return list(getattr(enc, "ids", enc)), getattr(enc, "offsets", None)
        try:
            out = tok(text, add_special_tokens=False, return_offsets_mapping=True)
        except (TypeError, NotImplementedError, ValueError):
            try:
                out = tok(text, add_special_tokens=False)
            except TypeError:
                out = tok(text)
        mapping = out if isinstance(out, dict) or hasattr(out, "keys") else None
        ids = mapping["input_ids"] if mapping is not None else getattr(out, "ids", out)
        offsets = mapping.get("offset_mapping") if mapping is not None else None
        return list(ids), ([tuple(o) for o in offsets] if offsets is not None else None)

    def detect(self, text: str) -> TextDetection:
        """Test whether ``text``, or a passage inside it, carries this watermark.

        Args:
            text: The text to test (marked passages may sit inside unmarked text).

        Returns:
            A :class:`TextDetection` with the corrected p-value, the span of the best window
            and, when nothing is found, the reason (``too_short`` or ``no_signal``).

        Example:
            >>> wm.detect("a short human sentence").reason  # doctest: +SKIP
            'too_short'
        """
        if not isinstance(text, str):
            raise InputError(BAD_TEXT.format(kind=type(text).__name__))
        ids, offsets = self._encode(text)
        return self._detector.score_ids(ids, offsets)

    def detect_ids(self, ids: Sequence[int]) -> TextDetection:
        """Like :meth:`detect` on token ids (skips re-tokenisation; no ``span_chars``)."""
        return self._detector.score_ids(ids)
