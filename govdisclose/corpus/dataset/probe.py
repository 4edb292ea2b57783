"""Which files kill the process that reads them: each is read in a child Python process, one after
the other; a child that dies names its file, and a fresh child goes on with the next one.

The process asking survives whatever the files do (a Dask worker asking stays up), so a crash is
pinned on its file and on nothing else. ``python -m govdisclose.corpus.dataset.probe`` is the
child: it reads the pickled ``(reader, paths)`` on stdin and prints each index once read.

>>> import govdisclose
>>> find_crashes(None, [str(govdisclose.sample_path("mfa_2023.txt"))])
set()
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["find_crashes"]


def find_crashes(reader: Callable[[str], Any] | None, sources: Sequence[str]) -> set[str]:
    """The files among ``sources`` whose reading kills the child process reading them."""
    crashed: set[str] = set()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    start = 0
    while start < len(sources):
        rest = list(sources[start:])
        done = subprocess.run([sys.executable, "-m", "govdisclose.corpus.dataset.probe"], input=pickle.dumps((reader, rest)),
                              capture_output=True, env=env, check=False)
        read = [int(line) for line in done.stdout.decode().split() if line.isdigit()]
        if done.returncode == 0 and len(read) == len(rest):
            break
        failed = (read[-1] + 1) if read else 0
        if failed >= len(rest):  # every file read, the child died after: nothing to pin
            break
        crashed.add(rest[failed])
        start += failed + 1
    return crashed


def _child() -> None:
    from govdisclose.corpus.dataset.batch import probe

    reader, paths = pickle.loads(sys.stdin.buffer.read())
    for k, path in enumerate(paths):
        probe(reader, path)
        sys.stdout.write(f"{k}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    _child()
