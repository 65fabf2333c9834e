"""The Jinja2 environments that render :mod:`raikit.audits._sections` to HTML and to Markdown.

Both share the formatting filters (``text`` cuts and folds a string, ``num``, ``rate``, ``ci``
format figures). Escaping is on by default in both: the HTML environment autoescapes, the
Markdown one escapes every printed value that is not :class:`Md` (text a filter already made
safe), so a template cannot print a result string raw by forgetting a filter.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from raikit.audits import _format as fmt

#: The report's and the card's Jinja2 templates, stylesheet and script (package data).
TEMPLATES = Path(__file__).resolve().parent / "templates"

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#~!()])")
_HEX = re.compile(r"^(sha256:)?[0-9a-f]{8,128}$")


class Md(str):
    """Markdown that is already safe to print (escaped, or made by a formatter)."""

    __slots__ = ()


def md_escape(value: Any) -> Md:
    """Escape text for Markdown: HTML entities, Markdown syntax neutralised (no cutting).

    Example:
        >>> md_escape("<b>x</b> | [a](b)")
        '&lt;b&gt;x&lt;/b&gt; \\\\| \\\\[a\\\\]\\\\(b\\\\)'
    """
    if isinstance(value, Md):
        return value
    out = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Md(_MD_SPECIAL.sub(r"\\\1", out))


def _md_code(value: Any) -> Md:
    """A hash or id in a code span when it looks like hex, else escaped text."""
    s = fmt.text(value, 200)
    return Md(f"`{s}`") if s and _HEX.match(s) else (md_escape(s) or Md("not recorded"))


def template_text(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def _filters(wrap: Any) -> dict[str, Any]:
    return {
        "text": lambda value, limit=300: fmt.text(value, limit),
        "num": lambda value, digits=3: wrap(fmt.num(value, digits)),
        "rate": lambda value: wrap(fmt.rate(value)),
        "ci": lambda value, percent=False: wrap(fmt.ci(value, percent=percent)),
        "isnumber": fmt.is_number,
    }


def _environment(filters: dict[str, Any], **options: Any) -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        **options,
    )
    env.filters.update(filters)
    return env


@functools.cache
def html_environment() -> Any:
    """Autoescaping HTML environment over :data:`TEMPLATES` (jinja2 imported lazily)."""
    return _environment(_filters(str), autoescape=True)


@functools.cache
def markdown_environment() -> Any:
    """Markdown environment: every printed value escaped unless it is :class:`Md`."""
    return _environment({**_filters(Md), "code": _md_code, "safe": Md}, autoescape=False, finalize=md_escape)
