"""``raikit watermark``: embed and detect image and text watermarks.

The key is read from an environment variable (``--key-env``, default
``RAIKIT_WATERMARK_KEY``) or a file (``--key-file``); it is never printed, only its id.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from raikit.cli._common import EXIT_FAILED, EXIT_OK, echo_json, handle_errors, json_option
from raikit.errors import InputError

DEFAULT_KEY_ENV = "RAIKIT_WATERMARK_KEY"
TEXT_SUFFIXES = {".txt", ".md", ".text"}
FOLDER = click.Path(file_okay=False)
NO_KEY = "no watermark key: set ${var} or pass --key-file PATH"
KEY_FILE_UNREADABLE = "cannot read key file {path}: {reason}"


def _key_options(fn: Any) -> Any:
    fn = click.option(
        "--key-file", type=click.Path(dir_okay=False), help="Read the key from this file (trailing newline stripped)."
    )(fn)
    fn = click.option(
        "--key-env", default=DEFAULT_KEY_ENV, show_default=True, help="Environment variable holding the key."
    )(fn)
    return fn


def _read_key(key_env: str, key_file: str | None) -> bytes:
    if key_file:
        try:
            data = Path(key_file).read_bytes().rstrip(b"\r\n")
        except OSError as err:
            raise InputError(KEY_FILE_UNREADABLE.format(path=key_file, reason=type(err).__name__)) from err
        if not data:
            raise InputError(KEY_FILE_UNREADABLE.format(path=key_file, reason="empty file"))
        return data
    value = os.environ.get(key_env, "")
    if not value:
        raise InputError(NO_KEY.format(var=key_env))
    return value.encode("utf-8")


def _load_tokenizer(path: str | None) -> Any:
    from raikit.errors import MissingDependencyError

    if path is None:
        from raikit.demo import DEMO_MODEL_DIR

        path = str(DEMO_MODEL_DIR)
    from raikit._hf import load_local

    return load_local("tokenizer", path)


@click.group()
def watermark() -> None:
    """Embed and detect keyed watermarks in images and texts.

    \b
    Examples:
      export RAIKIT_WATERMARK_KEY=$(openssl rand -hex 32)
      raikit watermark embed photo.png -o photo.marked.png --payload model-1
      raikit watermark detect photo.marked.jpg --json
      raikit watermark detect answer.txt --tokenizer ./my-model
    """


@watermark.command()
@click.argument("image", type=click.Path(dir_okay=False))
@click.option("-o", "--out", type=click.Path(dir_okay=False), help="Where to write the result (image format from the suffix).")
@click.option(
    "--payload", default="default", show_default=True, help="Model or deployment id (<= 7 bytes carried verbatim)."
)
@click.option("--overwrite", is_flag=True, help="Allow replacing an existing file (the input itself without --out).")
@click.option("--model", "model_dir", type=FOLDER, help="Text mode: a local causal LM folder; IMAGE is then a prompt file continued with the text watermark.")
@click.option("--max-new-tokens", default=100, show_default=True, help="Text mode: tokens to generate.")
@click.option("--scheme", type=click.Choice(["gumbel", "green"]), default="gumbel", show_default=True,
              help="Text mode: watermark scheme (gumbel: no quality cost; green: green list).")
@click.option("--c2pa-cert", type=click.Path(dir_okay=False),
              help="Also sign C2PA content credentials: PEM certificate chain (signer first).")
@click.option("--c2pa-key", type=click.Path(dir_okay=False), help="PEM private key of --c2pa-cert.")
@_key_options
@json_option()
@handle_errors
def embed(
    image: str,
    out: str | None,
    payload: str,
    overwrite: bool,
    model_dir: str | None,
    max_new_tokens: int,
    scheme: str,
    c2pa_cert: str | None,
    c2pa_key: str | None,
    key_env: str,
    key_file: str | None,
    as_json: bool,
) -> None:
    """Mark IMAGE (PNG, JPEG, WebP) and write it to --out.

    With --model, IMAGE is instead a text file holding a prompt: the model continues it with
    the text watermark and the continuation is written to --out (or printed).

    \b
    Examples:
      raikit watermark embed photo.png -o photo.marked.png --payload model-1
      raikit watermark embed prompt.txt --model ./my-model -o answer.txt
    """
    from raikit.watermark import embed_image, key_id

    key = _read_key(key_env, key_file)
    if model_dir is not None:
        text = _generate_marked(Path(image), Path(model_dir), key, max_new_tokens, scheme)
        if out:
            dest = Path(out)
            if dest.exists() and not overwrite:
                raise InputError(f"output file {dest} already exists; pass --overwrite to replace it")
            dest.write_text(text, encoding="utf-8")
        elif not as_json:
            click.echo(text)
        if as_json:
            echo_json({"input": image, "kind": "text", "out": out, "key_id": key_id(key)})
        sys.exit(EXIT_OK)
    if (c2pa_cert is None) != (c2pa_key is None):
        raise InputError("content credentials need both --c2pa-cert and --c2pa-key")
    result = embed_image(image, key=key, payload=payload, out=out, overwrite=overwrite)
    signed = False
    if c2pa_cert is not None and c2pa_key is not None:
        from raikit.watermark import attach_credentials

        attach_credentials(result, result, cert_chain=_read_pem(c2pa_cert), private_key=_read_pem(c2pa_key))
        signed = True
    if as_json:
        echo_json({"input": image, "kind": "image", "out": str(result), "key_id": key_id(key), "c2pa": signed})
    else:
        extra = ", C2PA content credentials signed" if signed else ""
        click.echo(f"marked {image} -> {result} (key id {key_id(key)}{extra})")


def _read_pem(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as err:
        raise InputError(f"cannot read {path}: {type(err).__name__}") from err


def _generate_marked(prompt_file: Path, model_dir: Path, key: bytes, max_new_tokens: int, scheme: str) -> str:
    from raikit.errors import MissingDependencyError
    from raikit.watermark import TextWatermark

    try:
        prompt = prompt_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read {prompt_file}: {type(err).__name__}") from err
    from raikit._hf import import_hf, load_local

    torch, _ = import_hf()
    tokenizer = _load_tokenizer(str(model_dir))
    model = load_local("causal-lm", model_dir)
    wm = TextWatermark(key=key, tokenizer=tokenizer, scheme=scheme)
    inputs = tokenizer(prompt, return_tensors="pt")
    sampling = TextWatermark.sampling_params(model, do_sample=True)
    with torch.no_grad():
        ids = model.generate(
            **inputs,
            max_new_tokens=max_new_tokens,
            do_sample=True,
            logits_processor=[wm.logits_processor(**sampling)],
            pad_token_id=tokenizer.eos_token_id if tokenizer.pad_token_id is None else tokenizer.pad_token_id,
        )
    return str(tokenizer.decode(ids[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True))


def _is_text(path: Path, force_text: bool) -> bool:
    return force_text or path.suffix.lower() in TEXT_SUFFIXES or str(path) == "-"


@watermark.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--text", "force_text", is_flag=True, help="Treat inputs as text files ('-' = stdin); .txt/.md always are.")
@click.option("--payload", "payloads", multiple=True,
              help="Images: a payload id you embedded (repeatable): names ids over 7 bytes and verifies marks "
                   "too damaged to decode blind.")
@click.option(
    "--tokenizer",
    "tokenizer_dir",
    type=FOLDER,
    help="Text: local tokenizer folder (default: the bundled demo model's).",
)
@click.option("--scheme", type=click.Choice(["gumbel", "green"]), default="gumbel", show_default=True,
              help="Text: the scheme used at generation (the policy's watermark.text.scheme).")
@click.option("--gamma", default=0.25, show_default=True, help="Text, green list: green fraction used at generation.")
@click.option("--context-width", type=int, default=None,
              help="Text: context tokens seeding the key stream  [default: 1 green, 3 gumbel]")
@click.option("--p-threshold", default=1e-4, show_default=True,
              help="Text: corrected p-value at or below which a text is marked (its false-positive rate).")
@click.option("--min-tokens", default=25, show_default=True, help="Text: fewer scored tokens answer 'too short'.")
@click.option("--trust-anchors", type=click.Path(dir_okay=False),
              help="Images: PEM certificates trusted for C2PA content credentials.")
@_key_options
@json_option("Print results as JSON.")
@handle_errors
def detect(
    inputs: tuple[str, ...],
    force_text: bool,
    payloads: tuple[str, ...],
    tokenizer_dir: str | None,
    scheme: str,
    gamma: float,
    context_width: int | None,
    p_threshold: float,
    min_tokens: int,
    trust_anchors: str | None,
    key_env: str,
    key_file: str | None,
    as_json: bool,
) -> None:
    """Detect the watermark in image or text INPUTS.

    Text is scanned for a marked passage anywhere inside it (the p-value is corrected for
    every window tried; the span found is reported). When nothing is found the reason is
    printed: too short to tell, no signal for this key (unmarked, another key, or edited),
    or, for images, no synchronisation pattern found. Images: name the payloads you embed
    (--payload) and a mark too damaged to decode blind is still verified against them.
    Exit 0 when every input is marked, 1 when one is not (or is too short to tell), 2 on
    errors (unreadable file, missing key).

    \b
    Examples:
      raikit watermark detect photo.jpg
      raikit watermark detect shared-screenshot.jpg --payload model-1 --payload model-2
      raikit watermark detect a.txt b.txt --json
      cat answer | raikit watermark detect --text - --tokenizer ./my-model
    """
    from raikit.watermark import TextWatermark, detect_image

    key = _read_key(key_env, key_file)
    results: list[dict[str, Any]] = []
    text_wm: TextWatermark | None = None
    for name in inputs:
        path = Path(name)
        if _is_text(path, force_text):
            if text_wm is None:
                text_wm = TextWatermark(
                    key=key,
                    tokenizer=_load_tokenizer(tokenizer_dir),
                    scheme=scheme,
                    gamma=gamma,
                    context_width=context_width,
                    min_tokens=min_tokens,
                    p_threshold=p_threshold,
                )
            text = _read_text(name)
            result = text_wm.detect(text).to_dict()
            result.update(input=name, kind="text")
        else:
            result = detect_image(name, key=key, payloads=list(payloads) or None).to_dict()
            result.update(input=name, kind="image", **_image_extras(name, trust_anchors))
        results.append(result)
    if as_json:
        echo_json(results)
    else:
        for r in results:
            click.echo(_summary(r))
    sys.exit(EXIT_OK if all(r["found"] for r in results) else EXIT_FAILED)


def _image_extras(name: str, trust_anchors: str | None) -> dict[str, Any]:
    """Third-party marks and C2PA content credentials of an image file (when the packages are there)."""
    from raikit.errors import MissingDependencyError
    from raikit.watermark import detect_third_party, read_credentials
    from raikit.watermark._image import load_rgb

    extras: dict[str, Any] = {}
    try:
        extras["third_party"] = [m.to_dict() for m in detect_third_party(load_rgb(name)[0])]
    except MissingDependencyError as err:
        extras["third_party"] = None
        extras["third_party_note"] = str(err)
    try:
        anchors = _read_pem(trust_anchors) if trust_anchors else None
        extras["c2pa"] = read_credentials(name, trust_anchors=anchors).to_dict()
    except MissingDependencyError as err:
        extras["c2pa"] = None
        extras["c2pa_note"] = str(err)
    return extras


def _image_notes(r: dict[str, Any]) -> str:
    notes = [f"third-party mark {m['name']} ({m['method']}, p={m['p_value']:.2g})" for m in r.get("third_party") or []]
    c2pa = r.get("c2pa") or {}
    if c2pa.get("present"):
        who = f", signer {c2pa['signer']!r} of {c2pa['issuer']!r}" if c2pa.get("signer") else ""
        notes.append(f"C2PA content credentials {c2pa['validation_state']}{who}")
    return "; " + "; ".join(notes) if notes else ""


def _read_text(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read text file {name}: {type(err).__name__}") from err


def _summary(r: dict[str, Any]) -> str:
    if r["kind"] == "image":
        if r["found"]:
            return (
                f"{r['input']}: marked (payload {r['payload']!r}, p={r['p_value']:.2g}, "
                + ("verified against the given payloads" if r["extra"].get("verified")
                   else f"{r['bit_errors']} bit errors corrected")
                + f", key id {r['key_id']}){_image_notes(r)}"
            )
        reason = r.get("message") or f"no mark of key id {r['key_id']}"
        return f"{r['input']}: not marked: {reason}{_image_notes(r)}"
    if r["found"]:
        span = f", span tokens {r['span_tokens'][0]}-{r['span_tokens'][1]}" if r.get("span_tokens") else ""
        return (
            f"{r['input']}: marked ({r['scheme']}, p={r['p_value']:.2g} over {r['windows_tested']} windows{span}, "
            f"{r['scored_tokens']} scored tokens, key id {r['key_id']})"
        )
    if r["too_short"]:
        return f"{r['input']}: {r['message']}"
    return f"{r['input']}: not marked: {r['message']}"
