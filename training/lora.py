"""LoRA adapters on MiniLM's BERT layers, for the fine-tune experiments (``training/*/finetune_lora.py``).

Each adapted ``nn.Linear`` computes ``W x + (alpha / rank) * B A dropout(x)``: ``W`` frozen,
``A`` Kaiming-uniform, ``B`` zero, so a fresh adapter leaves the encoder unchanged.
"""

from __future__ import annotations

from typing import Any

LORA_TARGETS = (
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
)
"""The nn.Linear modules of each BERT layer that get an adapter."""


def _lora_linear(base: Any, rank: int, alpha: float, dropout: float) -> Any:
    import torch

    class LoRALinear(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.base = base
            for p in base.parameters():
                p.requires_grad_(False)
            self.lora_a = torch.nn.Parameter(torch.empty(rank, base.in_features))
            self.lora_b = torch.nn.Parameter(torch.zeros(base.out_features, rank))
            torch.nn.init.kaiming_uniform_(self.lora_a, a=5**0.5)
            self.drop = torch.nn.Dropout(dropout)
            self.scale = alpha / rank

        def forward(self, x):
            return self.base(x) + (self.drop(x) @ self.lora_a.T @ self.lora_b.T) * self.scale

        def merged(self):
            import copy

            out = copy.deepcopy(self.base)
            with torch.no_grad():
                out.weight += (self.lora_b @ self.lora_a) * self.scale
            return out

    return LoRALinear()


def _replace_targets(layers: Any, make: Any) -> None:
    for layer in layers:
        for name in LORA_TARGETS:
            parent_name, attr = name.rsplit(".", 1)
            parent = layer.get_submodule(parent_name)
            setattr(parent, attr, make(getattr(parent, attr)))


def add_lora(layers: Any, rank: int, alpha: float, dropout: float) -> None:
    """Wrap the :data:`LORA_TARGETS` of every BERT layer in ``layers`` with an adapter, in place."""
    _replace_targets(layers, lambda base: _lora_linear(base, rank, alpha, dropout))


def merge_lora(layers: Any) -> None:
    """Fold every adapter in ``layers`` back into a plain nn.Linear, in place."""
    _replace_targets(layers, lambda adapted: adapted.merged())


def lora_parameters(module: Any) -> list:
    """The adapters' trainable matrices under ``module``."""
    return [p for n, p in module.named_parameters() if n.rsplit(".", 1)[-1] in ("lora_a", "lora_b")]
