"""One writer at a time per data home, across processes.

An advisory ``flock`` on ``carson.lock``: readers never take it (SQLite's WAL lets
them read while a write is under way); a writer that can't get it within the
timeout raises ``StoreLockedError`` naming the process that holds it.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from typing import IO

from carson.errors import StoreLockedError


class WriterLock:
    def __init__(self, path: Path, timeout: float = 1.0) -> None:
        self.path = path
        self.timeout = timeout
        self._file: IO[str] | None = None
        self._depth = 0

    @property
    def held(self) -> bool:
        return self._depth > 0

    def acquire(self) -> None:
        if self._depth:
            self._depth += 1
            return
        f = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held across calls
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    f.seek(0)
                    holder = f.read().strip() or "another process"
                    f.close()
                    raise StoreLockedError(
                        f"Another Carson process ({holder}) is writing to {self.path.parent}.",
                        "Wait for it to finish (or close it), then try again.",
                    ) from None
                time.sleep(0.05)
        f.seek(0)
        f.truncate()
        f.write(f"pid {os.getpid()}")
        f.flush()
        self._file = f
        self._depth = 1

    def release(self) -> None:
        if not self._depth:
            return
        self._depth -= 1
        if self._depth == 0 and self._file is not None:
            self._file.seek(0)
            self._file.truncate()
            self._file.flush()
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None
