"""What an audit generates from: the demo model, a local HF causal LM, or a Python function.

Every generator here is a module-level class that loads its model lazily, so it pickles and
runs unchanged on process and Ray workers.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from raikit.errors import InputError, MissingDependencyError

GenerateFn = Callable[..., list[str]]


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
        raise InputError(f"generator must look like 'package.module:function', got {spec!r}")
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


class DemoBatch:
    """The bundled demo model as ``(prompts, seeds, logits_processor=None) -> continuations``.

    A batch is sampled with its first prompt's seed, so results depend on the batch layout
    and the seeds, never on which worker ran the batch.
    """

    id = "raikit-demo-gpt2"

    def __init__(self, *, max_new_tokens: int = 40, temperature: float = 0.9) -> None:
        self.max_new_tokens = max_new_tokens
        self.temperature = temperature

    def __call__(self, prompts: list[str], seeds: list[int], logits_processor: Any = None) -> list[str]:
        from raikit.demo import generate

        if not prompts:
            return []
        return generate(
            prompts,
            max_new_tokens=self.max_new_tokens,
            temperature=self.temperature,
            seed=int(seeds[0]),
            batch_size=len(prompts),
            logits_processor=logits_processor,
        )


@cache
def _hf_pipeline(path: str) -> tuple[Any, threading.Lock]:
    try:
        import transformers
    except ImportError as err:
        raise MissingDependencyError("transformers and torch", "pip install 'raikit[hf]'") from err
    from raikit._hf import quiet_loading

    with quiet_loading():
        tokenizer = transformers.AutoTokenizer.from_pretrained(path, local_files_only=True)
        model = transformers.AutoModelForCausalLM.from_pretrained(path, local_files_only=True).eval()
    tokenizer.padding_side = "left"
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    pipe = transformers.pipeline("text-generation", model=model, tokenizer=tokenizer, device="cpu")
    return pipe, threading.Lock()


class HFBatch:
    """A local Hugging Face causal LM folder, run through a text-generation pipeline."""

    def __init__(self, path: str | Path, *, max_new_tokens: int = 40, temperature: float = 0.9) -> None:
        self.path = str(Path(path).resolve())
        self.max_new_tokens = max_new_tokens
        self.temperature = temperature

    def __call__(self, prompts: list[str], seeds: list[int], logits_processor: Any = None) -> list[str]:
        import torch
        import transformers

        pipe, lock = _hf_pipeline(self.path)
        extra = {"logits_processor": transformers.LogitsProcessorList([logits_processor])} if logits_processor else {}
        with lock, torch.random.fork_rng(devices=[]):
            torch.manual_seed(seeds[0] if seeds else 0)
            out = pipe(
                prompts,
                max_new_tokens=self.max_new_tokens,
                do_sample=True,
                temperature=self.temperature,
                return_full_text=False,
                batch_size=len(prompts) or 1,
                pad_token_id=pipe.tokenizer.pad_token_id,
                **extra,
            )
        return [item[0]["generated_text"] for item in out]


class CallableBatch:
    """A user's ``module:function`` taking one prompt and returning text."""

    def __init__(self, spec: str) -> None:
        self.spec = spec
        load_generator(spec)  # fail early, with a clear message

    def __call__(self, prompts: list[str], seeds: list[int], logits_processor: Any = None) -> list[str]:
        fn = load_generator(self.spec)
        outputs = []
        for prompt in prompts:
            out = fn(prompt)
            if not isinstance(out, str):
                raise InputError(f"generator {self.spec} returned {type(out).__name__}, expected str")
            outputs.append(out)
        return outputs


@dataclass
class GenerationTarget:
    """A generator under audit.

    Attributes:
        id: Recorded as the generator id.
        kind: ``demo``, ``hf`` or ``callable``.
        generate: ``generate(prompts, seeds, logits_processor=None) -> continuations``; the
            bias audit calls it as ``generate(prompts, seeds)``.
        tokenizer: For text watermarking and detection (HF kinds), else ``None``.
    """

    id: str
    kind: str
    generate: GenerateFn
    tokenizer: Any = None


def demo_target(*, max_new_tokens: int = 40, temperature: float = 0.9) -> GenerationTarget:
    """The bundled demo generator (``raikit.demo``)."""
    from raikit.demo import load_demo_model

    _, tokenizer = load_demo_model()
    return GenerationTarget(DemoBatch.id, "demo", DemoBatch(max_new_tokens=max_new_tokens, temperature=temperature), tokenizer)


def hf_target(path: str | Path, *, max_new_tokens: int = 40, temperature: float = 0.9) -> GenerationTarget:
    """A local Hugging Face causal LM folder."""
    folder = Path(path)
    if not (folder / "config.json").is_file():
        raise InputError(f"--hf-model {folder}: not a Hugging Face model folder (no config.json)")
    generate = HFBatch(folder, max_new_tokens=max_new_tokens, temperature=temperature)
    pipe, _ = _hf_pipeline(generate.path)
    name = getattr(pipe.model.config, "_name_or_path", "") or folder.name
    return GenerationTarget(f"hf:{Path(name).name}", "hf", generate, pipe.tokenizer)


def callable_target(spec: str) -> GenerationTarget:
    """A Python function ``module:function`` taking a prompt and returning text."""
    return GenerationTarget(spec, "callable", CallableBatch(spec))
