"""A progress bar showing work done and rate (rich, on stderr), or nothing."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from typing import Any, Iterator


@contextmanager
def progress_bar(description: str, total: int, *, enabled: bool = True, unit: str = "prompts",
                 clock: Callable[[], float] | None = None) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``; draws a rich bar (done/total, rate, elapsed, ETA) when enabled.

    Example:
        >>> with progress_bar("demo", 3, enabled=False) as advance:
        ...     advance(3)
    """
    if not enabled:
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class _Rate(ProgressColumn):
        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.1f} {unit}/s" if speed else f"- {unit}/s", style="progress.data.speed")

    kwargs: dict[str, Any] = {"console": Console(stderr=True), "transient": False}
    if clock is not None:
        kwargs["get_time"] = clock
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), _Rate(),
                  TimeElapsedColumn(), TimeRemainingColumn(), **kwargs) as progress:
        task = progress.add_task(description, total=total)
        yield lambda n: progress.advance(task, n)
