"""C2PA content credentials: sign a generated image's manifest and read it back.

Uses the ``c2pa-python`` package (the Content Authenticity Initiative's library, which ships
its native code). :func:`attach_credentials` writes a manifest stating the image was
created by a trained algorithm (IPTC ``trainedAlgorithmicMedia``) and signs it with the
deployer's certificate chain and key; :func:`read_credentials` reads the manifest of a file,
validates the signature and the content hash, and, given trust anchors, the certificate.
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from raikit.errors import InputError, MissingDependencyError

INSTALL = "pip install c2pa-python"
UNTRUSTED = "signingCredential.untrusted"  # a good signature by a certificate outside the trust list
SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp"}
BAD_FORMAT = "content credentials: unsupported image format {suffix!r} for {name}; use one of {choices}"
SIGN_FAILED = "content credentials: signing {name} failed: {reason}"


@dataclass(frozen=True)
class ContentCredentials:
    """What a file's C2PA manifest says, and whether it verifies.

    Attributes:
        present: The file carries a C2PA manifest.
        validation_state: The library's verdict: ``Trusted`` (signature, hashes and a trusted
            certificate), ``Valid`` (signature and hashes; certificate not in the trust list),
            ``Invalid``; ``None`` when absent.
        signature_valid: The claim signature and the content hash verify.
        trusted: The signing certificate chains to a given trust anchor.
        issuer: Organisation of the signing certificate.
        signer: Common name of the signing certificate.
        claim_generator: Tool that wrote the manifest.
        digital_source_type: The IPTC source type of the creation action, if any.
        failures: Failure codes reported by validation (e.g. ``assertion.dataHash.mismatch``).
    """

    present: bool
    validation_state: str | None = None
    signature_valid: bool = False
    trusted: bool = False
    issuer: str | None = None
    signer: str | None = None
    claim_generator: str | None = None
    digital_source_type: str | None = None
    failures: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


def _c2pa() -> Any:
    try:
        import c2pa
    except ImportError as err:
        raise MissingDependencyError("c2pa-python (content credentials)", INSTALL) from err
    return c2pa


def _mime(path: Path) -> str:
    mime = MIME.get(path.suffix.lower())
    if mime is None:
        raise InputError(BAD_FORMAT.format(suffix=path.suffix, name=path, choices=", ".join(sorted(MIME))))
    return mime


def attach_credentials(
    source: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    cert_chain: bytes,
    private_key: bytes,
    generator: str = "raikit",
    title: str | None = None,
    alg: str = "es256",
) -> Path:
    """Sign a C2PA manifest into a copy of an image file.

    Args:
        source: The image (PNG, JPEG or WebP).
        out: Where to write the signed image (same format).
        cert_chain: PEM signing certificate followed by its issuers.
        private_key: PEM private key of the signing certificate.
        generator: Claim generator name recorded in the manifest.
        title: Manifest title (default: the output file name).
        alg: Signing algorithm (``es256``, ``es384``, ``ps256``, ``ed25519``, ...).

    Returns:
        The output path.

    Raises:
        InputError: Unsupported format, unreadable file, or the library refused to sign
            (for example a certificate without the digitalSignature key usage).
    """
    c2pa = _c2pa()
    src, dest = Path(source), Path(out)
    mime = _mime(src)
    manifest = {
        "claim_generator_info": [{"name": generator}],
        "title": title or dest.name,
        "assertions": [
            {"label": "c2pa.actions", "data": {"actions": [{"action": "c2pa.created", "digitalSourceType": SOURCE_TYPE}]}}
        ],
    }
    try:
        data = src.read_bytes()
        info = c2pa.C2paSignerInfo(alg.encode("ascii"), cert_chain, private_key, None)
        signer = c2pa.Signer.from_info(info)
        signed = io.BytesIO()
        with c2pa.Builder(manifest) as builder:
            builder.sign(signer, mime, io.BytesIO(data), signed)
        dest.write_bytes(signed.getvalue())
    except OSError as err:
        raise InputError(SIGN_FAILED.format(name=src, reason=type(err).__name__)) from err
    except (c2pa.C2paError, ValueError) as err:
        raise InputError(SIGN_FAILED.format(name=src, reason=str(err)[:200])) from err
    return dest


def read_credentials(image: str | os.PathLike[str], *, trust_anchors: bytes | None = None) -> ContentCredentials:
    """Read and validate the C2PA manifest of an image file.

    Args:
        image: The image file.
        trust_anchors: PEM certificates to trust (without them a good signature is ``Valid``,
            not ``Trusted``).

    Returns:
        :class:`ContentCredentials` (``present=False`` when the file has none).
    """
    c2pa = _c2pa()
    path = Path(image)
    mime = MIME.get(path.suffix.lower())
    if mime is None:
        return ContentCredentials(present=False)
    context = None
    if trust_anchors:
        settings = c2pa.Settings.from_json(json.dumps({"trust": {"trust_anchors": trust_anchors.decode("ascii")}}))
        context = c2pa.Context(settings)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read image file {path}: {type(err).__name__}") from err
    try:
        kwargs = {"context": context} if context is not None else {}
        with c2pa.Reader(mime, io.BytesIO(data), **kwargs) as reader:
            state = reader.get_validation_state()
            results = reader.get_validation_results() or {}
            manifest = reader.get_active_manifest() or {}
    except c2pa.C2paError as err:
        if "ManifestNotFound" in type(err).__name__ or "not found" in str(err).lower():
            return ContentCredentials(present=False)
        return ContentCredentials(present=True, validation_state="Invalid", failures=[type(err).__name__])
    active = results.get("activeManifest", {}) if isinstance(results, dict) else {}
    failures = [f.get("code", "") for f in active.get("failure", [])]
    sig = manifest.get("signature_info") or {}
    generator = (manifest.get("claim_generator_info") or [{}])[0].get("name") or manifest.get("claim_generator")
    source_type = None
    for assertion in manifest.get("assertions", []):
        if assertion.get("label", "").startswith("c2pa.actions"):
            for action in assertion.get("data", {}).get("actions", []):
                source_type = action.get("digitalSourceType") or source_type
    return ContentCredentials(
        present=True,
        validation_state=state,
        signature_valid=state in ("Valid", "Trusted") and not [f for f in failures if f != UNTRUSTED],
        trusted=state == "Trusted",
        issuer=sig.get("issuer"),
        signer=sig.get("common_name"),
        claim_generator=generator,
        digital_source_type=source_type,
        failures=failures,
    )


MISSING_SECRET = "content credentials: ${env} is not set (it names the PEM file of the signing {what})"
UNREADABLE_SECRET = "content credentials: cannot read the PEM file named by ${env}: {reason}"


def _secret(env: str, what: str) -> bytes:
    path = os.environ.get(env)
    if not path:
        raise InputError(MISSING_SECRET.format(env=env, what=what))
    try:
        return Path(path).read_bytes()
    except OSError as err:
        raise InputError(UNREADABLE_SECRET.format(env=env, reason=type(err).__name__)) from err


def image_files(obj: Any) -> list[Path]:
    """The image files (``pathlib.Path`` to PNG, JPEG or WebP) in a generator's return value."""
    if isinstance(obj, Path):
        return [obj] if obj.suffix.lower() in MIME and obj.is_file() else []
    if isinstance(obj, dict):
        return [p for v in obj.values() for p in image_files(v)]
    if isinstance(obj, list | tuple):
        return [p for v in obj for p in image_files(v)]
    return []


def sign_outputs(obj: Any, *, cert_env: str, key_env: str, generator: str = "raikit") -> int:
    """Sign content credentials into every image file a generator returned, in place.

    The certificate chain and key are read from the PEM files that ``$cert_env`` and
    ``$key_env`` name, at signing time; they are never copied or recorded.

    Returns:
        How many files were signed.

    Raises:
        InputError: A variable is unset, a PEM file is unreadable, or signing failed.
    """
    files = image_files(obj)
    if not files:
        return 0
    chain, key = _secret(cert_env, "certificate chain"), _secret(key_env, "private key")
    for path in files:
        attach_credentials(path, path, cert_chain=chain, private_key=key, generator=generator)
    return len(files)
