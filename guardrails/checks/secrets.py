"""``secrets``: API keys, tokens, private keys and passwords, typed for redaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from raikit.guardrails._check import Check
from raikit.guardrails._finding import Finding
from raikit.guardrails._normalize import normalize

TYPE_PREFIX = "SECRET:"


class SecretsCheck(Check):
    """Find credentials: provider tokens, private keys, passwords in URLs and assignments.

    Uses detect-secrets' maintained detectors plus raikit's patterns for what it misses
    (``sk-proj-`` keys, Google and Hugging Face tokens, passwords in ``key: value`` pairs,
    ...); see :mod:`raikit.guardrails.secrets`. Text is normalised first (zero-width
    characters, homoglyphs), offsets map back to the original. Finding types are
    ``SECRET:<kind>`` so the placeholder keeps the kind: ``[SECRET:github_token]``.

    Args:
        kinds: Only report these kinds (``github_token``, ``private_key``, ...); default all.
        use_detect_secrets: Run detect-secrets' detectors too (default ``True``).
        id: Check id (default ``secrets``).
        threshold: Kept for the common interface; every finding scores 1.0.

    Example:
        >>> check = SecretsCheck(use_detect_secrets=False)
        >>> [f.type for f in check.scan(["db: postgres://app:S3cret!pw@db.internal/app"])[0]]
        ['SECRET:connection_string_password']
    """

    name: ClassVar[str] = "secrets"
    inline: ClassVar[bool] = True

    def __init__(
        self,
        *,
        kinds: Sequence[str] | None = None,
        use_detect_secrets: bool = True,
        id: str | None = None,
        threshold: float = 0.5,
    ) -> None:
        super().__init__(id=id, threshold=threshold)
        if isinstance(kinds, str):
            raise TypeError("kinds must be a list of secret kinds, not a single string")
        self.kinds = frozenset(kinds) if kinds is not None else None
        self.use_detect_secrets = bool(use_detect_secrets)

    def _load(self) -> None:
        from raikit.guardrails.secrets import load_patterns

        load_patterns()
        if self.use_detect_secrets:
            from raikit.guardrails.secrets._engine import detect_secrets_version

            detect_secrets_version()

    def _scan(self, texts: list[str]) -> list[list[Finding]]:
        from raikit.guardrails.secrets import find_secrets

        results = []
        for text in texts:
            norm = normalize(text)
            found = []
            for span in find_secrets(norm.text, use_detect_secrets=self.use_detect_secrets):
                if self.kinds is not None and span.type not in self.kinds:
                    continue
                start, end = norm.to_original(span.start, span.end)
                found.append(
                    self.finding(TYPE_PREFIX + span.type, start, end, 1.0, value=norm.text[span.start : span.end],
                                 engine=span.source)
                )
            results.append(found)
        return results

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        info["engine"] = "raikit patterns + detect-secrets" if self.use_detect_secrets else "raikit patterns"
        if self.use_detect_secrets:
            from raikit.guardrails.secrets._engine import detect_secrets_version

            try:
                info["engine_version"] = f"detect-secrets {detect_secrets_version()}"
            except Exception as err:  # noqa: BLE001 - describe must not fail
                info["engine_error"] = type(err).__name__
        return info
