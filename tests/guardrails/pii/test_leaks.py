from raikit.guardrails import Finding
from raikit.guardrails.pii import find_leaks


def _f(type_, hash_, check_id="pii", start=0):
    return Finding(check_id=check_id, type=type_, start=start, end=start + 3, score=0.9, hash=hash_)


def test_output_value_seen_in_prompt_is_an_echo_and_the_rest_is_new():
    prompt = [_f("EMAIL_ADDRESS", "h-email"), _f("PERSON", "h-ann")]
    output = [_f("EMAIL_ADDRESS", "h-email", start=10), _f("PERSON", "h-bob", start=20), _f("PERSON", None, start=30)]
    new, echoed = find_leaks(prompt, output)
    assert [f.hash for f in echoed] == ["h-email"]
    assert all(f.echo for f in echoed)
    assert [f.hash for f in new] == ["h-bob", None]
    assert not any(f.echo for f in new)


def test_same_hash_from_another_check_is_not_an_echo():
    new, echoed = find_leaks([_f("PERSON", "h", check_id="pii_in")], [_f("PERSON", "h", check_id="pii")])
    assert echoed == [] and len(new) == 1


def test_inputs_are_not_mutated():
    output = [_f("PERSON", "h")]
    find_leaks([_f("PERSON", "h")], output)
    assert output[0].echo is False
