"""The Check base keeps its contract for every subclass: thresholds, result counts, spans, errors."""

from __future__ import annotations

import pytest

from raikit.errors import CheckError, InputError, InputTypeError
from raikit.guardrails import Check, Finding, load_check
from raikit.guardrails.testing import KeywordCheck


@pytest.mark.parametrize(
    ("score", "threshold", "kept"),
    [(0.1, 0.5, 0), (0.49, 0.5, 0), (0.5, 0.5, 1), (0.9, 0.5, 1), (0.1, 0.1, 1), (0.0, 0.0, 1)],
)
def test_scan_drops_findings_below_the_threshold(score: float, threshold: float, kept: int) -> None:
    check = KeywordCheck(words={"EMAIL": "@"}, score=score, threshold=threshold)
    assert len(check.scan(["a@b"])[0]) == kept


class _PerType(Check):
    name = "per-type"

    def _scan(self, texts: list[str]) -> list[list[Finding]]:
        return [[self.finding("low", 0, 1, 0.3), self.finding("high", 1, 2, 0.3)] for _ in texts]

    def threshold_for(self, type: str) -> float:
        return 0.2 if type == "low" else self.threshold


def test_per_type_thresholds_go_through_threshold_for() -> None:
    assert [f.type for f in _PerType().scan(["ab"])[0]] == ["low"]


class _Miscounting(Check):
    name = "miscounting"

    def _scan(self, texts: list[str]) -> list[list[Finding]]:
        return []


def test_wrong_result_count_raises_check_error() -> None:
    with pytest.raises(CheckError, match="returned 0 results for 2 texts") as info:
        _Miscounting(id="m").scan(["a", "b"])
    assert info.value.check_id == "m"


def test_single_string_is_a_located_type_error() -> None:
    with pytest.raises(InputTypeError, match="wrap a single text in a list") as info:
        KeywordCheck(words={"X": "x"}).scan("x")  # type: ignore[arg-type]
    assert isinstance(info.value, TypeError) and isinstance(info.value, InputError)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("denylist", {}),
        ("denylist", {"terms": [""]}),
        ("denylist", {"patterns": ["("]}),
        ("denylist", {"terms": ["x"], "threshold": 1.5}),
        ("transformers", {"model_path": ""}),
    ],
)
def test_bad_check_parameters_raise_input_error(name: str, params: dict) -> None:
    with pytest.raises(InputError):
        load_check(name, **params)


@pytest.mark.parametrize(("start", "end"), [(None, 4), (3, None), (5, 2), (-1, 2)])
def test_a_finding_is_either_a_span_or_the_whole_text(start: int | None, end: int | None) -> None:
    with pytest.raises(InputError):
        Finding(check_id="c", type="t", start=start, end=end, score=1.0)


def test_whole_text_finding_has_no_span() -> None:
    finding = Finding(check_id="harm", type="hate", start=None, end=None, score=0.9)
    assert finding.whole_text and str(finding) == "harm:hate score=0.90"
