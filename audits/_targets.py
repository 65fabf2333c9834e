"""What an audit generates from: the demo model, a local HF causal LM, or a Python function.

Every generator follows :class:`raikit.audits._generator.Generator` and is a module-level
class that loads its model lazily, so it pickles and runs unchanged on process and Ray workers.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from raikit.audits._generator import Generator, as_generator
from raikit.errors import InputError


@cache
def _hf_pipeline(path: str) -> tuple[Any, threading.Lock]:
    from raikit._hf import import_hf, load_local

    _, transformers = import_hf()
    tokenizer = load_local("tokenizer", path)
    model = load_local("causal-lm", path)
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

    def __call__(self, prompts: list[str], seeds: list[int], *, logits_processor: Any = None) -> list[str]:
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


@dataclass
class GenerationTarget:
    """A generator under audit.

    Attributes:
        id: Recorded as the generator id.
        kind: ``demo``, ``hf`` or ``callable``.
        generate: A :class:`~raikit.audits._generator.Generator`:
            ``generate(prompts, seeds, *, logits_processor=None) -> continuations``.
        tokenizer: For text watermarking and detection (HF kinds), else ``None``.
    """

    id: str
    kind: str
    generate: Generator
    tokenizer: Any = None

    @classmethod
    def of(cls, generator: Any, *, id: str | None = None) -> GenerationTarget:
        """Any generator (a :class:`Generator`, a ``prompt -> text`` function or its
        ``module:function`` spec) as an audit target.

        Example:
            >>> from raikit.audits.bias import FakeGenerator
            >>> GenerationTarget.of(FakeGenerator()).generate(["The nurse"], [0])[0] != ""
            True
        """
        if isinstance(generator, GenerationTarget):
            return generator
        generate = as_generator(generator)
        name = id or (generator if isinstance(generator, str) else getattr(generate, "id", None))
        return cls(str(name or type(generate).__name__), "callable", generate)


def demo_target(*, max_new_tokens: int = 40, temperature: float = 0.9) -> GenerationTarget:
    """The bundled demo generator (``raikit.demo``)."""
    from raikit.demo import DemoGenerator, load_demo_model

    _, tokenizer = load_demo_model()
    generate = DemoGenerator(max_new_tokens=max_new_tokens, temperature=temperature)
    return GenerationTarget(DemoGenerator.id, "demo", generate, tokenizer)


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
    """A ``module:function`` generator: a batch :class:`Generator` (a class is instantiated)
    or a function taking one prompt and returning text.

    Raises:
        InputError: The spec cannot be imported or is not callable.
    """
    return GenerationTarget.of(spec, id=spec)

