"""Find the texts in a call's prompt and in a generator's return value, and put new ones back.

Understands plain strings, lists of strings, chat messages (``[{"role", "content"}]``) and
Hugging Face pipeline outputs (``[{"generated_text": ...}]``, nested per batch). Values are
never mutated: replacing texts builds new containers.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

from raikit.errors import InputError

TEXT_KEYS = ("generated_text", "text", "content", "summary_text", "translation_text")
PROMPT_NAMES = ("prompt", "prompts", "messages", "text_inputs", "inputs", "input", "text")


def collect_texts(value: Any) -> list[str]:
    """Every text in ``value`` in a fixed order.

    Example:
        >>> collect_texts([{"generated_text": "a"}, {"generated_text": "b"}])
        ['a', 'b']
    """
    return [text for text, _ in _walk(value, None)]


def collect_roles(value: Any) -> list[tuple[str, str | None]]:
    """Every text in ``value`` with the chat role of the message holding it (``None`` outside chats).

    Example:
        >>> collect_roles([{"role": "system", "content": "be brief"}, {"role": "user", "content": "hi"}])
        [('be brief', 'system'), ('hi', 'user')]
    """
    return list(_walk(value, None))


def _walk(value: Any, role: str | None) -> Iterator[tuple[str, str | None]]:
    if isinstance(value, str):
        yield value, role
    elif isinstance(value, dict):
        inner = value.get("role")
        role = inner if isinstance(inner, str) else role
        for key in TEXT_KEYS:
            if key in value:
                yield from _walk(value[key], role)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _walk(item, role)


def replace_texts(value: Any, texts: list[str]) -> Any:
    """A copy of ``value`` with its texts (in :func:`collect_texts` order) replaced."""
    feed = iter(texts)
    out = _rebuild(value, feed)
    if next(feed, None) is not None:
        raise InputError("more replacement texts than texts in the value")
    return out


def _rebuild(value: Any, feed: Iterator[str]) -> Any:
    if isinstance(value, str):
        return next(feed)
    if isinstance(value, dict):
        out = dict(value)
        for key in TEXT_KEYS:
            if key in value:
                out[key] = _rebuild(value[key], feed)
        return out
    if isinstance(value, list | tuple):
        return type(value)(_rebuild(item, feed) for item in value) if isinstance(value, list) else tuple(
            _rebuild(item, feed) for item in value
        )
    return value


class PromptLocator:
    """Where the prompt is among a function's arguments.

    Args:
        fn: The wrapped function.
        prompt_arg: A parameter name or position; by default the first parameter named like a
            prompt (``prompt``, ``messages``, ``inputs``, ...) or else the first argument.
    """

    def __init__(self, fn: Callable[..., Any], prompt_arg: str | int | None = None) -> None:
        self.name: str | None = None
        self.index: int | None = None
        try:
            params = [
                p
                for p in inspect.signature(fn).parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY, p.VAR_POSITIONAL)
            ]
        except (TypeError, ValueError):
            params = []
        names = [p.name for p in params if p.kind != p.VAR_POSITIONAL]
        if isinstance(prompt_arg, int):
            self.index = prompt_arg
            self.name = names[prompt_arg] if prompt_arg < len(names) else None
        elif isinstance(prompt_arg, str):
            self.name = prompt_arg
            self.index = names.index(prompt_arg) if prompt_arg in names else None
        else:
            for candidate in PROMPT_NAMES:
                if candidate in names:
                    self.name, self.index = candidate, names.index(candidate)
                    break
            else:
                self.index = 0
                self.name = names[0] if names else None
        positional = {p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)}
        if self.name is not None and self.name not in positional:
            self.index = None  # keyword-only

    def get(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if self.name is not None and self.name in kwargs:
            return kwargs[self.name]
        if self.index is not None and self.index < len(args):
            return args[self.index]
        if "messages" in kwargs:
            return kwargs["messages"]
        return None

    def set(self, args: tuple[Any, ...], kwargs: dict[str, Any], value: Any) -> tuple[tuple[Any, ...], dict[str, Any]]:
        if self.name is not None and self.name in kwargs:
            return args, {**kwargs, self.name: value}
        if self.index is not None and self.index < len(args):
            new_args = list(args)
            new_args[self.index] = value
            return tuple(new_args), kwargs
        if "messages" in kwargs:
            return args, {**kwargs, "messages": value}
        return args, kwargs
