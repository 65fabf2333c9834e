"""Leak versus echo: was a value found in an output already in the prompt?"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from raikit.guardrails._finding import Finding


def find_leaks(
    prompt_findings: Iterable[Finding], output_findings: Iterable[Finding]
) -> tuple[list[Finding], list[Finding]]:
    """Split output findings into new PII (leaks) and echoes of PII the prompt contained.

    Values are compared by ``(check_id, hash)``: the salted hash of the value's canonical form,
    so an echo written differently (spaces in a card number, another letter case) still
    matches, and no raw value is compared or kept.

    Args:
        prompt_findings: Findings of the prompt (input) scan.
        output_findings: Findings of the output scan.

    Returns:
        ``(new, echoed)``; echoed findings are copies with ``echo=True``. Findings without a
        hash are always new.

    Example:
        >>> p = [Finding("pii", "EMAIL_ADDRESS", 0, 5, 1.0, hash="ab12")]
        >>> o = [Finding("pii", "EMAIL_ADDRESS", 9, 14, 1.0, hash="ab12"),
        ...      Finding("pii", "PERSON", 20, 23, 0.9, hash="cd34")]
        >>> new, echoed = find_leaks(p, o)
        >>> [f.type for f in new], [f.echo for f in echoed]
        (['PERSON'], [True])
    """
    seen = {(f.check_id, f.hash) for f in prompt_findings if f.hash}
    new: list[Finding] = []
    echoed: list[Finding] = []
    for f in output_findings:
        if f.hash and (f.check_id, f.hash) in seen:
            echoed.append(dataclasses.replace(f, echo=True))
        else:
            new.append(f)
    return new, echoed
