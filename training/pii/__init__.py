"""Training-only material of raikit's PII check (not installed): synthetic text, written cases.

Used by ``scripts/train_pii_ner.py`` and ``benchmarks/pii.py``; nothing under
``raikit.guardrails`` imports it. Put the repository root on ``sys.path`` to import it.
"""
