"""``raikit log``: verify, checkpoint, compare checkpoints, make keys and show audit logs.

Exit codes: 0 the log is intact (and, with a public key, every record attested); 3 it failed
verification (tampered, unattested records, inconsistent checkpoints); 2 usage or input error
(missing log or key, malformed checkpoint or key file).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from raikit.cli._common import EXIT_EVIDENCE, EXIT_OK, echo_json, json_option, usage_errors

F = TypeVar("F", bound=Callable[..., Any])
_FILE = click.Path(dir_okay=False, path_type=Path)


def _file_option(*names: str, help: str, required: bool = False) -> Callable[[F], F]:  # noqa: A002
    """An option naming one file (``None`` when not given)."""
    return click.option(*names, type=_FILE, default=None, required=required, help=help)


_GROUP_EXAMPLE = """\b
Examples:
  raikit log keygen ~/.config/raikit/audit-log.key --origin example.com/audit
  raikit log verify raikit-report/audit-log.jsonl --public-key pinned.pub \\
      --checkpoint raikit-report/audit-log.checkpoint
  raikit log consistency old.checkpoint new.checkpoint --public-key pinned.pub --log audit-log.jsonl
  raikit log checkpoint raikit-report/audit-log.jsonl --origin example.com/audit \\
      --generate-key ck.key > cp.txt
  raikit log verify raikit-report/audit-log.jsonl --checkpoint cp.txt --public-key ck.key.pub
  raikit log show raikit-report/audit-log.jsonl --kind decision --last 20
"""

_VERIFY_EXAMPLE = """\b
Examples:
  raikit log verify audit-log.jsonl --public-key pinned.pub --checkpoint audit-log.checkpoint
  raikit log verify audit-log.jsonl --public-key pinned.pub --json
  RAIKIT_LOG_KEY=<hex> raikit log verify old-hmac-log.jsonl        # legacy, self-attested

With --public-key (the writer's Ed25519 public key, obtained out of band, not from the
evidence folder) every record must be covered by a checkpoint that key signed: records after
the last one are reported UNATTESTED. An HMAC key (--key-file, $RAIKIT_LOG_KEY) verifies old
symmetric logs, reported as self-attested: whoever can verify can forge.

Exit codes: 0 intact, 3 tampered or unattested (the first bad record and why are printed), 2 error.
"""

_CHECKPOINT_EXAMPLE = """\b
Examples:
  raikit log checkpoint audit-log.jsonl --origin example.com/audit --generate-key ck.key > cp.txt
  raikit log checkpoint audit-log.jsonl --origin example.com/audit --private-key ck.key --out cp.txt

--generate-key FILE writes FILE (private key) and FILE.pub (public key), both mode 0600, and
refuses to overwrite. Keep the checkpoint and the public key somewhere the log's writer
cannot change them: they pin the history.
"""

_SHOW_EXAMPLE = """\b
Examples:
  raikit log show audit-log.jsonl --last 10
  raikit log show audit-log.jsonl --kind decision --json

Records hold no raw text, keys or salts; `show` does not verify (use `raikit log verify`).
"""

_key_options = [
    click.option("--key-file", "key_files", type=click.Path(dir_okay=False, path_type=Path), multiple=True,
                 help="File holding an HMAC key (hex); repeat for logs written across a key rotation. "
                      "Default: $RAIKIT_LOG_KEY."),
    click.option("--no-key", is_flag=True, default=False,
                 help="Without the HMAC key: check hashes, the chain and a checkpoint only."),
]


def _with_key_options(func: F) -> F:
    for option in reversed(_key_options):
        func = option(func)
    return func


def _keys(key_files: tuple[Path, ...], no_key: bool, public: bool = False) -> dict[str, bytes] | None:
    import os

    from raikit.evidence._log_record import KEY_ENV, log_key_id, load_key
    from raikit.errors import InputError

    if no_key:
        if key_files:
            raise click.UsageError("--no-key and --key-file exclude each other")
        return None
    if key_files:
        keys = [load_key(file=path) for path in key_files]
    elif public:
        return None  # a signed log needs no secret: the public key and checkpoints attest it
    elif (os.environ.get(KEY_ENV) or "").strip().startswith(("PRIVATE+KEY+", "hook:")):
        raise InputError(f"${KEY_ENV} holds a signing key: verify a signed log with --public-key "
                         "(the public key you pinned), not with the writer's secret")
    elif not os.environ.get(KEY_ENV):
        raise InputError(f"nothing to verify with: give --public-key PINNED.pub (signed logs), or a legacy "
                         f"HMAC key with --key-file or ${KEY_ENV}, or --no-key for hashes and chain only")
    else:
        keys = [load_key()]
    return {log_key_id(key): key for key in keys}


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _read_text(path: Path, what: str) -> str:
    from raikit.errors import InputError

    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read {what} {str(path)!r}: {type(err).__name__}") from err


@click.group("log", epilog=_GROUP_EXAMPLE)
def log() -> None:
    """Verify, checkpoint and show tamper-evident audit logs."""


@log.command("verify", epilog=_VERIFY_EXAMPLE)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@_with_key_options
@_file_option("--checkpoint", "checkpoint_file",
              help="A signed checkpoint to check the log against (needs --public-key).")
@_file_option("--public-key", "public_key_file",
              help="The writer's pinned Ed25519 public key file (note format), obtained out of band.")
@json_option()
@usage_errors
def verify(path: Path, key_files: tuple[Path, ...], no_key: bool, checkpoint_file: Path | None,
           public_key_file: Path | None, as_json: bool) -> None:
    """Check every record's hash and chain, its checkpoints under the pinned public key (or a legacy HMAC)."""
    from raikit.evidence._log_verify import verify_files

    if checkpoint_file is not None and public_key_file is None:
        raise click.UsageError("--checkpoint needs --public-key (the key that signed it)")
    keys = _keys(key_files, no_key, public=public_key_file is not None)
    checkpoint = _read_text(checkpoint_file, "checkpoint") if checkpoint_file else None
    public = _read_text(public_key_file, "public key") if public_key_file else None
    result = verify_files(path, keys=keys, checkpoint=checkpoint, verifier=public)
    notes = list(result.warnings)
    if public_key_file is not None and _inside(public_key_file, path.parent):
        notes.append("the public key was read from the evidence folder: it attests nothing unless it "
                     "is the key published out of band (compare it)")
    if as_json:
        echo_json({**result.to_dict(), "notes": notes})
    else:
        if result.custody == "signed":
            checked = f"signed: {result.attested} records attested by checkpoints of the pinned public key"
        elif result.custody == "symmetric":
            checked = "SELF-ATTESTED: symmetric HMAC key, whoever can verify could forge"
        else:
            checked = "hash and chain only: nothing attests who wrote the records"
        if result.ok:
            pinned = f"; checkpoint of {result.checkpoint_size} records holds" if checkpoint else ""
            click.echo(f"ok: {result.records} records verified ({checked}{pinned}); head {result.head_hash}")
        else:
            label = "UNATTESTED" if result.tamper == "unattested" else "TAMPERED"
            click.echo(f"{label}: {result.reason}")
            click.echo(f"{result.records} records verified before it ({checked})")
        for note in notes:
            click.echo(f"warning: {note}", err=True)
    sys.exit(EXIT_OK if result.ok else EXIT_EVIDENCE)


@log.command("consistency")
@click.argument("old_file", type=_FILE)
@click.argument("new_file", type=_FILE)
@_file_option("--public-key", "public_key_file", required=True,
              help="The pinned public key that signed both checkpoints.")
@_file_option("--log", "log_path",
              help="The log: re-hash it to prove the older checkpoint's history is a prefix of the newer.")
@json_option()
@usage_errors
def consistency(old_file: Path, new_file: Path, public_key_file: Path, log_path: Path | None, as_json: bool) -> None:
    """Check that checkpoint NEW extends checkpoint OLD (same log, no rewritten or lost history).

    \b
    Example:
      raikit log consistency release-1.checkpoint release-2.checkpoint --public-key pinned.pub --log audit-log.jsonl

    Exit codes: 0 consistent, 3 not (fork, truncation, rewritten history, wrong key), 2 error.
    """
    from raikit.evidence._log_verify import check_consistency

    result = check_consistency(_read_text(old_file, "checkpoint"), _read_text(new_file, "checkpoint"),
                               _read_text(public_key_file, "public key"), log_path)
    if as_json:
        echo_json(result.to_dict())
    elif result.ok:
        how = "re-hashed from the log" if log_path else "signatures and sizes only; pass --log to re-hash"
        click.echo(f"ok: checkpoint of {result.new_size} records extends the one of {result.old_size} ({how})")
    else:
        click.echo(f"INCONSISTENT: {result.reason}")
    sys.exit(EXIT_OK if result.ok else EXIT_EVIDENCE)


@log.command("keygen")
@click.argument("key_file", type=_FILE)
@click.option("--origin", default="raikit/audit-log", show_default=True,
              help="The key name (the checkpoints' origin line), e.g. example.com/audit.")
@usage_errors
def keygen(key_file: Path, origin: str) -> None:
    """Create an Ed25519 signing key FILE (mode 0600) and its public key FILE.pub.

    Keep FILE away from the evidence (a secrets store, $RAIKIT_LOG_KEY in CI); publish
    FILE.pub where reviewers can pin it.

    \b
    Example:
      raikit log keygen ~/.config/raikit/audit-log.key --origin example.com/audit
    """
    from raikit.evidence._log_checkpoint import generate_signer, write_secret

    public_file = key_file.with_name(key_file.name + ".pub")
    if public_file.exists():
        raise click.UsageError(f"refusing to overwrite {str(public_file)!r}")
    signer = generate_signer(origin)
    key_file.parent.mkdir(parents=True, exist_ok=True)
    write_secret(key_file, signer.to_text())
    public_file.write_text(signer.verifier().to_text(), encoding="utf-8")
    click.echo(f"wrote {key_file} (private, 0600) and {public_file} (public: publish and pin it)", err=True)
    click.echo(signer.verifier().to_text(), nl=False)


@log.command("checkpoint", epilog=_CHECKPOINT_EXAMPLE)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--origin", required=True,
              help="The checkpoint's origin line and key name, e.g. example.com/audit.")
@_file_option("--private-key", "private_key_file",
              help="Ed25519 private key file (note format) to sign with.")
@_file_option("--generate-key", "generate_file",
              help="Write a new key pair to FILE and FILE.pub (mode 0600) and sign with it.")
@_with_key_options
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the checkpoint here instead of stdout.")
@usage_errors
def checkpoint(path: Path, origin: str, private_key_file: Path | None, generate_file: Path | None,
               key_files: tuple[Path, ...], no_key: bool, out_file: Path | None) -> None:
    """Verify the log, then print a signed checkpoint (C2SP tlog-checkpoint) of its size and head."""
    from raikit.evidence._log_checkpoint import generate_signer, parse_signer, sign_checkpoint, write_secret
    from raikit.evidence._log_verify import verify_files

    if (private_key_file is None) == (generate_file is None):
        raise click.UsageError("give exactly one of --private-key and --generate-key")
    keys = _keys(key_files, no_key)
    result = verify_files(path, keys=keys)
    if not result.ok:
        click.echo(f"TAMPERED: {result.reason}", err=True)
        click.echo("refusing to sign a checkpoint of a log that fails verification", err=True)
        sys.exit(EXIT_EVIDENCE)
    if generate_file is not None:
        signer = generate_signer(origin)
        public_file = generate_file.with_name(generate_file.name + ".pub")
        if public_file.exists():
            raise click.UsageError(f"refusing to overwrite {str(public_file)!r}")
        write_secret(generate_file, signer.to_text())
        write_secret(public_file, signer.verifier().to_text())
        click.echo(f"wrote {generate_file} (private) and {public_file} (public)", err=True)
    else:
        assert private_key_file is not None
        where = f"private key file {str(private_key_file)!r}"
        signer = parse_signer(_read_text(private_key_file, "private key"), where)
    text = sign_checkpoint(signer, origin, result.records, result.head_hash)
    if out_file is not None:
        out_file.write_text(text, encoding="utf-8")
        click.echo(f"wrote checkpoint of {result.records} records to {out_file}", err=True)
    else:
        click.echo(text, nl=False)


@log.command("show", epilog=_SHOW_EXAMPLE)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--kind", default=None, help="Only records of this kind (decision, audit_run, ...).")
@click.option("--last", "last", type=click.IntRange(min=1), default=None, help="Only the last N records.")
@json_option("Print the records as a JSON array.")
@usage_errors
def show(path: Path, kind: str | None, last: int | None, as_json: bool) -> None:
    """Print the log's records (sequence, time, kind, event fields; no MACs)."""
    from raikit.evidence._log import read_records

    records = [r for r in read_records(path) if kind is None or r.get("kind") == kind]
    if last is not None:
        records = records[-last:]
    shown = [{k: r.get(k) for k in ("seq", "time", "kind", "key_id", "event", "hash")} for r in records]
    if as_json:
        echo_json(shown)
        return
    for r in shown:
        event = json.dumps(r["event"], sort_keys=True, separators=(",", ":"))
        click.echo(f"{r['seq']:>7} {r['time']} {r['kind']:<12} {event}")
