"""What an audit generates from: the demo model, a local HF causal LM, or a Python function."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from raikit.errors import InputError, MissingDependencyError

GenerateFn = Callable[[list[str], list[int], Any], list[str]]


@dataclass
class GenerationTarget:
    """A generator under audit.

    Attributes:
        id: Recorded as the generator id.
        kind: ``demo``, ``hf`` or ``callable``.
        generate: ``generate(prompts, seeds, logits_processor) -> continuations``.
        tokenizer: For text watermarking and detection (HF kinds), else ``None``.
    """

    id: str
    kind: str
    generate: GenerateFn
    tokenizer: Any = None
    max_new_tokens: int = 40
    temperature: float = 0.9

    def batch_fn(self) -> Callable[[list[str], list[int]], list[str]]:
        """``(prompts, seeds) -> outputs`` without watermarking, for the bias audit."""
        return _BatchFn(self)


class _BatchFn:
    def __init__(self, target: GenerationTarget) -> None:
        self.target = target

    def __call__(self, prompts: list[str], seeds: list[int]) -> list[str]:
        return self.target.generate(prompts, seeds, None)


def demo_target(*, max_new_tokens: int = 40, temperature: float = 0.9) -> GenerationTarget:
    """The bundled demo generator (``raikit.demo``)."""
    from raikit.demo import DEMO_GENERATOR_ID, generate, load_demo_model

    _, tokenizer = load_demo_model()

    def run(prompts: list[str], seeds: list[int], processor: Any) -> list[str]:
        return generate(
            prompts,
            max_new_tokens=max_new_tokens,
            temperature=temperature,
            seed=seeds[0] if seeds else 0,
            batch_size=len(prompts) or 1,
            logits_processor=processor,
        )

    return GenerationTarget(DEMO_GENERATOR_ID, "demo", run, tokenizer, max_new_tokens, temperature)


def hf_target(path: str | Path, *, max_new_tokens: int = 40, temperature: float = 0.9) -> GenerationTarget:
    """A local Hugging Face causal LM folder, run through a text-generation pipeline."""
    folder = Path(path)
    if not (folder / "config.json").is_file():
        raise InputError(f"--hf-model {folder}: not a Hugging Face model folder (no config.json)")
    try:
        import torch
        import transformers
    except ImportError as err:
        raise MissingDependencyError("transformers and torch", "pip install 'raikit[hf]'") from err
    from raikit._hf import quiet_loading

    with quiet_loading():
        tokenizer = transformers.AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
        model = transformers.AutoModelForCausalLM.from_pretrained(str(folder), local_files_only=True).eval()
    tokenizer.padding_side = "left"
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    pipe = transformers.pipeline("text-generation", model=model, tokenizer=tokenizer, device="cpu")
    lock = threading.Lock()

    def run(prompts: list[str], seeds: list[int], processor: Any) -> list[str]:
        extra = {"logits_processor": transformers.LogitsProcessorList([processor])} if processor is not None else {}
        with lock, torch.random.fork_rng(devices=[]):
            torch.manual_seed(seeds[0] if seeds else 0)
            out = pipe(
                prompts,
                max_new_tokens=max_new_tokens,
                do_sample=True,
                temperature=temperature,
                return_full_text=False,
                batch_size=len(prompts) or 1,
                pad_token_id=tokenizer.pad_token_id,
                **extra,
            )
        return [item[0]["generated_text"] for item in out]

    name = getattr(model.config, "_name_or_path", "") or folder.name
    return GenerationTarget(f"hf:{Path(name).name}", "hf", run, tokenizer, max_new_tokens, temperature)


def callable_target(spec: str) -> GenerationTarget:
    """A Python function ``module:function`` taking a prompt and returning text."""
    from raikit.audits.bias._generators import load_generator

    fn = load_generator(spec)

    def run(prompts: list[str], seeds: list[int], processor: Any) -> list[str]:
        outputs = []
        for prompt in prompts:
            out = fn(prompt)
            if not isinstance(out, str):
                raise InputError(f"generator {spec} returned {type(out).__name__}, expected str")
            outputs.append(out)
        return outputs

    return GenerationTarget(spec, "callable", run)
