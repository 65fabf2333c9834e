"""The one generator protocol every audit drives, and the adapter for prompt -> text functions.

A generator takes a batch of prompts and one seed per prompt and returns one continuation
per prompt (never the prompt itself)::

    generate(prompts, seeds, *, logits_processor=None) -> outputs

``logits_processor`` is a ``transformers`` logits processor (the text watermark) that HF
generators pass to ``model.generate``; other generators ignore it. The pre-release audit,
the bias audit and both CLIs (``raikit audit --generator``, ``raikit bias run -g``) take any
object of this shape; :class:`TextFunctionGenerator` turns a ``prompt -> text`` function into
one, and :func:`as_generator` does so when needed.

Seeds come from one scheme, :func:`prompt_seed`: a function of the audit's seed, the suite's
name and the prompt's index in it, so results never depend on the worker or the batching.
"""

from __future__ import annotations

import importlib
import inspect
import zlib
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from raikit.errors import InputError

ERR_SPEC = "generator must look like 'package.module:function', got {spec!r}"
ERR_OUTPUT = "generator {name} returned {got}, expected str"
ERR_COUNT = "generator {name} returned {got} outputs for {expected} prompts"


@runtime_checkable
class Generator(Protocol):
    """``generate(prompts, seeds, *, logits_processor=None) -> outputs`` (one per prompt)."""

    def __call__(self, prompts: list[str], seeds: list[int], *, logits_processor: Any = None) -> list[str]: ...


def load_generator(spec: str) -> Callable[..., Any]:
    """Import a callable given as ``"package.module:function"`` (``attr.sub`` paths work).

    Raises:
        InputError: The spec is malformed, or the module or attribute cannot be found.

    Example:
        >>> load_generator("raikit.audits.bias:FakeGenerator")  # doctest: +ELLIPSIS
        <class '...FakeGenerator'>
    """
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise InputError(ERR_SPEC.format(spec=spec))
    try:
        module = importlib.import_module(module_name)
    except ImportError as err:
        raise InputError(f"cannot import generator module {module_name!r}: {err}") from err
    target: Any = module
    for part in attr.split("."):
        if not hasattr(target, part):
            raise InputError(f"module {module_name!r} has no attribute {attr!r}")
        target = getattr(target, part)
    if not callable(target):
        raise InputError(f"{spec!r} is not callable")
    return target


def takes_one_prompt(fn: Callable[..., Any]) -> bool:
    """Whether ``fn`` is a ``prompt -> text`` function (one required positional argument).

    Example:
        >>> takes_one_prompt(lambda prompt: prompt), takes_one_prompt(lambda prompts, seeds: prompts)
        (True, False)
    """
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return False
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = [p for p in positional if p.default is p.empty]
    return len(required) == 1 and not any(p.kind is p.VAR_POSITIONAL for p in params)


class TextFunctionGenerator:
    """A ``prompt -> text`` function as a :class:`Generator` (seeds and processor unused).

    Args:
        fn: The function, or its ``"module:function"`` spec (a spec pickles for process and
            Ray workers; the function is imported again where it runs).

    Example:
        >>> gen = TextFunctionGenerator(str.upper)
        >>> gen(["hi", "there"], [0, 1])
        ['HI', 'THERE']
    """

    def __init__(self, fn: Callable[[str], str] | str) -> None:
        self.spec = fn if isinstance(fn, str) else None
        self._fn = load_generator(fn) if isinstance(fn, str) else fn
        self.id = self.spec or getattr(fn, "__qualname__", type(fn).__name__)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(vars(self))
        if self.spec is not None:
            state["_fn"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        vars(self).update(state)
        if self._fn is None and self.spec is not None:
            self._fn = load_generator(self.spec)

    def __call__(self, prompts: list[str], seeds: list[int], *, logits_processor: Any = None) -> list[str]:
        outputs = []
        for prompt in prompts:
            out = self._fn(prompt)
            if not isinstance(out, str):
                raise InputError(ERR_OUTPUT.format(name=self.id, got=type(out).__name__))
            outputs.append(out)
        return outputs


def as_generator(obj: Any) -> Generator:
    """``obj`` as a :class:`Generator`: a ``module:function`` spec or a class is resolved
    (a class is instantiated without arguments), a ``prompt -> text`` function is adapted,
    a batch generator is returned as it is.

    Raises:
        InputError: ``obj`` is not callable, or the spec cannot be imported.

    Example:
        >>> as_generator(str.upper)(["a"], [0])
        ['A']
    """
    spec = None
    if isinstance(obj, str):
        spec, obj = obj, load_generator(obj)
    if isinstance(obj, type):
        spec, obj = None, obj()
    if not callable(obj):
        raise InputError(f"a generator must be callable, got {type(obj).__name__}")
    if takes_one_prompt(obj):
        return TextFunctionGenerator(spec or obj)
    return obj


def prompt_seed(seed: int, suite: str, index: int) -> int:
    """The generation seed of one prompt: a function of the global seed, the suite name and
    the prompt's index (or, in counterfactual suites, its pair), never of the worker.

    Example:
        >>> prompt_seed(0, "bold:gender", 3) == prompt_seed(0, "bold:gender", 3)
        True
        >>> prompt_seed(0, "bold:gender", 3) != prompt_seed(1, "bold:gender", 3)
        True
    """
    import numpy as np

    sequence = np.random.SeedSequence([int(seed), zlib.crc32(suite.encode("utf-8")), int(index)])
    return int(sequence.generate_state(1, dtype=np.uint32)[0] & 0x7FFFFFFF)


def generate_checked(generator: Generator, prompts: list[str], seeds: list[int], logits_processor: Any = None) -> list[str]:
    """Call ``generator`` and check it returned one output per prompt.

    Raises:
        InputError: A different number of outputs came back.
    """
    kwargs = {"logits_processor": logits_processor} if logits_processor is not None else {}
    outputs = list(generator(list(prompts), list(seeds), **kwargs))
    if len(outputs) != len(prompts):
        name = getattr(generator, "id", type(generator).__name__)
        raise InputError(ERR_COUNT.format(name=name, got=len(outputs), expected=len(prompts)))
    return outputs
