"""``raikit watermark``: exit codes 0 marked / 1 not marked / 2 error, and --json."""

from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("cv2")
from click.testing import CliRunner  # noqa: E402
from PIL import Image  # noqa: E402

from _watermark_helpers import natural_image  # noqa: E402
from raikit.cli.watermark import watermark  # noqa: E402
from raikit.watermark import TextWatermark, key_id  # noqa: E402

KEY = "cli-key-123456"
ENV = {"RAIKIT_WATERMARK_KEY": KEY}


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    plain = folder / "plain.png"
    Image.fromarray(natural_image(seed=3, height=256, width=320)).save(plain)
    return folder, plain


def run(args, env=ENV, input=None):
    return CliRunner().invoke(watermark, args, env=env, input=input)


def test_embed_then_detect_image(images) -> None:
    folder, plain = images
    marked = folder / "marked.jpg"
    result = run(["embed", str(plain), "-o", str(marked), "--payload", "cli-1"])
    assert result.exit_code == 0, result.output
    assert KEY not in result.output and key_id(KEY) in result.output
    result = run(["detect", str(marked), "--json"])
    assert result.exit_code == 0, result.output
    [record] = json.loads(result.output)
    assert record["found"] and record["payload"] == "cli-1" and record["kind"] == "image"
    assert record["p_value"] <= 1e-6 and record["key_id"] == key_id(KEY)


def test_detect_verifies_a_weak_mark_given_its_payload(images) -> None:
    folder, plain = images
    strong = folder / "strong.png"
    assert run(["embed", str(plain), "-o", str(strong), "--payload", "cli-2"]).exit_code == 0
    base = np.asarray(Image.open(plain)).astype(np.float64)
    weak_pixels = base + 0.35 * (np.asarray(Image.open(strong)).astype(np.float64) - base)
    weak = folder / "weak.jpg"
    Image.fromarray(np.clip(np.rint(weak_pixels), 0, 255).astype(np.uint8)).save(weak, quality=50)
    assert run(["detect", str(weak)]).exit_code == 1  # blind decoding misses it
    result = run(["detect", str(weak), "--payload", "cli-2"])
    assert result.exit_code == 0, result.output
    assert "payload 'cli-2'" in result.output and "verified against the given payloads" in result.output
    assert run(["detect", str(weak), "--payload", "cli-3"]).exit_code == 1


def test_unmarked_exits_1(images) -> None:
    _, plain = images
    result = run(["detect", str(plain)])
    assert result.exit_code == 1
    assert "not marked" in result.output


def test_one_unmarked_among_many_exits_1(images) -> None:
    folder, plain = images
    marked = folder / "m2.png"
    assert run(["embed", str(plain), "-o", str(marked)]).exit_code == 0
    assert run(["detect", str(marked)]).exit_code == 0
    assert run(["detect", str(marked), str(plain)]).exit_code == 1


def test_key_file_and_wrong_key(images, tmp_path) -> None:
    folder, plain = images
    marked = folder / "m3.png"
    assert run(["embed", str(plain), "-o", str(marked)]).exit_code == 0
    key_file = tmp_path / "key"
    key_file.write_text(KEY + "\n")
    assert run(["detect", str(marked), "--key-file", str(key_file)], env={}).exit_code == 0
    assert run(["detect", str(marked)], env={"RAIKIT_WATERMARK_KEY": "some-other-key"}).exit_code == 1
    assert run(["detect", str(marked), "--key-env", "MY_KEY"], env={"MY_KEY": KEY}).exit_code == 0


@pytest.mark.parametrize(
    "args, env, message",
    [
        (["detect", "missing.png"], ENV, "missing.png"),
        (["detect", "IMG"], {"RAIKIT_WATERMARK_KEY": ""}, "RAIKIT_WATERMARK_KEY"),
        (["detect", "IMG", "--key-file", "no-such-key-file"], ENV, "no-such-key-file"),
        (["embed", "IMG"], ENV, "out"),
        (["detect"], ENV, "Missing argument"),
    ],
)
def test_errors_exit_2(images, args, env, message) -> None:
    _, plain = images
    args = [str(plain) if a == "IMG" else a for a in args]
    result = CliRunner().invoke(watermark, args, env=env)
    assert result.exit_code == 2
    assert message in result.output


def test_corrupt_image_exits_2(tmp_path) -> None:
    bad = tmp_path / "bad.webp"
    bad.write_bytes(b"RIFF0000WEBPgarbage")
    result = run(["detect", str(bad)])
    assert result.exit_code == 2 and "bad.webp" in result.output


def test_detect_text(tiny_lm, tmp_path) -> None:
    import torch

    model, tok = tiny_lm
    tok_dir = tmp_path / "tok"
    tok.save_pretrained(tok_dir)
    wm = TextWatermark(key=KEY, tokenizer=tok)
    torch.manual_seed(5)
    prompt = torch.randint(0, 299, (1, 4))
    out = model.generate(prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=80, min_new_tokens=80,
                         do_sample=True, top_k=0, logits_processor=[wm.logits_processor()], pad_token_id=tok.pad_token_id)
    marked = tmp_path / "marked.txt"
    marked.write_text(tok.decode(out[0, 3:]))
    human = tmp_path / "human.txt"
    human.write_text(" ".join(f"w{(i * 37) % 299}" for i in range(120)))
    short = tmp_path / "short.txt"
    short.write_text("w1 w2 w3")

    result = run(["detect", str(marked), "--tokenizer", str(tok_dir), "--json"])
    assert result.exit_code == 0, result.output
    [record] = json.loads(result.output)
    assert record["kind"] == "text" and record["found"] and record["scheme"] == "gumbel"
    assert record["p_value"] <= 1e-4 and record["windows_tested"] >= 1 and record["span_tokens"]
    assert "w1" not in result.output  # the text is never echoed
    result = run(["detect", str(human), "--tokenizer", str(tok_dir)])
    assert result.exit_code == 1 and "not marked: no watermark of key id" in result.output
    result = run(["detect", str(short), "--tokenizer", str(tok_dir), "--json"])
    assert result.exit_code == 1
    [record] = json.loads(result.output)
    assert record["reason"] == "too_short" and "too short to tell" in record["message"]
    result = run(["detect", str(short), "--tokenizer", str(tok_dir)])
    assert result.exit_code == 1 and "too short to tell: 0 scored tokens, 25 needed" in result.output
    # the green-list scheme is chosen at detection too
    assert run(["detect", str(marked), "--tokenizer", str(tok_dir), "--scheme", "green"]).exit_code == 1
    green_wm = TextWatermark(key=KEY, tokenizer=tok, scheme="green")
    out = model.generate(prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=80, min_new_tokens=80,
                         do_sample=True, top_k=0, logits_processor=[green_wm.logits_processor()], pad_token_id=tok.pad_token_id)
    green = tmp_path / "green.txt"
    green.write_text(tok.decode(out[0, 3:]))
    assert run(["detect", str(green), "--tokenizer", str(tok_dir), "--scheme", "green"]).exit_code == 0
    assert run(["detect", str(green), "--tokenizer", str(tok_dir)]).exit_code == 1
    result = run(["detect", "--text", "-", "--tokenizer", str(tok_dir)], input=marked.read_text())
    assert result.exit_code == 0


def test_embed_text_with_local_model_then_detect(tiny_lm, tmp_path) -> None:
    model, tok = tiny_lm
    model_dir = tmp_path / "lm"
    model.save_pretrained(model_dir)
    tok.save_pretrained(model_dir)
    prompt = tmp_path / "prompt.txt"
    prompt.write_text("w5 w6 w7")
    out = tmp_path / "answer.txt"
    result = run(["embed", str(prompt), "--model", str(model_dir), "-o", str(out), "--max-new-tokens", "80"])
    assert result.exit_code == 0, result.output
    assert run(["detect", str(out), "--tokenizer", str(model_dir)]).exit_code == 0
    other = {"RAIKIT_WATERMARK_KEY": "not-the-same-key"}
    assert run(["detect", str(out), "--tokenizer", str(model_dir)], env=other).exit_code == 1
    assert run(["embed", str(prompt), "--model", str(model_dir), "-o", str(out)]).exit_code == 2  # exists


def test_registered_in_root_cli() -> None:
    from raikit.cli import cli

    result = CliRunner().invoke(cli, ["watermark", "detect", "--help"])
    assert result.exit_code == 0 and "--key-env" in result.output


def test_unmarked_image_prints_the_reason(images) -> None:
    _, plain = images
    result = run(["detect", str(plain), "--json"])
    [record] = json.loads(result.output)
    assert result.exit_code == 1 and record["reason"] == "no_sync" and "synchronisation" in record["message"]
    assert "no synchronisation" in run(["detect", str(plain)]).output
