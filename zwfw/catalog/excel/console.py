"""A progress bar for the management commands: tqdm's when it is installed, else a percentage.

tqdm is not a dependency of zwfw; without it a line such as ``validate  40%  (20000/50000)`` is
rewritten on stderr, at most once per percent.
"""

from __future__ import annotations

import importlib.util
import sys
from typing import Any, TextIO


class ConsoleProgress:
    """Callable ``(stage, done, total)`` drawing one bar per stage."""

    def __init__(self, stream: TextIO | None = None, *, enabled: bool = True) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.stage = ""
        self.bar: Any = None
        self.last_percent = -1
        self.kind = "text"
        if importlib.util.find_spec("tqdm") is not None:
            self.kind = "tqdm"

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if stage != self.stage:
            self.close()
            self.stage, self.last_percent = stage, -1
            if self.kind == "tqdm":
                from tqdm import tqdm

                self.bar = tqdm(total=total or None, desc=stage, file=self.stream)
        if self.bar is not None:
            if total and self.bar.total != total:
                self.bar.total = total
            self.bar.update(done - self.bar.n)
            return
        if not total:
            self.stream.write(f"\r{stage:<9} {done} rows")
            self.stream.flush()
            return
        percent = done * 100 // total
        if percent != self.last_percent:
            self.last_percent = percent
            self.stream.write(f"\r{stage:<9} {percent:3d}%  ({done}/{total})")
            self.stream.flush()

    def close(self) -> None:
        """Finish the current bar (call once at the end)."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        elif self.stage:
            self.stream.write("\n")
            self.stream.flush()
        self.stage = ""
