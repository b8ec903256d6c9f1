"""The memory a command and the processes it starts hold together, sampled while it runs.

``os.wait4`` gives a child's peak resident memory, and for the processes it forked the largest
of theirs, not their sum: a build spread over two processes can hold more than that says. This
samples the proportional set size (PSS: each shared page counted once, split between the
processes sharing it) of the whole process tree from ``/proc``, and keeps the largest sum. Linux
only; elsewhere it measures nothing.
"""

from __future__ import annotations

import threading
from pathlib import Path

PROC = Path("/proc")


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in (PROC / str(current) / "task").iterdir():
                todo += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in (PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


class TreeMemory:
    """Samples the PSS of ``pid`` and its descendants every ``interval`` seconds until stopped."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid, self.interval = pid, interval
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        if not (PROC / "self" / "smaps_rollup").exists():
            return
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in _tree(self.pid)))
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return self.peak_kb / 1024
