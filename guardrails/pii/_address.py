"""Street addresses found by their structure: street words, house numbers, units, postcodes.

An address is found from an anchor and then grown over the parts around it:

* anchors: a street name before a street suffix ("24 Clarke Avenue", USPS suffixes and British
  ones), after a street type ("rue de la Paix 3", "ul. Narewska 94", "Calle Mayor 5"), a compound
  street word with its number ("Hauptstraße 5", "Mellemvej 32", "6750 Koskikatu"), a unit with
  its number ("Apt. 12", "PO Box 208"), a military address ("PSC 3294, Box 9168", "APO AE
  09012"), or a street name and number right after a phrase that announces an address;
* the address then takes the house numbers before it, the house number, units, city, region
  code, postcode and country after it (across commas and line breaks), and an intersection
  ("the corner of 5th Avenue and 42nd Street").

The word lists are in ``addresses.yaml`` beside this module. A street name with a house number
and a strong suffix scores 0.6; weaker evidence (a suffix that is also an ordinary word such as
"Park", a unit alone, a street name and number after an announcing phrase) scores 0.3 or 0.4,
below the default policy's threshold, unless a postcode, a unit, a city after a comma or a
context word adds to it.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_DATA = Path(__file__).resolve().parent / "addresses.yaml"
STRONG = 0.6
WEAK = 0.4
WEAKEST = 0.3
ANNOUNCED = 0.4
TAIL_BONUS = 0.1
MAX_SCORE = 0.75
_MAX_NAME_WORDS = 4
_MAX_TAIL_PARTS = 8
_MAX_LINES = 4
_TOKEN = re.compile(r"\n|[^\W_](?:[\w'’\-/]*[^\W_])?\.?|[^\w\s]", re.UNICODE)
_NUMBER = re.compile(r"\d{1,6}[^\W\d_]?(?:[-/]\d{1,5}[^\W\d_]?)?\.?")
_UNIT_VALUE = re.compile(r"#?\d{1,6}[^\W\d_]?(?:-\d{1,5})?\.?|#?[A-Z]\d{0,4}|#\w+")
# Postcodes: US ZIP(+4), UK, Canada, the Netherlands, Poland / Portugal / Czechia style, bare 4-6 digits.
_POSTCODE = re.compile(
    r"(?:\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]\d[A-Z] ?\d[A-Z]\d|\d{4} ?[A-Z]{2}(?![\w])"
    r"|\d{2}-\d{3}|\d{4}-\d{3}|\d{3} ?\d{2}|\d{4,6}|[A-Z]\d{2} ?[A-Z\d]{4})(?![\w-])"
)
_MILITARY_BOX = re.compile(r"[ \t]+\d{4},?[ \t]+box[ \t]+\d{4}\b", re.IGNORECASE)
_SEPARATOR = re.compile(r"[ \t]*(?:,[ \t]*)?(?:\n[ \t]*(?:\n[ \t]*)?(?:[>*•-]+[ \t]*)?)?(?:,[ \t]*)?")
_CONNECTORS = frozenset(
    {"de", "la", "le", "les", "du", "des", "del", "della", "delle", "di", "da", "do", "dos", "das", "von", "van",
     "der", "den", "el", "al", "y", "e", "i", "d'", "l'", "na", "an", "am", "im", "zum", "zur", "of", "the",
     "and", "saint", "st.", "sur", "sous", "en", "op", "aan", "ter", "ten", "het"}
)
# Capitalised words that start sentences or clauses rather than street or city names.
_NOT_NAMES = frozenset(
    {"the", "a", "an", "i", "my", "our", "your", "his", "her", "their", "its", "this", "that", "these", "those",
     "at", "in", "on", "to", "from", "of", "and", "or", "but", "for", "with", "by", "near", "please", "address",
     "is", "it", "we", "you", "he", "she", "they", "there", "here", "then", "via", "all", "every", "each",
     "some", "any", "no", "not", "if", "when", "where", "what", "which", "who", "how", "why", "so", "as", "also",
     "tel", "phone", "email", "e-mail", "fax", "iban", "name", "city", "country", "mobile", "web", "website",
     "teléfono", "téléphone", "telefon", "kontakt", "contact", "tél", "telephone", "ph", "mob", "call"}
)


@functools.cache
def _lists() -> dict[str, Any]:
    import yaml

    with _DATA.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).casefold() for w in data[key])

    anchors = set().union(*(words(k) for k in ("street_suffixes_strong", "street_suffixes_weak", "street_prefixes",
                                                    "unit_alone", "military_posts", "ship_prefixes")))
    anchors |= {"po", "p.o", "p", "c/"}
    phrases = [str(w).casefold() for w in data["announcers"] + data["intersection"]]
    announced = re.compile("(?:" + "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)) + r")\s*")
    short = {w for k in ("street_suffixes_strong", "street_suffixes_weak", "unit_designators", "street_prefixes")
             for w in words(k) if len(w) <= 4}
    strong = sorted(words("street_suffixes_strong"), key=len, reverse=True)
    needs = re.compile(r"\d|\b(?:" + "|".join(re.escape(w) for w in strong) + r")\b", re.IGNORECASE)
    return {
        "needs": needs,
        "abbreviations": frozenset(short),
        "anchors": frozenset(anchors),
        "announced": announced,
        "strong": words("street_suffixes_strong"),
        "weak": words("street_suffixes_weak"),
        "prefixes": words("street_prefixes"),
        "endings": tuple(sorted(words("compound_endings"), key=len, reverse=True)),
        "units": words("unit_designators"),
        "unit_alone": words("unit_alone"),
        "posts": words("military_posts"),
        "post_states": words("military_states"),
        "ships": words("ship_prefixes"),
        "regions": frozenset(str(w) for w in data["regions"]),
        "intersection": tuple(str(w).casefold() for w in data["intersection"]),
        "breaks": tuple(str(w) for w in data["address_breaks"]),
    }


def break_words() -> tuple[str, ...]:
    """Prose words that end an address in mixed-case text ("between", "near", "on")."""
    return _lists()["breaks"]


# Street types that are also ordinary words ("via email", "place it"): capitalised only.
_AMBIGUOUS_PREFIXES = frozenset(
    {"via", "place", "route", "square", "passage", "avenue", "boulevard", "plaza", "largo", "corso", "camino",
     "diagonal", "privada", "circuito", "retorno", "rampa", "cours", "voie", "côte", "montée", "rang", "calzada",
     "strada", "al.", "pl.", "os.", "bd", "bd.", "c/", "paseo", "ronda", "borgo", "trg", "cesta", "alameda",
     "rambla", "andador", "corredor", "contrada", "cerrada", "beco", "estrada", "ul"}
)


def street_word(word: str) -> bool:
    """Whether a word names a street or a unit ("Avenue", "rue", "Hauptstraße", "Apt.").

    Weak suffixes ("Park", "View") do not count: they are ordinary words too.

    Example:
        >>> street_word("Hauptstraße"), street_word("Boulevard"), street_word("Park")
        (True, True, False)
    """
    lists = _lists()
    low = word.casefold()
    bare = low.rstrip(".")
    if bare in lists["strong"] or low in lists["prefixes"] or bare in lists["prefixes"]:
        return True
    if bare in lists["unit_alone"] or low in lists["unit_alone"]:
        return True
    return any(low.endswith(e) and (len(low) == len(e) or len(low) - len(e) >= 3) for e in lists["endings"])


class _Tok:
    """A token with the forms the rules compare, computed once."""

    __slots__ = ("start", "end", "text", "low", "bare", "is_word", "is_number")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start, self.end, self.text = start, end, text
        self.low = text.casefold()
        self.bare = self.low.rstrip(".")
        self.is_word = text[0].isalpha()
        self.is_number = not self.is_word and _NUMBER.fullmatch(text) is not None


@dataclass(frozen=True)
class Address:
    """One address found in a text: offsets and score."""

    start: int
    end: int
    score: float


def find_addresses(text: str) -> list[Address]:
    """Street addresses in ``text``, non-overlapping, by start.

    Example:
        >>> text = "Ship it to 742 Evergreen Terrace, Springfield, IL 62704 please."
        >>> [text[a.start : a.end] for a in find_addresses(text)]
        ['742 Evergreen Terrace, Springfield, IL 62704']
    """
    if _lists()["needs"].search(text) is None:
        return []  # every address holds a digit or a strong street word ("Oak Street")
    toks = [_Tok(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    lower_text = not any(ch.isupper() for ch in text)
    finder = _Finder(text, toks, lower_text)
    found: list[Address] = []
    i = 0
    while i < len(toks):
        core = finder.anchor(i)
        if core is None:
            i += 1
            continue
        a, b, score = core
        addr, last = finder.grow(a, b, score)
        if not found or addr.start >= found[-1].end:
            found.append(addr)
        else:  # an anchor inside the previous address grew past it
            prev = found[-1]
            found[-1] = Address(prev.start, max(prev.end, addr.end), max(prev.score, addr.score))
        i = max(i + 1, last + 1)
    return found


class _Finder:
    def __init__(self, text: str, toks: list[_Tok], lower_text: bool) -> None:
        self.text = text
        self.toks = toks
        self.lower_text = lower_text
        self.lists = _lists()
        self.starts = [t.start for t in toks]
        self.announced = {m.end() for m in self.lists["announced"].finditer(text.casefold())}
        self.abbreviations = self.lists["abbreviations"]

    # --- helpers -------------------------------------------------------------------------------
    def _tok(self, i: int) -> _Tok | None:
        return self.toks[i] if 0 <= i < len(self.toks) else None

    def _same_line(self, i: int, j: int) -> bool:
        """Tokens ``i`` and ``j`` (i < j) are separated by spaces (and at most one comma) only."""
        gap = self.text[self.toks[i].end : self.toks[j].start]
        return re.fullmatch(r"[ \t]*,?[ \t]*", gap) is not None

    def _adjacent(self, i: int, j: int) -> bool:
        gap = self.text[self.toks[i].end : self.toks[j].start]
        return re.fullmatch(r"[ \t]+", gap) is not None

    def _capital(self, tok: _Tok) -> bool:
        return tok.is_word and (tok.text[0].isupper() or self.lower_text)

    def _name_word(self, tok: _Tok) -> bool:
        return self._capital(tok) and tok.bare not in _NOT_NAMES

    # --- anchors -------------------------------------------------------------------------------
    def anchor(self, i: int) -> tuple[int, int, float] | None:
        """The core address span ``(first token, last token, score)`` anchored at token ``i``."""
        tok = self.toks[i]
        if not (tok.bare in self.lists["anchors"] or tok.low in self.lists["anchors"] or tok.start in self.announced
                or (tok.is_word and tok.low.endswith(self.lists["endings"]))):
            return None
        for find in (self._military, self._prefix, self._suffix, self._compound, self._unit, self._announced):
            core = find(i, tok)
            if core is not None:
                return core
        return None

    def _suffix(self, i: int, tok: _Tok) -> tuple[int, int, float] | None:
        lists = self.lists
        strong = tok.bare in lists["strong"]
        if not tok.is_word or not (strong or tok.bare in lists["weak"]):
            return None
        j = i
        while j - 1 >= 0 and i - (j - 1) <= _MAX_NAME_WORDS and self._adjacent(j - 1, j):
            prev = self.toks[j - 1]
            if self._ends_sentence(prev):
                break
            if self._name_word(prev) or (prev.is_number and re.match(r"\d+(?:st|nd|rd|th)$", prev.low)):
                j -= 1
            else:
                break
        if j == i:
            return None
        number = j - 1 >= 0 and self.toks[j - 1].is_number and self._adjacent(j - 1, j)
        if number:
            j -= 1
        after = (nxt := self._tok(i + 1)) is not None and nxt.is_number and self._adjacent(i, i + 1)
        if not self._capital(tok) and not (number and (len(tok.bare) <= 4 or after)):
            return None  # "159 Venizelou str", "0269 Stensås terrasse 38": lower case between numbers
        if not number and (not strong or len(tok.bare) < 4 or self.lower_text):
            return None  # "Abbey Road", "Central Park", "Ave Maria": a name without a house number
        return j, i, STRONG if strong and number else WEAK if strong else WEAKEST

    def _ends_sentence(self, tok: _Tok) -> bool:
        """A word with a full stop that is not an abbreviation or an initial ("Louis." in "St. Louis. Route")."""
        return tok.text.endswith(".") and len(tok.bare) > 1 and tok.bare not in self.abbreviations

    def _prefix(self, i: int, tok: _Tok) -> tuple[int, int, float] | None:
        lists = self.lists
        if not tok.is_word and tok.low != "c/":
            return None
        if tok.low not in lists["prefixes"] and tok.bare not in lists["prefixes"]:
            return None
        ambiguous = tok.low in _AMBIGUOUS_PREFIXES
        numbered = self._number_before(i)
        if ambiguous and not (tok.text[0].isupper() or self.lower_text or numbered is not None):
            return None  # "via email"; but "350 rang Lachapelle", "28, boulevard Lambert"
        k = i
        while k + 1 < len(self.toks) and k + 1 - i <= _MAX_NAME_WORDS + 1 and self._same_line(k, k + 1):
            nxt = self.toks[k + 1]
            if self._capital(nxt) or (nxt.is_word and (nxt.low in _CONNECTORS or (
                numbered is not None and nxt.bare not in _NOT_NAMES))) or (
                nxt.is_number and k == i and re.fullmatch(r"\d{1,2}", nxt.bare) and self._next_capital(k + 1)
            ):
                k += 1  # "ul. 3 Maja": a number can open a street name
            else:
                break
        after = self._number_after(k)
        if numbered is None or after is None:
            # without a house number on both sides the name is its capitalised words ("rue de la Paix")
            while k > i and not self._capital(self.toks[k]):
                k -= 1
            after = self._number_after(k)
        if k == i or (ambiguous and numbered is None and not self._capital(self.toks[i + 1])):
            return None
        if numbered is None and after is None:
            return None
        if not any(self._capital(self.toks[x]) for x in range(i + 1, k + 1)) and (numbered is None or after is None):
            return None
        score = STRONG if not ambiguous or numbered is not None else (STRONG + WEAK) / 2
        return (i if numbered is None else numbered), (k if after is None else after), score

    def _number_before(self, i: int) -> int | None:
        """The index of a house number right before token ``i`` ("28, boulevard"), or ``None``."""
        j = i - 1
        if j >= 1 and self.toks[j].text == ",":
            j -= 1
        if j >= 0 and self.toks[j].is_number and self._same_line(j, i):
            return j
        return None

    def _number_after(self, k: int) -> int | None:
        """The index of a house number right after token ``k`` ("Dolores, 95"), or ``None``."""
        j = k + 1
        if j < len(self.toks) and self.toks[j].text == ",":
            j += 1
        if j < len(self.toks) and self.toks[j].is_number and self._same_line(k, j):
            return j
        return None

    def _next_capital(self, i: int) -> bool:
        nxt = self._tok(i + 1)
        return nxt is not None and self._capital(nxt) and self._adjacent(i, i + 1)

    def _compound(self, i: int, tok: _Tok) -> tuple[int, int, float] | None:
        if not tok.is_word or tok.bare in _NOT_NAMES:
            return None
        low = tok.low
        ending = next((e for e in self.lists["endings"] if low.endswith(e) or tok.bare.endswith(e)), None)
        if ending is None:
            return None
        alone = tok.bare == ending.rstrip(".")
        if not alone and (len(tok.bare) - len(ending.rstrip(".")) < 3 or not self._capital(tok)):
            return None
        j = i
        if alone:  # "Árpád fejedelem útja 62.", "Király u. 15": the street word ends the name
            while j - 1 >= 0 and i - (j - 1) <= _MAX_NAME_WORDS and self._adjacent(j - 1, j) and self.toks[j - 1].is_word:
                if self.toks[j - 1].bare in _NOT_NAMES or self._ends_sentence(self.toks[j - 1]):
                    break
                j -= 1
            if j == i or not any(self._capital(self.toks[x]) for x in range(j, i)):
                return None
        after = i + 1 < len(self.toks) and self.toks[i + 1].is_number and self._same_line(i, i + 1)
        before = j >= 1 and self.toks[j - 1].is_number and self._adjacent(j - 1, j)
        if not (after or before):
            return None
        return (j - 1 if before else j), (i + 1 if after else i), STRONG

    def _unit(self, i: int, tok: _Tok) -> tuple[int, int, float] | None:
        k = i
        key = tok.bare
        if key in ("po", "p.o") or (key == "p" and self.text[tok.end : tok.end + 3].casefold() == "o. "):
            while k + 1 < len(self.toks) and self.toks[k + 1].bare in ("o", "box") and k - i < 2:
                k += 1
                if self.toks[k].bare == "box":
                    key = "po box"
                    break
        if key not in self.lists["unit_alone"] or not (self._capital(tok) or key == "po box"):
            return None
        nxt = self._tok(k + 1)
        if nxt is None or not self._adjacent(k, k + 1):
            return None
        if nxt.text == "#" and (n2 := self._tok(k + 2)) is not None and n2.is_number:
            return i, k + 2, WEAK
        if _UNIT_VALUE.fullmatch(nxt.text) is None or not any(ch.isdigit() for ch in nxt.text):
            return None
        return i, k + 1, WEAK

    def _military(self, i: int, tok: _Tok) -> tuple[int, int, float] | None:
        lists = self.lists
        if tok.bare in ("unit", "psc", "cmr"):  # "Unit 4526 Box 0671", "PSC 3294, Box 9168" in any case
            m = _MILITARY_BOX.match(self.text, tok.end)
            if m is not None:
                return i, self._last_token_before(m.end()), STRONG
        if tok.bare in lists["posts"] and (t2 := self._tok(i + 1)) and (t3 := self._tok(i + 2)):
            if t2.bare in lists["post_states"] and re.fullmatch(r"\d{5}", t3.text.rstrip(".")) and self._adjacent(i, i + 1):
                return i, i + 2, STRONG
        if tok.bare in lists["ships"] and (t2 := self._tok(i + 1)) and self._capital(t2) and self._adjacent(i, i + 1):
            k = i + 1
            while (t := self._tok(k + 1)) is not None and self._capital(t) and self._adjacent(k, k + 1):
                k += 1
            rest = self.text[self.toks[k].end : self.toks[k].end + 16]
            if re.match(r"[\s,]*(?:APO|FPO|DPO)\b", rest, re.IGNORECASE):
                return i, k, STRONG
        return None

    def _announced(self, i: int, tok: _Tok) -> tuple[int, int, float] | None:
        """A street name and house number right after "address is", "located at", "the corner of", ..."""
        if tok.start not in self.announced:
            return None
        k = i
        words = numbers = 0
        while k < len(self.toks) and k - i < _MAX_NAME_WORDS + 2:
            t = self.toks[k]
            if k > i and not self._same_line(k - 1, k) or t.text == ",":
                break
            if t.is_number:
                numbers += 1
            elif self._name_word(t) or (t.is_word and words and not numbers and t.bare not in _NOT_NAMES):
                words += 1  # "Csabai kapu 39": lower-case street words after the name
            else:
                break
            k += 1
            if self._ends_sentence(t) or (t.is_number and t.text.endswith(".") and self._sentence_follows(t)):
                break
        k -= 1
        while k > i and (self.toks[k].low in _CONNECTORS or not (self.toks[k].is_number or self._capital(self.toks[k]))):
            k -= 1
        if not numbers or not words or k == i:
            return None
        score = ANNOUNCED
        for x in range(i, k + 1):  # a street word inside counts for more ("live at 12 Oak Street")
            for find in (self._prefix, self._suffix, self._compound):
                if (core := find(x, self.toks[x])) is not None:
                    score, k = max(score, core[2]), max(k, core[1])
        return i, k, score

    def _sentence_follows(self, tok: _Tok) -> bool:
        """A full stop after ``tok`` followed by a space and a capital: the sentence ended there."""
        return re.match(r"[ \t]+[A-Z]", self.text[tok.end : tok.end + 3]) is not None

    # --- growth --------------------------------------------------------------------------------
    def grow(self, a: int, b: int, score: float) -> tuple[Address, int]:
        """Grow the core ``[a, b]`` over house numbers before it and the address parts after it."""
        toks, text = self.toks, self.text
        for _ in range(2):  # "1987 74 Diakou Street": house numbers before the street
            if a >= 1 and toks[a - 1].is_number and self._adjacent(a - 1, a) and re.fullmatch(r"\d{1,6}", toks[a - 1].text):
                a -= 1
        start = toks[a].start
        corner = self._corner_before(start)
        if corner is not None:
            start = corner
        end = toks[b].end
        last = b
        bonus = False
        lines = parts = 0
        while parts < _MAX_TAIL_PARTS:
            sep = _SEPARATOR.match(text, end)
            pos = sep.end() if sep else end
            gap = text[end:pos]
            newline = "\n" in gap
            if newline and lines >= _MAX_LINES:
                break
            nxt = self._index_at(pos)
            if nxt is None:
                break
            if toks[last].text.endswith(".") and toks[last].bare not in self.abbreviations and not gap.strip(" \t"):
                if self._sentence_follows(toks[last]):
                    break  # "... Finland 11507. Come visit us!"
            part = self._tail_part(nxt, pos, gap, corner=corner is not None and parts == 0)
            if part is None:
                break
            kind, new_last = part
            if gap.count("\n") > 1 and not self._ends_with_postcode(new_last):
                break  # after a blank line only a "Country 12345" line belongs to the address
            bonus |= kind in ("postcode", "unit", "region") or (kind == "city" and bool(gap.strip(" \t")))
            last, end = new_last, toks[new_last].end
            lines += newline
            parts += 1
        last_tok = toks[last]
        if text[end - 1 : end] == "." and (
            re.fullmatch(r"\d{4,}\.", last_tok.text) or (last_tok.is_number and re.match(r"\s*(?:$|\n|[A-Z])", text[end:]))
            or not last_tok.is_number and last_tok.bare not in self.abbreviations
        ):
            end -= 1  # a sentence's full stop (not the one of "Király u. 15." or "Str.")
        final = min(MAX_SCORE, score + TAIL_BONUS) if bonus else score
        return Address(start, end, final), last

    def _index_at(self, pos: int) -> int | None:
        k = bisect.bisect_left(self.starts, pos)
        return k if k < len(self.starts) and self.starts[k] == pos else None

    def _corner_before(self, start: int) -> int | None:
        before = self.text[max(0, start - 24) : start].casefold()
        for phrase in self.lists["intersection"]:
            if before.endswith(phrase + " "):
                return start - len(phrase) - 1
        return None

    def _tail_part(self, k: int, pos: int, gap: str, *, corner: bool) -> tuple[str, int] | None:
        """The next address part at token ``k`` (kind and last token), or ``None``."""
        toks, text, lists = self.toks, self.text, self.lists
        tok = toks[k]
        if corner and tok.low in ("and", "&") and gap.strip() == "":
            j = k
            while (t := self._tok(j + 1)) is not None and self._adjacent(j, j + 1) and j - k < _MAX_NAME_WORDS and (
                self._name_word(t) or t.is_number
            ):
                j += 1
            return ("street", j) if j > k else None
        if tok.is_number and toks[k - 1].is_word and gap.strip(" \t") in ("", ","):
            m = _POSTCODE.match(text, pos)
            if m is None or not re.fullmatch(r"\d{5}(?:-\d{4})?", m.group()):
                return "number", k  # the house number after a street name ("Koskikatu 25")
        if tok.bare in lists["units"] or (tok.bare in ("po", "p.o") and "box" in text[tok.end : tok.end + 6].casefold()):
            j = k
            while (t := self._tok(j + 1)) is not None and t.bare in ("o", "box") and j - k < 2:
                j += 1
            nxt = self._tok(j + 1)
            if nxt is not None and self._adjacent(j, j + 1) and (
                _UNIT_VALUE.fullmatch(nxt.text) or nxt.text == "#"
            ) and any(ch.isdigit() or ch.isupper() for ch in nxt.text):
                if nxt.text == "#" and (n2 := self._tok(j + 2)) is not None:
                    return "unit", j + 2
                return "unit", j + 1
        m = _POSTCODE.match(text, pos)
        if m is not None and any(ch.isdigit() for ch in m.group()):
            return "postcode", self._last_token_before(m.end())
        if tok.bare in lists["posts"] and (post := self._military(k, tok)) is not None:
            return "postcode", post[1]  # "Unit 4526 Box 0671 / DPO AP 40902"
        if tok.text in lists["regions"] and gap.strip(" \t") and re.match(r"[ \t]*(?:\d{5}|[A-Z]\d[A-Z])", text[tok.end :]):
            return "region", k
        if re.fullmatch(r"[A-Z]{2}", tok.text) and re.match(r"[ \t]+\d{4,5}\b", text[tok.end :]):
            return "region", k  # a state or country code before its postcode ("Aalborg NO 9100")
        code = tok.text.isupper() and len(tok.text) <= 3 and tok.text not in lists["regions"]
        if self._name_word(tok) and not (code and not gap.strip(" \t")):
            if not gap.strip(" \t") and not self._structured_before(pos):
                return None  # a capitalised word right after the street needs a comma or new line
            j = k
            while (t := self._tok(j + 1)) is not None and self._adjacent(j, j + 1) and j - k < _MAX_NAME_WORDS - 1 and (
                self._name_word(t) or (t.low in _CONNECTORS and (t2 := self._tok(j + 2)) is not None and self._capital(t2))
            ) and not self._ends_sentence(toks[j]):
                j += 1
            if not toks[j].text.endswith(".") and re.match(r"(?:[ \t]+[^\W\d_]+){0,2}[ \t]*:", text[toks[j].end :]):
                return None  # "Shipping address:" is the next field's label, not a city
            return "city", j
        return None

    def _ends_with_postcode(self, k: int) -> bool:
        """Whether the line of token ``k`` ends in a postcode right after it ("Netherlands 91196")."""
        rest = self.text[self.toks[k].end :].split("\n", 1)[0]
        return self.toks[k].is_number or re.fullmatch(r"[ \t,]*\d{4,6}[.?!]?[ \t]*", rest) is not None

    def _structured_before(self, pos: int) -> bool:
        """Whether the text right before ``pos`` ends in a number, unit or postcode ("Apt. 864 Soloi")."""
        before = self.text[max(0, pos - 12) : pos].rstrip()
        return bool(re.search(r"\d\.?$|\b[A-Z]{2} ?\d[A-Z]{2}$", before))

    def _last_token_before(self, end: int) -> int:
        return max(0, bisect.bisect_left(self.starts, end) - 1)


def address_recognizer() -> Any:
    """A presidio recognizer reporting :func:`find_addresses` as ``STREET_ADDRESS``."""
    from presidio_analyzer import EntityRecognizer, RecognizerResult

    from raikit.guardrails.pii._structure import context_words

    class AddressRecognizer(EntityRecognizer):
        def load(self) -> None:
            return None

        def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
            if "STREET_ADDRESS" not in entities:
                return []
            return [RecognizerResult("STREET_ADDRESS", a.start, a.end, a.score) for a in find_addresses(text)]

    return AddressRecognizer(
        supported_entities=["STREET_ADDRESS"], name="raikit_address", context=context_words("STREET_ADDRESS")
    )
