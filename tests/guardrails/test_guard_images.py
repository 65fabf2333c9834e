"""The guard marks images a generator returns when the policy enables image watermarking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from raikit.guardrails import guard, last_decision, policy_from_string

POLICY = """
version: 1
name: images
checks: []
watermark:
  image: {enabled: true, key_env: TEST_WM_KEY, payload: my-model}
"""


@pytest.fixture
def photo(shared_data: Path):  # type: ignore[no-untyped-def]
    image = pytest.importorskip("PIL.Image")
    return image.open(shared_data / "images" / "peppers.png").convert("RGB").resize((256, 256))


def test_images_returned_by_a_generator_are_marked(photo, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from raikit.watermark import detect_image

    monkeypatch.setenv("TEST_WM_KEY", "image-key-0123456789")
    g = guard(policy_from_string(POLICY))

    @g
    def draw(prompt: str):  # type: ignore[no-untyped-def]
        return [{"image": photo, "caption": "peppers"}]

    out = draw("peppers please")
    marked = out[0]["image"]
    assert marked is not photo and out[0]["caption"] == "peppers"
    assert detect_image(marked, key="image-key-0123456789").found
    assert not detect_image(photo, key="image-key-0123456789").found  # the input is untouched
    decision = last_decision()
    assert decision is not None and decision.watermark["status"] == "marked" and decision.watermark["count"] == 1  # type: ignore[index]
    assert "image-key" not in json.dumps(decision.to_record())


def test_missing_key_leaves_images_unmarked_and_says_so(photo, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("TEST_WM_KEY", raising=False)
    out = guard(policy_from_string(POLICY))(lambda prompt: photo)("x")
    assert out is photo
    decision = last_decision()
    assert decision is not None and decision.watermark == {"kind": "image", "status": "skipped", "reason": "$TEST_WM_KEY not set"}
