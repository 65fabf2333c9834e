"""Third-party marks (invisible-watermark dwtDct, as Stable Diffusion embeds) and C2PA credentials."""

from __future__ import annotations

import datetime
import json

import numpy as np
import pytest

pytest.importorskip("cv2")
from click.testing import CliRunner  # noqa: E402
from PIL import Image  # noqa: E402

from _watermark_helpers import natural_image  # noqa: E402
from raikit.cli.watermark import watermark  # noqa: E402
from raikit.watermark import attach_credentials, detect_third_party, read_credentials  # noqa: E402
from raikit.watermark._interop import KNOWN_MARKS  # noqa: E402

ENV = {"RAIKIT_WATERMARK_KEY": "interop-key-0001"}


def sdxl_mark(rgb: np.ndarray) -> np.ndarray:
    """Mark as diffusers' StableDiffusionXLWatermarker does (BGR, dwtDct, its 48 bits)."""
    from imwatermark import WatermarkEncoder

    enc = WatermarkEncoder()
    enc.set_watermark("bits", KNOWN_MARKS["stable-diffusion-xl"])
    return np.ascontiguousarray(enc.encode(np.ascontiguousarray(rgb[:, :, ::-1]), "dwtDct")[:, :, ::-1])


def test_sdxl_mark_is_found_and_unmarked_is_not() -> None:
    pytest.importorskip("imwatermark")
    base = natural_image(seed=11, height=512, width=512)
    [mark] = detect_third_party(sdxl_mark(base))
    assert mark.name == "stable-diffusion-xl" and mark.method == "dwtDct" and mark.p_value <= 1e-6
    assert mark.bits == 48 and mark.bits_matched >= 44
    for seed in range(5):
        assert detect_third_party(natural_image(seed=seed, height=512, width=512)) == []
    assert detect_third_party(base[:200, :200]) == []  # under 256: the encoders skip these


def _test_pki():
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.timezone.utc)

    def name(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "raikit tests")])

    def usage(ca: bool) -> x509.KeyUsage:
        return x509.KeyUsage(digital_signature=not ca, content_commitment=False, key_encipherment=False,
                             data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                             encipher_only=False, decipher_only=False)

    def build(subject, issuer, pub, signing_key, ca):
        b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(pub)
             .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
             .not_valid_after(now + datetime.timedelta(days=7))
             .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
             .add_extension(usage(ca), critical=True)
             .add_extension(x509.SubjectKeyIdentifier.from_public_key(pub), critical=False))
        if not ca:
            b = b.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(signing_key.public_key()), critical=False)
        return b.sign(signing_key, hashes.SHA256())

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = build(name("raikit test CA"), name("raikit test CA"), ca_key.public_key(), ca_key, True)
    leaf = build(name("raikit test signer"), name("raikit test CA"), key.public_key(), ca_key, False)
    pem = lambda c: c.public_bytes(serialization.Encoding.PEM)  # noqa: E731
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return pem(leaf) + pem(ca), private, pem(ca)


@pytest.fixture(scope="module")
def pki():
    pytest.importorskip("c2pa")
    pytest.importorskip("cryptography")
    return _test_pki()


def test_credentials_round_trip_validate_and_detect_tampering(tmp_path, pki) -> None:
    chain, private, anchor = pki
    src = tmp_path / "gen.png"
    Image.fromarray(natural_image(seed=2, height=256, width=256)).save(src)
    signed = attach_credentials(src, tmp_path / "signed.png", cert_chain=chain, private_key=private)
    creds = read_credentials(signed)
    assert creds.present and creds.signature_valid and creds.validation_state == "Valid" and not creds.trusted
    assert creds.signer == "raikit test signer" and creds.issuer == "raikit tests"
    assert creds.digital_source_type.endswith("trainedAlgorithmicMedia") and creds.claim_generator == "raikit"
    trusted = read_credentials(signed, trust_anchors=anchor)
    assert trusted.trusted and trusted.validation_state == "Trusted"
    assert not read_credentials(src).present
    # change pixels after signing: the content hash no longer matches
    data = bytearray(signed.read_bytes())
    img = Image.open(signed)
    arr = np.asarray(img).copy()
    arr[0:8, 0:8] ^= 0xFF
    del data
    tampered = tmp_path / "tampered.png"
    out = Image.fromarray(arr)
    out.save(tampered, pnginfo=None)
    assert not read_credentials(tampered).present  # re-encoding drops the manifest
    raw = bytearray(signed.read_bytes())
    idat = raw.find(b"IDAT")
    raw[idat + 40] ^= 0x01
    bad = tmp_path / "flipped.png"
    bad.write_bytes(bytes(raw))
    broken = read_credentials(bad)
    assert broken.present and not broken.signature_valid and broken.failures


def test_cli_embeds_credentials_and_detect_reports_them(tmp_path, pki) -> None:
    pytest.importorskip("imwatermark")
    chain, private, anchor = pki
    (tmp_path / "chain.pem").write_bytes(chain)
    (tmp_path / "key.pem").write_bytes(private)
    (tmp_path / "ca.pem").write_bytes(anchor)
    src = tmp_path / "gen.png"
    Image.fromarray(sdxl_mark(natural_image(seed=4, height=512, width=512))).save(src)
    out = tmp_path / "out.png"
    runner = CliRunner()
    result = runner.invoke(watermark, ["embed", str(src), "-o", str(out), "--c2pa-cert", str(tmp_path / "chain.pem"),
                                       "--c2pa-key", str(tmp_path / "key.pem")], env=ENV)
    assert result.exit_code == 0 and "C2PA" in result.output, result.output
    result = runner.invoke(watermark, ["detect", str(out), "--json", "--trust-anchors", str(tmp_path / "ca.pem")], env=ENV)
    assert result.exit_code == 0, result.output
    [record] = json.loads(result.output)
    assert record["found"] and record["c2pa"]["trusted"] and record["c2pa"]["signature_valid"]
    result = runner.invoke(watermark, ["detect", str(src), "--json"], env=ENV)
    [record] = json.loads(result.output)
    assert not record["found"] and record["c2pa"]["present"] is False
    assert [m["name"] for m in record["third_party"]] == ["stable-diffusion-xl"]
    assert "third-party mark stable-diffusion-xl" in runner.invoke(watermark, ["detect", str(src)], env=ENV).output
    result = runner.invoke(watermark, ["embed", str(src), "-o", str(tmp_path / "x.png"), "--c2pa-cert", "c.pem"], env=ENV)
    assert result.exit_code == 2 and "--c2pa-key" in result.output


GUARD_POLICY = """
version: 1
name: credentials
checks: []
watermark:
  image: {enabled: true, key_env: RAIKIT_WATERMARK_KEY, payload: gen-1, c2pa_cert_env: TEST_C2PA_CERT, c2pa_key_env: TEST_C2PA_KEY}
"""


def test_guard_marks_and_signs_returned_image_files_and_detect_validates(tmp_path, pki, monkeypatch) -> None:
    from pathlib import Path

    from raikit.guardrails import guard, last_decision, policy_from_string

    chain, private, anchor = pki
    secrets = tmp_path / "secrets"  # the signing material lives apart from the outputs and the log
    secrets.mkdir()
    (secrets / "chain.pem").write_bytes(chain)
    (secrets / "key.pem").write_bytes(private)
    (tmp_path / "ca.pem").write_bytes(anchor)
    monkeypatch.setenv("RAIKIT_WATERMARK_KEY", ENV["RAIKIT_WATERMARK_KEY"])
    monkeypatch.setenv("TEST_C2PA_CERT", str(secrets / "chain.pem"))
    monkeypatch.setenv("TEST_C2PA_KEY", str(secrets / "key.pem"))
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    @guard(policy_from_string(GUARD_POLICY))
    def draw(prompt: str) -> list[Path]:
        path = out_dir / "gen.png"
        Image.fromarray(natural_image(seed=5, height=256, width=256)).save(path)
        return [path]

    [path] = draw("a landscape")
    decision = last_decision()
    assert decision is not None and decision.watermark["count"] == 1 and decision.watermark["c2pa_signed"] == 1
    record = json.dumps(decision.to_record())
    assert "BEGIN" not in record and str(secrets) not in record  # neither the key nor where it lives
    result = CliRunner().invoke(watermark, ["detect", str(path), "--json", "--trust-anchors", str(tmp_path / "ca.pem")],
                                env=ENV)
    assert result.exit_code == 0, result.output
    [found] = json.loads(result.output)
    assert found["found"] and found["payload"] == "gen-1"
    assert found["c2pa"]["signature_valid"] and found["c2pa"]["trusted"]
    assert found["c2pa"]["digital_source_type"].endswith("trainedAlgorithmicMedia")


def test_guard_without_the_signing_key_fails_clearly(tmp_path, pki, monkeypatch) -> None:
    from pathlib import Path

    from raikit.errors import InputError
    from raikit.guardrails import guard, policy_from_string

    monkeypatch.setenv("RAIKIT_WATERMARK_KEY", ENV["RAIKIT_WATERMARK_KEY"])
    monkeypatch.delenv("TEST_C2PA_CERT", raising=False)
    monkeypatch.delenv("TEST_C2PA_KEY", raising=False)

    @guard(policy_from_string(GUARD_POLICY))
    def draw(prompt: str) -> Path:
        path = tmp_path / "gen.png"
        Image.fromarray(natural_image(seed=6, height=256, width=256)).save(path)
        return path

    with pytest.raises(InputError, match="TEST_C2PA_CERT"):
        draw("a landscape")
