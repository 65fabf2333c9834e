"""Find secrets in text: detect-secrets' detectors, raikit's extra patterns, placeholders dropped.

Three sources, merged so that one secret gives one span:

1. raikit's patterns (``patterns.yaml``): precise spans and types, checked first;
2. detect-secrets' regular-expression detectors (AWS, GitHub, Slack, Stripe, private keys,
   basic-auth URLs, ...), run over the whole text for offsets;
3. detect-secrets' keyword and base64-entropy detectors per line; an entropy hit counts only
   when its line names a credential ("high-entropy strings in context"), so hashes, ids and
   base64 data in ordinary code are not flagged.

Values that look like placeholders (``<your-key>``, ``${TOKEN}``, ``xxxx``, ``changeme``)
and single-class passwords ("incorrect") are dropped.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from raikit.errors import MissingDependencyError

PATTERNS_FILE = Path(__file__).resolve().parent / "patterns.yaml"
DETECT_SECRETS_INSTALL = "pip install 'raikit[secrets]'"

# detect-secrets type names -> raikit types (the rest are slugged).
_TYPE_NAMES = {
    "AWS Access Key": "aws_access_key",
    "Basic Auth Credentials": "connection_string_password",
    "Base64 High Entropy String": "high_entropy_string",
    "Secret Keyword": "keyword_secret",
    "JSON Web Token": "jwt",
    "OpenAI Token": "openai_key",
    "Stripe Access Key": "stripe_key",
    "Azure Storage Account access key": "azure_storage_key",
    "NPM tokens": "npm_token",
    "PyPI Token": "pypi_token",
    "SendGrid API Key": "sendgrid_key",
    "Twilio API Key": "twilio_key",
    "Private Key": "private_key",
}
# Detectors not used: public IPs are personal data (the pii check), hex entropy flags hashes.
# Private keys: raikit's pattern needs a key body, so a mention of the header is not flagged.
_SKIPPED = {"IPPublicDetector", "HexHighEntropyString", "PrivateKeyDetector"}
_CONTEXT = re.compile(
    r"(?i)(?:key|token|secret|passw|pwd|auth|bearer|credential|api[_-]?key|access|private|signature)"
)
_PLACEHOLDER = re.compile(
    r"(?i)^(?:<.*>|\$\{.*\}|\$[A-Z_]+|%\(?.*|\{\{.*\}\}|\*+|x+|\.+|"
    r"(?:your|my|example|sample|dummy|fake|test)[_-][\w-]*|changeme|password\d*|secret|none|null|"
    r"true|false|redacted|hidden|placeholder|os\.environ.*|getenv.*|env\[.*)$"
)
_CALL = re.compile(r"^[A-Za-z_][\w.]*\(")
_REPEAT = re.compile(r"(.)\1{7,}")
_PATH = re.compile(r"^[A-Za-z_]\w*(?:[.:][A-Za-z_]\w*)+$")
_NUMBER = re.compile(r"^(?:0[xob])?[0-9a-fA-F._-]+$")
# An entropy hit counts only on a line assigning to a credential-like name.
_ASSIGNED = re.compile(
    r"(?i)(?:key|token|secret|passw|pwd|auth|credential|signature)\w*[\"']?\s*(?:=|:=|:|=>)|\bbearer\s"
)
_FREE_FORM = frozenset({"password", "keyword_secret", "connection_string_password", "high_entropy_string"})


@dataclass(frozen=True, slots=True)
class SecretPattern:
    """One raikit pattern: the secret type, the compiled expression and the secret's group."""

    type: str
    regex: re.Pattern[str]
    group: int = 0


@dataclass(frozen=True, slots=True)
class SecretSpan:
    """One secret found: its type, offsets in the scanned text and which engine found it."""

    type: str
    start: int
    end: int
    source: str


@lru_cache(maxsize=1)
def load_patterns(path: str | None = None) -> tuple[SecretPattern, ...]:
    """Read and compile ``patterns.yaml`` (or ``path``).

    Raises:
        ValueError: An entry lacks a type or regex, or its expression does not compile (the
            entry's index and type are named).
    """
    file = Path(path) if path else PATTERNS_FILE
    rows = yaml.safe_load(file.read_text(encoding="utf-8")) or []
    patterns = []
    for index, row in enumerate(rows):
        if not isinstance(row, dict) or not row.get("type") or not row.get("regex"):
            raise ValueError(f"{file}: entry {index} needs 'type' and 'regex'")
        try:
            regex = re.compile(str(row["regex"]))
        except re.error as err:
            raise ValueError(f"{file}: entry {index} ({row['type']}): invalid regex: {err}") from err
        patterns.append(SecretPattern(str(row["type"]), regex, int(row.get("group", 0))))
    return tuple(patterns)


class _DetectSecrets:
    """detect-secrets' plugins, configured once (its settings are process-global)."""

    _lock = threading.Lock()
    _instance: _DetectSecrets | None = None

    def __init__(self) -> None:
        try:
            from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
            from detect_secrets.plugins.base import RegexBasedDetector
        except ImportError as err:
            raise MissingDependencyError("detect-secrets", DETECT_SECRETS_INSTALL) from err
        regex_plugins: list[tuple[str, re.Pattern[str]]] = []
        line_plugins: list[Any] = []
        for secret_type, cls in sorted(get_mapping_from_secret_type_to_class().items()):
            if cls.__name__ in _SKIPPED:
                continue
            kind = _TYPE_NAMES.get(secret_type) or re.sub(r"\W+", "_", secret_type.lower()).strip("_")
            if cls.__name__ == "Base64HighEntropyString":
                line_plugins.append((kind, cls(limit=4.5), True))
            elif cls.__name__ == "KeywordDetector":
                line_plugins.append((kind, cls(), False))
            elif issubclass(cls, RegexBasedDetector):
                regex_plugins.extend((kind, rx) for rx in cls().denylist)
        self.regex_plugins = regex_plugins
        self.line_plugins = line_plugins
        import detect_secrets

        self.version = getattr(detect_secrets, "__version__", "unknown")

    @classmethod
    def get(cls) -> _DetectSecrets:
        with cls._lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance


def detect_secrets_version() -> str:
    """The installed detect-secrets version (raises if it is missing)."""
    return _DetectSecrets.get().version


def _plausible(value: str, kind: str) -> bool:
    value = value.strip("\"'`")
    if len(value) < 6 or _PLACEHOLDER.match(value) or _CALL.match(value) or _REPEAT.search(value):
        return False
    if kind in _FREE_FORM:
        if _PATH.match(value):  # request.url.password, pkg.module:Class
            return False
        if kind == "password":  # in prose the value may end the sentence
            value = value.rstrip(".,:;!?")
        if kind == "connection_string_password":  # URL userinfo is percent-encoded
            value = unquote(value)
        if re.search(r"\s", value) or (kind == "password" and _NUMBER.match(value)):
            return False
        if kind == "password" and re.search(r"[()\[\]{}]", value):  # an expression, not a value
            return False
        has_letter = bool(re.search(r"[A-Za-z]", value))
        return has_letter and bool(re.search(r"[\d\W_]", value))
    return True


def _best_span(match: re.Match[str], group: int | None) -> tuple[int, int]:
    if group:
        return match.span(group)
    if group is None and match.re.groups:
        spans = [match.span(i) for i in range(1, match.re.groups + 1) if match.group(i)]
        spans = [s for s in spans if s[1] - s[0] >= 8]
        if spans:
            return max(spans, key=lambda s: s[1] - s[0])
    return match.span()


def find_secrets(text: str, *, use_detect_secrets: bool = True) -> list[SecretSpan]:
    """Secrets in ``text``, sorted by offset, overlaps resolved in favour of raikit's patterns.

    Args:
        text: The text (already normalised by the caller if wanted).
        use_detect_secrets: Also run detect-secrets' detectors (default).

    Example:
        >>> [(s.type, s.start) for s in find_secrets("key ghp_" + "a1B2" * 9, use_detect_secrets=False)]
        [('github_token', 4)]
    """
    found: list[SecretSpan] = []

    def add(kind: str, start: int, end: int, source: str) -> None:
        if end <= start or not _plausible(text[start:end], kind):
            return
        for other in found:
            if start < other.end and other.start < end:
                return
        found.append(SecretSpan(kind, start, end, source))

    for pattern in load_patterns():
        for match in pattern.regex.finditer(text):
            add(pattern.type, *_best_span(match, pattern.group), "raikit")
    if use_detect_secrets:
        engine = _DetectSecrets.get()
        for kind, regex in engine.regex_plugins:
            for match in regex.finditer(text):
                add(kind, *_best_span(match, None), "detect-secrets")
        offset = 0
        for line in text.splitlines(keepends=True):
            if _CONTEXT.search(line):
                for kind, plugin, needs_context in engine.line_plugins:
                    if needs_context and not _ASSIGNED.search(line):
                        continue
                    for secret in plugin.analyze_line(filename="adhoc.py", line=line, line_number=1):
                        value = secret.secret_value or ""
                        if not value:
                            continue
                        at = line.find(value)
                        while at >= 0:
                            add(kind, offset + at, offset + at + len(value), "detect-secrets")
                            at = line.find(value, at + len(value))
            offset += len(line)
    found.sort(key=lambda s: (s.start, s.end))
    return found
