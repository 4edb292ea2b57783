"""Profile what a corpus worker runs for one batch, in this process (cProfile, no pool).

    .venv/bin/python -m govdisclose synth /tmp/s300 -n 300 --formats text,html
    .venv/bin/python scripts/profile_batch.py /tmp/s300                 # CPU-ms per report, by step
    .venv/bin/python scripts/profile_batch.py /tmp/s300 --profile 40    # and the top 40 by tottime / cumulative

The files are cut into batches of ``--batch-size`` (256, the builder's default) and each batch is
run with :func:`govdisclose.corpus.dataset.batch.run_batch`, exactly as a worker runs it: read every
file, gather the five tables, validate, write Parquet into a staging folder (a throw-away dataset).
It prints the CPU time per report of the whole, and of the reading, typing and writing steps.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import pstats
import sys
import tempfile
import time
from pathlib import Path

from govdisclose.corpus.dataset import batch as batch_mod
from govdisclose.corpus.dataset.batch import BatchTask, Member, run_batch
from govdisclose.corpus.dataset.store import Store

SUFFIXES = {".txt", ".md", ".html", ".htm", ".docx", ".pdf"}


def members_of(folder: Path) -> list[Member]:
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in SUFFIXES)
    return [Member(str(p), hashlib.blake2b(p.read_bytes(), digest_size=16).hexdigest()) for p in files]


def run(members: list[Member], root: str, batch_size: int, validate: bool) -> dict[str, float]:
    """Run the batches; the CPU seconds spent in each step (read, frames, write) and in all."""
    spent = {"read": 0.0, "frames": 0.0, "write": 0.0}
    originals = {name: getattr(batch_mod, name) for name in ("_read_one", "_frames", "_write")}

    def timed(step: str, name: str):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            start = time.process_time()
            try:
                return originals[name](*args, **kwargs)
            finally:
                spent[step] += time.process_time() - start
        return wrapper

    batch_mod._read_one = timed("read", "_read_one")  # type: ignore[assignment]
    batch_mod._frames = timed("frames", "_frames")  # type: ignore[assignment]
    batch_mod._write = timed("write", "_write")  # type: ignore[assignment]
    try:
        start = time.process_time()
        for k in range(0, len(members), batch_size):
            run_batch(BatchTask(tuple(members[k:k + batch_size]), "profile", root, validate=validate))
        spent["all"] = time.process_time() - start
    finally:
        for name, fn in originals.items():
            setattr(batch_mod, name, fn)
    return spent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--no-validate", action="store_true")
    parser.add_argument("--profile", type=int, default=0, help="print the top N functions (tottime, cumulative)")
    parser.add_argument("--repeat", type=int, default=2, help="timed runs (the first run warms caches)")
    args = parser.parse_args(argv)
    members = members_of(args.folder)
    if not members:
        sys.exit(f"no report files under {args.folder}")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "dataset")
        store.prepare()
        root = str(store.root)
        run(members[:8], root, args.batch_size, not args.no_validate)  # warm-up: imports, catalogue caches
        for _ in range(args.repeat):
            spent = run(members, root, args.batch_size, not args.no_validate)
            per = {k: 1000 * v / len(members) for k, v in spent.items()}
            print(f"{len(members)} reports: " + ", ".join(f"{k} {v:.2f}" for k, v in per.items()) + " CPU-ms per report")
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            run(members, root, args.batch_size, not args.no_validate)
            profile.disable()
            for key in ("tottime", "cumulative"):
                pstats.Stats(profile).sort_stats(key).print_stats(args.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
