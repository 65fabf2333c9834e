"""Images are size-checked before decoding (issue 17: a 20000x20000 PNG raised an uncaught DecompressionBombError)."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest

pytest.importorskip("PIL")

from raikit.errors import InputError  # noqa: E402
from raikit.guardrails._image_io import open_image_limited  # noqa: E402


def bomb_png(side: int = 20_000) -> bytes:
    """A valid 1-bit greyscale PNG of side x side pixels, a few hundred kilobytes on disk."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" * (1 + (side + 7) // 8)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def test_a_decompression_bomb_is_an_input_error_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(bomb_png())
    assert path.stat().st_size < 2_000_000
    with pytest.raises(InputError, match="bomb"):
        open_image_limited(path)
    with pytest.raises(InputError, match="bomb"):
        open_image_limited(path.read_bytes())
    smaller = bomb_png(9000)  # under Pillow's own bomb check, over raikit's limit
    with pytest.raises(InputError, match="9000x9000"):
        open_image_limited(smaller)


def test_a_small_limit_applies_and_normal_images_decode(tmp_path: Path) -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(buf, "PNG")
    assert open_image_limited(buf.getvalue()).size == (300, 200)
    with pytest.raises(InputError, match="at most 1,000"):
        open_image_limited(buf.getvalue(), max_pixels=1000, name="upload.png")
    with pytest.raises(InputError, match="upload.png"):
        open_image_limited(Image.new("RGB", (300, 200)), max_pixels=1000, name="upload.png")


@pytest.mark.parametrize("data", [b"", b"not an image", bomb_png(64)[:45]])
def test_corrupt_or_truncated_images_are_input_errors(data: bytes) -> None:
    with pytest.raises(InputError, match="cannot decode"):
        open_image_limited(data)
