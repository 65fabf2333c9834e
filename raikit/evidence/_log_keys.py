"""Where an audit log's signing key comes from, and who can vouch for the evidence.

The signing key is an Ed25519 private key that never sits beside the log. In order:

1. a :class:`~raikit.evidence._log_checkpoint.Signer` passed in code (for example one built by
   :func:`~raikit.evidence._log_checkpoint.service_signer` around a key service's ``sign``);
2. a key file given explicitly (it must lie outside the evidence folder);
3. the environment variable (``$RAIKIT_LOG_KEY`` by default), holding either the note-format
   private key ``PRIVATE+KEY+<name>+<id>+<base64>``, or ``hook:module:function`` naming a
   callable that returns a ``Signer`` (a key service hook), or, for old set-ups, a hex HMAC
   key (symmetric: the evidence is then reported as self-attested);
4. with the explicit ``self_attested`` flag only, a key generated *inside* the evidence folder
   (the evidence is marked self-attested wherever it is shown);
5. the user's key file ``$RAIKIT_KEY_DIR/audit-log.key`` (default
   ``$XDG_CONFIG_HOME/raikit`` or ``~/.config/raikit``), generated with mode 0600 on first use
   when ``generate`` is set.

A reviewer needs only the public key (pinned out of band) and a checkpoint.
"""

from __future__ import annotations

import importlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from raikit.evidence._log_checkpoint import Signer, generate_signer, parse_signer, write_secret
from raikit.evidence._log_record import KEY_ENV, parse_key_text
from raikit.errors import InputError

logger = logging.getLogger(__name__)

KEY_DIR_ENV = "RAIKIT_KEY_DIR"
KEY_FILE_NAME = "audit-log.key"
DEFAULT_ORIGIN = "raikit/audit-log"

ERR_NO_KEY = (
    "no audit log signing key: set ${env} to an Ed25519 key (create one with `raikit log keygen "
    "~/.config/raikit/audit-log.key` and export RAIKIT_LOG_KEY=\"$(cat ~/.config/raikit/audit-log.key)\"), "
    "or keep it at {default}"
)
ERR_INSIDE = (
    "the audit log key file {file!r} is inside the evidence folder {folder!r}: whoever can change "
    "the evidence could then re-sign it. Keep the key elsewhere, or pass the explicit self-attested "
    "flag (`--self-attested-key`) to accept evidence that proves nothing to a third party"
)


@dataclass(frozen=True)
class LogCustody:
    """The key an audit log is written with, and what that means for the evidence.

    Attributes:
        signer: The Ed25519 signer, or None for a symmetric (HMAC) log.
        hmac_key: The legacy HMAC key, or None.
        source: Where the key came from (``$RAIKIT_LOG_KEY``, ``key file``, ``key service``...).
        location: The private key's file, when it lives in one (never inside the evidence
            folder unless ``self_attested``).
        self_attested: True when no third party can check the evidence independently of the
            writer (symmetric key, or a private key kept in the evidence folder).
        generated: True when the key was created by this call.
    """

    signer: Signer | None
    hmac_key: bytes | None
    source: str
    location: str | None
    self_attested: bool
    generated: bool = False

    @property
    def custody(self) -> str:
        """``"signed"`` (Ed25519) or ``"symmetric"`` (HMAC)."""
        return "signed" if self.signer is not None else "symmetric"

    @property
    def public_key(self) -> str | None:
        """The note-format public key line, or None for a symmetric log."""
        return self.signer.verifier().to_text().strip() if self.signer is not None else None

    def describe(self) -> dict[str, object]:
        """JSON-ready facts for reports: no secret, only where the key is and what it proves."""
        return {
            "custody": self.custody,
            "self_attested": self.self_attested,
            "key_source": self.source,
            "key_location": self.location,
            "public_key": self.public_key,
        }


def default_key_dir() -> Path:
    """``$RAIKIT_KEY_DIR``, else ``$XDG_CONFIG_HOME/raikit``, else ``~/.config/raikit``."""
    explicit = os.environ.get(KEY_DIR_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "raikit"


def load_hook(ref: str, where: str) -> Signer:
    """Import ``module:function`` and call it; it must return a :class:`Signer`."""
    module_name, _, attr = ref.partition(":")
    if not module_name or not attr:
        raise InputError(f"key service hook in {where} must be 'hook:module:function'")
    try:
        hook = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as err:
        raise InputError(f"cannot import the key service hook {ref!r} named in {where}: "
                         f"{type(err).__name__}") from err
    signer = hook()
    if not isinstance(signer, Signer):
        raise InputError(f"the key service hook {ref!r} must return a raikit Signer "
                         "(see raikit.audits.service_signer), got " + type(signer).__name__)
    return signer


def parse_log_key(text: str, where: str) -> Signer | bytes:
    """A signer from note-format key text or ``hook:module:function``; bytes for a hex HMAC key."""
    text = text.strip()
    if text.startswith("PRIVATE+KEY+"):
        return parse_signer(text, where)
    if text.startswith("hook:"):
        return load_hook(text[len("hook:"):], where)
    return parse_key_text(text, where)


def _inside(path: Path, folder: Path | None) -> bool:
    if folder is None:
        return False
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _read_key_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read audit log key file {str(path)!r}: {type(err).__name__}") from err


def _custody(key: Signer | bytes, source: str, location: str | None, self_attested: bool,
             generated: bool = False) -> LogCustody:
    if isinstance(key, Signer):
        return LogCustody(key, None, source, location, self_attested, generated)
    logger.warning("audit log: %s holds a symmetric HMAC key; the evidence is self-attested "
                   "(whoever can verify it can forge it). Move to an Ed25519 key: raikit log keygen", source)
    return LogCustody(None, key, source, location, True, generated)


def _generate(path: Path, origin: str) -> Signer:
    signer = generate_signer(origin)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_secret(path, signer.to_text())
    public = path.with_name(path.name + ".pub")
    if not public.exists():
        public.write_text(signer.verifier().to_text(), encoding="utf-8")
    return signer


def resolve_custody(
    *,
    signer: Signer | None = None,
    key_file: str | os.PathLike[str] | None = None,
    env: str = KEY_ENV,
    evidence_dir: str | os.PathLike[str] | None = None,
    self_attested: bool = False,
    generate: bool = True,
    origin: str = DEFAULT_ORIGIN,
) -> LogCustody:
    """Find the audit log's key (see the module docstring for the order).

    Args:
        signer: A ready signer (a key service's), used as is.
        key_file: A private key file (note format, or a hex HMAC key for old set-ups).
        env: The environment variable to read.
        evidence_dir: The folder the evidence goes to: key files inside it are refused unless
            ``self_attested``.
        self_attested: Allow (and with no other key, generate) a key inside ``evidence_dir``.
        generate: Create the user's key file when no key is found anywhere.
        origin: The key name for a generated key.

    Raises:
        InputError: no key was found, a key file is unreadable or malformed, or it lies inside
            the evidence folder without ``self_attested``.

    Example:
        >>> import os, tempfile
        >>> os.environ["RAIKIT_KEY_DIR"] = tempfile.mkdtemp()
        >>> custody = resolve_custody(env="RAIKIT_NO_SUCH_VARIABLE")
        >>> custody.custody, custody.self_attested, custody.generated
        ('signed', False, True)
    """
    folder = Path(evidence_dir) if evidence_dir is not None else None
    if signer is not None:
        if not isinstance(signer, Signer):
            raise InputError(f"signer must be a raikit Signer, got {type(signer).__name__}")
        return LogCustody(signer, None, "key service (signer passed in code)", None, False)
    if key_file is not None:
        path = Path(key_file)
        inside = _inside(path, folder)
        if inside and not self_attested:
            raise InputError(ERR_INSIDE.format(file=str(path), folder=str(folder)))
        key = parse_log_key(_read_key_file(path), f"key file {str(path)!r}")
        return _custody(key, "key file", str(path), inside)
    text = os.environ.get(env)
    if text:
        key = parse_log_key(text, f"${env}")
        source = f"key service hook in ${env}" if text.strip().startswith("hook:") else f"${env}"
        return _custody(key, source, None, False)
    if self_attested:
        if folder is None:
            raise InputError("self_attested needs the evidence folder to keep the key in")
        path = folder / KEY_FILE_NAME
        if path.is_file():
            key = parse_log_key(_read_key_file(path), f"key file {str(path)!r}")
            return _custody(key, "self-attested key file in the evidence folder", str(path), True)
        logger.warning("audit log: writing the signing key into the evidence folder (%s): the "
                       "evidence is SELF-ATTESTED and proves nothing to a third party", path)
        return _custody(_generate(path, origin), "self-attested key file in the evidence folder", str(path),
                        True, generated=True)
    path = default_key_dir() / KEY_FILE_NAME
    if _inside(path, folder):
        raise InputError(ERR_INSIDE.format(file=str(path), folder=str(folder)))
    if path.is_file():
        key = parse_log_key(_read_key_file(path), f"key file {str(path)!r}")
        return _custody(key, "user key file", str(path), False)
    if not generate:
        raise InputError(ERR_NO_KEY.format(env=env, default=str(path)))
    logger.warning("audit log: no signing key configured; generated one at %s (mode 0600, outside "
                   "the evidence folder)", path)
    return _custody(_generate(path, origin), "user key file (generated)", str(path), False, generated=True)
