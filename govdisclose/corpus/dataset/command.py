"""``govdisclose build-corpus SRC... --out DATASET``: the command line of :func:`build_corpus`.

Exit status: 0 every file read; 3 the dataset is written but some files are in ``failures``;
1 an error (nothing more written).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

__all__ = ["add_parser", "run"]


def add_parser(sub: Any, jobs_type: Any) -> None:
    """Add the ``build-corpus`` subcommand to the subparsers ``sub``."""
    b = sub.add_parser("build-corpus", help="read every report under SRC into an incremental Parquet dataset",
                       description="Read every report under the sources into a Parquet dataset (metrics, findings, "
                                   "sections, reports, failures; hive-partitioned by year). Re-running reads only new "
                                   "or changed files; an interrupted build resumes. Open it with govdisclose.open_corpus.")
    b.add_argument("sources", nargs="+", metavar="SRC", help="report files or folders (read recursively)")
    b.add_argument("--out", required=True, metavar="DATASET", help="the dataset folder (created, or updated in place)")
    b.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local: worker processes on this machine (default); dask: a Dask cluster")
    b.add_argument("--scheduler", metavar="ADDRESS", help="a running Dask scheduler (tcp://host:8786); implies --engine dask")
    b.add_argument("-j", "--jobs", type=jobs_type, default="auto",
                   help="worker processes (local) or LocalCluster workers (dask without --scheduler); default one per CPU")
    b.add_argument("--batch-size", type=int, default=256, help="files per batch (default 256)")
    b.add_argument("--no-validate", dest="validate", action="store_false", help="leave the validator's findings out")
    b.add_argument("--narrative", action="store_true", help="also check figures restated in the prose (slower)")
    merge = b.add_mutually_exclusive_group()
    merge.add_argument("--compact", dest="compact", action="store_true", default="auto",
                       help="at the end, merge every batch not yet compacted into few large sorted files (default: "
                            "only once 8 batches are not compacted yet)")
    merge.add_argument("--no-compact", dest="compact", action="store_false", help="never compact")
    bar = b.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None, help="always show the progress bar")
    bar.add_argument("--no-progress", dest="progress", action="store_false", help="never show the progress bar")


def run(args: argparse.Namespace) -> int:
    """Run ``build-corpus``; returns the exit status."""
    from govdisclose.corpus.dataset.builder import build_corpus

    engine = "dask" if args.scheduler else args.engine
    result = build_corpus(args.sources, args.out, engine=engine, jobs=args.jobs, scheduler=args.scheduler,
                          batch_size=args.batch_size, validate=args.validate, narrative=args.narrative,
                          progress=args.progress, compact=args.compact)
    print(result)
    if result.failed:
        print(f"{result.failed} file(s) not read: see open_corpus({str(args.out)!r}).failures()", file=sys.stderr)
        return 3
    return 0
