"""Secret detection: detect-secrets' maintained detectors plus the patterns it lacks.

The check that uses it is :class:`raikit.guardrails.checks.secrets.SecretsCheck`
(``type: secrets``). Patterns raikit adds live in ``patterns.yaml`` (data, not code).

Example:
    >>> from raikit.guardrails.secrets import load_patterns
    >>> any(p.type == "github_token" for p in load_patterns())
    True
"""

from raikit.guardrails.secrets._engine import SecretPattern, SecretSpan, find_secrets, load_patterns

__all__ = ["SecretPattern", "SecretSpan", "find_secrets", "load_patterns"]
