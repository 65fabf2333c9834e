"""The HTML report in real headless Chromium: renders, no console errors, verdicts visible.

Needs Debian's ``chromium`` (``apt-get install -y chromium``); skipped when it is absent.
Keeps a screenshot as a test artefact in ``test-artifacts/report.png``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from _report_samples import hostile_result, sample_result

from raikit.audits._report import write_report

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]
FAIL_RED = (0xB3, 0x26, 0x1E)


def _chromium(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *extra, page.resolve().as_uri()],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


def _console(stderr: str) -> list[str]:
    """Console messages (errors, CSP violations, uncaught exceptions) Chromium logged for the page."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(sample_result(), tmp_path_factory.mktemp("report"), license="apache-2.0").html


def test_report_renders_in_chromium_without_console_errors(report, tmp_path):
    run = _chromium(report, tmp_path / "profile", "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    assert _console(run.stderr) == []
    dom = run.stdout
    # the inline script ran after load and found every inlined figure decoded
    assert re.search(r'<html[^>]*data-render-check="ok"', dom), dom[:300]
    assert re.search(r'<span id="render-check">All 5 figures rendered\.</span>', dom)
    result = sample_result()
    failed = [g for g in result["gates"] if not g["passed"]]
    assert 'data-verdict="fail"' in dom and '<div class="big">FAIL</div>' in dom
    gates = dom.split('<section id="gates">')[1].split("</section>")[0]
    assert gates.count('<span class="badge fail">FAIL</span>') == len(failed)
    assert gates.count('<span class="badge pass">PASS</span>') == len(result["gates"]) - len(failed)


def test_report_screenshot_shows_the_verdict(report, tmp_path):
    image_mod = pytest.importorskip("PIL.Image", reason="Pillow reads the screenshot")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    run = _chromium(
        report, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,2000", "--hide-scrollbars"
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert _console(run.stderr) == []
    with image_mod.open(shot) as img:
        assert img.size == (1280, 2000)
        banner = img.convert("RGB").crop((0, 0, 1280, 200))
        red = sum(
            1 for px in banner.getdata() if all(abs(a - b) <= 12 for a, b in zip(px, FAIL_RED, strict=True))
        )
        colours = len(set(img.convert("RGB").resize((320, 500)).getdata()))
    assert red > 2000, "the red FAIL badge is not visible at the top of the page"
    assert colours > 50, "the screenshot looks blank"


def test_hostile_result_runs_no_injected_markup_in_chromium(tmp_path):
    page = write_report(hostile_result(), tmp_path / "out", card=False, plots=False).html
    run = _chromium(page, tmp_path / "profile", "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    assert _console(run.stderr) == []
    dom = run.stdout
    assert len(re.findall(r"<script", dom)) == 1
    assert not re.search(r'<img[^>]*src="x"', dom)
    assert re.search(r'<html[^>]*data-render-check="ok"', dom)
