from raikit.guardrails import normalize
from raikit.guardrails.pii._spaced import join_lone_digits


def _joined(text):
    return join_lone_digits(normalize(text)).text


def test_digits_spaced_one_by_one_are_joined_across_punctuation_and_letters():
    assert _joined("ip 1 0.1 6 6.1 1 0.1 2") == "ip 10.166.110.12"
    assert _joined("iban GB8 2 WEST1 2 3") == "iban GB82 WEST123"
    assert _joined("call +4 9 3 0 1 2-3 4") == "call +493012-34"
    assert _joined("she is 4 2 years old") == "she is 42 years old"


def test_numbers_that_are_not_single_digits_stay_apart():
    for text in ("room 12 5", "in 2023 10 people came", "scores 10 12 8", "won 3-1 at 12 30", "page 12 of 30"):
        assert _joined(text) == normalize(text).text


def test_offsets_map_back_to_the_original_characters():
    text = "my ip: 1 0.1 6 6.1 1 0.1 2\u200b!"
    joined = join_lone_digits(normalize(text))
    start = joined.text.index("10.166")
    start_o, end_o = joined.to_original(start, start + len("10.166.110.12"))
    assert text[start_o:end_o] == "1 0.1 6 6.1 1 0.1 2"


def test_text_without_spaced_digits_is_returned_as_is():
    norm = normalize("nothing to join here, 42 items")
    assert join_lone_digits(norm) is norm
