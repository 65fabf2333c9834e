"""Training data, data loaders and the training recipe of the bundled harm model.

Not part of the installed package: ``scripts/train_harm_model.py``, ``benchmarks/harm.py``
and the tests import it from the project root. Written cases are JSONL files in ``data/``.
"""
