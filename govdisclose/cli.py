"""The ``govdisclose`` command line.

::

    govdisclose parse PATHS... -o metrics.parquet   # or .csv; folders are read recursively
    govdisclose validate metrics.parquet            # or report files/folders; -o findings.csv
    govdisclose demo --output DIR                   # the five notebooks on the bundled sample, as HTML
    govdisclose render PARAMS.yml --output DIR      # the notebook runs listed in a parameter file, as HTML
    govdisclose synth FOLDER -n 100 --formats text,html,docx   # SYNTHETIC reports for practice
    govdisclose cache info | clear                  # the parse cache (see govdisclose.corpus.cache)
    govdisclose build-corpus SRC... --out DATASET [--engine local|dask] [--scheduler ADDRESS] [--jobs N]

``parse`` shows a progress bar (on a terminal), reads in parallel (``--jobs``, default: one
worker per CPU), says how many agency-years it read, lists every file it could not read, every
duplicate copy of a report it dropped (``--duplicates``) and what it skipped, and never
overwrites an existing output unless ``--force``; ``demo`` and ``render`` do not render into a
folder holding an earlier render unless ``--force``. Exit status: 0 everything read; 3 output written but some files could not be
read; 1 nothing written (an error); 2 a usage error. ``validate`` exits 0 when no check fails,
1 when some ``error`` finding was made, 2 when its input cannot be read.

>>> import tempfile, govdisclose
>>> out = Path(tempfile.mkdtemp()) / "metrics.csv"
>>> main(["parse", str(govdisclose.sample_path("mfa_2023.txt")), "-o", str(out), "--no-progress"])
0
>>> main(["parse", str(govdisclose.sample_path("mfa_2023.txt")), "-o", str(out), "--no-progress"])  # exists: refused
2
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3
_MAX_LISTED = 20


def _jobs(text: str) -> int | str:
    if text == "auto":
        return "auto"
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--jobs takes a whole number or 'auto', not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("--jobs must be at least 1 (or 'auto')")
    return value


def _add_load_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-j", "--jobs", type=_jobs, default="auto", help="worker processes (default: auto = one per CPU, at most one per 25 files)")
    bar = parser.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None, help="always show the progress bar")
    bar.add_argument("--no-progress", dest="progress", action="store_false", help="never show the progress bar")
    cache = parser.add_mutually_exclusive_group()
    cache.add_argument("--cache", dest="cache", action="store_true", default=None,
                       help="reuse earlier results for unchanged files (default: only if $GOVDISCLOSE_CACHE_DIR is set)")
    cache.add_argument("--no-cache", dest="cache", action="store_false", help="parse every file")
    parser.add_argument("--cache-dir", metavar="DIR", help="cache folder (implies --cache)")


def _add_render_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-f", "--force", action="store_true", help="render into DIR even if it holds an earlier render")
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per notebook cell (default 600)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    parser = argparse.ArgumentParser(
        prog="govdisclose",
        description="China's government information disclosure annual reports (政府信息公开工作年度报告) as tidy data.",
        epilog="Exit status: 0 ok; 1 error; 2 usage error or unreadable input; 3 (parse) written, but some files failed.",
    )
    from govdisclose import __version__

    parser.add_argument("--version", action="version", version=f"govdisclose {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("parse", help="read report files into one tidy metrics file (.parquet or .csv)",
                       description="Read report files and folders into one tidy metrics file.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="report files or folders (read recursively)")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="metrics.parquet or metrics.csv")
    p.add_argument("-f", "--force", action="store_true", help="overwrite OUTPUT (and --failures) if they exist")
    p.add_argument("--failures", metavar="FILE", help="also write the failure table to this CSV file")
    p.add_argument("--strict", action="store_true", help="stop at the first file that cannot be read; write nothing")
    p.add_argument("--duplicates", choices=("prefer", "first", "keep", "raise"), default="prefer",
                   help="several files with the report of one agency and year: keep the preferred copy (default: fewest "
                        "unreadable cells, then HTML before PDF before text), the first, all, or stop")
    _add_load_options(p)

    v = sub.add_parser("validate", help="check the template's arithmetic of parsed reports",
                       description="Check the arithmetic rules of the template (spec §4) and list the findings.")
    v.add_argument("inputs", nargs="+", metavar="INPUT", help="metrics files (.parquet/.csv) or report files/folders")
    v.add_argument("-o", "--output", metavar="FILE", help="write all findings to FILE (.csv or .parquet)")
    v.add_argument("-f", "--force", action="store_true", help="overwrite OUTPUT if it exists")
    v.add_argument("--no-cross-year", action="store_true", help="skip the checks between an agency's years")
    _add_load_options(v)

    d = sub.add_parser("demo", help="render the five notebooks on the bundled sample to HTML (works offline)",
                       description="Render the bundled notebooks with the bundled parameter file (params/demo.yml) on "
                                   "the bundled sample reports: DIR/<notebook>/<slug>.html and DIR/manifest.json.")
    d.add_argument("-o", "--output", metavar="DIR", default="reports", help="output folder (default: reports)")
    _add_render_options(d)

    r = sub.add_parser("render", help="render the notebooks listed in a parameter file (YAML) to HTML",
                       description="Render each (notebook, parameters) run listed in a YAML parameter file to HTML "
                                   "(copy params/demo.yml of `govdisclose demo` to start one).")
    r.add_argument("params", metavar="PARAMS", help="YAML parameter file")
    r.add_argument("-o", "--output", metavar="DIR", help="output folder (default: output_dir of PARAMS, else reports)")
    _add_render_options(r)

    s = sub.add_parser("synth", help="write SYNTHETIC reports (made-up agencies and figures) for practice and tests",
                       description="Write SYNTHETIC reports with consistent arithmetic (see govdisclose.synth).")
    s.add_argument("folder", metavar="FOLDER")
    s.add_argument("-n", type=int, default=60, help="number of reports (default 60)")
    s.add_argument("--formats", default="text,markdown,html,docx", help="comma-separated: text,markdown,html,docx,pdf")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--errors", type=int, default=0, help="reports with one injected arithmetic error each")
    s.add_argument("-f", "--force", action="store_true", help="overwrite files of an earlier run in FOLDER")

    c = sub.add_parser("cache", help="show or clear the parse cache")
    c.add_argument("action", choices=("info", "clear"))
    c.add_argument("--cache-dir", metavar="DIR", help="cache folder (default: $GOVDISCLOSE_CACHE_DIR or the user cache)")
    from govdisclose.corpus.dataset import command as build_command

    build_command.add_parser(sub, _jobs)
    return parser


def _err(message: str) -> None:
    print(f"govdisclose: error: {message}", file=sys.stderr)


def _cache_arg(args: argparse.Namespace) -> bool | str | None:
    if args.cache_dir:
        if args.cache is False:
            raise _Usage("--cache-dir and --no-cache contradict each other")
        return args.cache_dir
    return args.cache


class _Usage(Exception):
    """A usage error (exit status 2)."""


class _Failure(Exception):
    """An error of the command line itself (exit status 1)."""


def _check_output(path: str | None, force: bool, suffixes: tuple[str, ...]) -> None:
    if path is None:
        return
    target = Path(path)
    if target.suffix.lower() not in suffixes:
        raise _Usage(f"{path}: the output must end in {' or '.join(suffixes)}")
    if target.exists() and not force:
        raise _Usage(f"{path} already exists; pass --force to overwrite it")
    if target.is_dir():
        raise _Usage(f"{path} is a folder")
    if not target.parent.is_dir():
        raise _Usage(f"{target.parent} does not exist (create the folder first)")


def _write_table(frame, out: Path) -> None:
    """Write a findings or failures table (.csv with BOM, or .parquet) atomically."""
    from govdisclose.corpus.metrics_io import write_table

    write_table(frame, out)


def _cmd_parse(args: argparse.Namespace) -> int:
    from govdisclose.corpus.loader import load_reports
    from govdisclose.corpus.metrics_io import METRICS_SUFFIXES, write_metrics
    from govdisclose.corpus.summary import load_summary, print_load_details

    _check_output(args.output, args.force, METRICS_SUFFIXES)
    _check_output(args.failures, args.force, (".csv",))
    if args.failures and Path(args.failures).resolve() == Path(args.output).resolve():
        raise _Usage("--failures must name another file than --output")
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:  # the same rule as load_reports: a path that does not exist is an error, not an empty result
        raise _Usage(f"no such file or folder: {', '.join(missing)}")
    start = time.perf_counter()
    metrics = load_reports(args.paths, jobs=args.jobs, progress=args.progress, cache=_cache_arg(args),
                           errors="raise" if args.strict else "collect", duplicates=args.duplicates)
    seconds = time.perf_counter() - start
    failures = metrics.attrs["failures"]
    print(load_summary(metrics, seconds, args.jobs), file=sys.stderr)
    print_load_details(metrics, limit=_MAX_LISTED)
    if metrics.attrs.get("files", 0) == len(metrics.attrs["skipped"]):
        _err("no report files (.txt .md .html .htm .pdf .docx) were found in " + ", ".join(args.paths))
        return EXIT_ERROR
    write_metrics(metrics, args.output, force=args.force)
    print(f"wrote {args.output} ({len(metrics):,} rows)", file=sys.stderr)
    if args.failures:
        _write_table(failures, Path(args.failures))
        print(f"wrote {args.failures} ({len(failures)} rows)", file=sys.stderr)
    return EXIT_PARTIAL if len(failures) else EXIT_OK


def _read_inputs(args: argparse.Namespace):

    from govdisclose.corpus.loader import load_reports
    from govdisclose.corpus.metrics_io import METRICS_SUFFIXES, read_metrics
    from govdisclose.tidy import concat_metrics

    tables = [p for p in args.inputs if Path(p).suffix.lower() in METRICS_SUFFIXES]
    reports = [p for p in args.inputs if p not in tables]
    frames = [read_metrics(p) for p in tables]
    failures = None
    if reports:
        loaded = load_reports(reports, jobs=args.jobs, progress=args.progress, cache=_cache_arg(args))
        failures = loaded.attrs["failures"]
        frames.append(loaded)
    if len(frames) == 1:
        return frames[0], failures
    return concat_metrics(frames), failures


def _cmd_validate(args: argparse.Namespace) -> int:
    from govdisclose.checks.rules import validate
    from govdisclose.corpus.summary import print_failures
    from govdisclose.exceptions import GovDiscloseError

    _check_output(args.output, args.force, (".csv", ".parquet"))
    try:
        metrics, failures = _read_inputs(args)
    except GovDiscloseError as exc:
        _err(str(exc))
        return EXIT_USAGE
    print_failures(failures, limit=_MAX_LISTED)
    findings = validate(metrics, cross_year=not args.no_cross_year)
    errors = findings[findings["severity"] == "error"]
    warnings = findings[findings["severity"] == "warning"]
    n_reports = metrics["source"].nunique()
    print(f"{n_reports} report(s) checked: {len(errors)} error(s), {len(warnings)} warning(s)")
    if len(findings):
        counts = findings.groupby(["severity", "rule"], observed=True).size()
        for (severity, rule), count in zip(counts.index.tolist(), counts.tolist()):
            print(f"  {count:5d}  {severity:8s} {rule}")
    for row in errors.head(_MAX_LISTED).itertuples(index=False):
        print(f"  ! {row.source}: {row.rule}: {row.message}")
    if len(errors) > _MAX_LISTED:
        print(f"  … and {len(errors) - _MAX_LISTED} more errors (write them all with -o FILE)")
    if args.output:
        _write_table(findings, Path(args.output))
        print(f"wrote {args.output} ({len(findings)} findings)")
    return EXIT_ERROR if len(errors) else EXIT_OK


def _renderer():
    """The notebook renderer, or a clear error naming the extra that installs what it needs."""
    from govdisclose._optional import import_optional

    for module in ("papermill", "nbconvert", "ipykernel", "matplotlib"):
        import_optional(module, extra="notebooks", purpose="rendering notebooks")
    try:
        from govdisclose.viz import render
    except ModuleNotFoundError as exc:
        if exc.name in ("govdisclose.viz.render", f"{__package__}.render"):
            raise _Failure("rendering notebooks is not available: this installation has no govdisclose.viz.render module") from None
        raise _Failure(f"rendering needs {exc.name}, which is not installed: pip install 'govdisclose[notebooks]'") from None
    return render


def _render(params: Path, output: str | None, force: bool, timeout: int) -> int:
    render = _renderer()
    if output is None:
        import yaml

        try:
            spec = yaml.safe_load(params.read_text(encoding="utf-8")) if params.is_file() else {}
        except yaml.YAMLError:
            spec = {}  # the renderer reports the bad file
        output = str((spec or {}).get("output_dir") or "reports") if isinstance(spec, dict) else "reports"
    target = Path(output)
    if (target / "manifest.json").exists() and not force:
        raise _Usage(f"{target} holds an earlier render (manifest.json); pass --force to render into it again")
    results = render.render_notebooks(params, output_dir=target, timeout=timeout, raise_on_error=False)
    for r in results.to_dict("records"):
        where = r["html"] if r["status"] == "ok" else r["error"]
        print(f"{r['status']:6} {r['notebook']}/{r['slug']}  {where}  ({r['seconds']} s)")
    failed = int((results["status"] == "failed").sum())
    print(f"{len(results) - failed} of {len(results)} rendered into {target}" + (f"; {failed} FAILED" if failed else ""))
    if failed:
        _err(f"{failed} of {len(results)} notebook run(s) failed (see above)")
    return EXIT_ERROR if failed else EXIT_OK


def _cmd_render(args: argparse.Namespace) -> int:
    params = Path(args.params)
    if not params.is_file():
        raise _Usage(f"{params}: parameter file not found")
    return _render(params, args.output, args.force, args.timeout)


def _cmd_demo(args: argparse.Namespace) -> int:
    from govdisclose.corpus.paths import package_folder

    return _render(package_folder("viz", "notebooks", "params") / "demo.yml", args.output, args.force, args.timeout)


def _cmd_synth(args: argparse.Namespace) -> int:
    from govdisclose._optional import import_optional
    from govdisclose.synth import FORMATS, generate_corpus

    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise _Usage(f"--formats must be among {','.join(FORMATS)}; not {','.join(unknown) or 'empty'}")
    if "docx" in formats:
        import_optional("docx", extra="docx", purpose="writing DOCX reports (leave docx out of --formats to do without)")
    if args.n < 0 or not 0 <= args.errors <= args.n:
        raise _Usage("-n must be >= 0 and --errors between 0 and n")
    corpus = generate_corpus(args.folder, args.n, formats=formats, seed=args.seed, errors=args.errors, overwrite=args.force)
    counts = corpus.files["format"].value_counts().to_dict()
    print(f"wrote {len(corpus.files)} SYNTHETIC reports to {args.folder} "
          f"({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}); list in {Path(args.folder) / 'SYNTHETIC_MANIFEST.csv'}")
    if len(corpus.injected):
        print(f"{corpus.files['injected'].ne('').sum()} reports carry an injected error (column 'injected' of the manifest)")
    for reason, group in corpus.skipped.groupby("reason", observed=True):
        print(f"skipped {len(group)} {group['format'].iloc[0]} file(s): {reason}", file=sys.stderr)
    return EXIT_OK


def _cmd_cache(args: argparse.Namespace) -> int:
    from govdisclose.corpus.cache import ReportCache, default_cache_dir

    cache = ReportCache(args.cache_dir or default_cache_dir())
    if args.action == "clear":
        freed = cache.clear()
        print(f"cleared {cache.root} ({freed / 2**20:.1f} MB)")
        return EXIT_OK
    info = cache.info()
    print(f"cache folder: {info['dir']}\nparser version: {info['version']}\n"
          f"reports cached for this version: {info['reports']} in {info['parts']} part(s)\n"
          f"size on disk (all versions): {info['bytes'] / 2**20:.1f} MB")
    return EXIT_OK


def _cmd_build_corpus(args: argparse.Namespace) -> int:
    from govdisclose.corpus.dataset.command import run

    return run(args)


_COMMANDS = {"parse": _cmd_parse, "validate": _cmd_validate, "demo": _cmd_demo, "render": _cmd_render, "synth": _cmd_synth,
             "cache": _cmd_cache, "build-corpus": _cmd_build_corpus}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from govdisclose.exceptions import GovDiscloseError

    try:
        return _COMMANDS[args.command](args)
    except _Usage as exc:
        _err(str(exc))
        return EXIT_USAGE
    except (GovDiscloseError, _Failure) as exc:
        _err(str(exc))
        return EXIT_ERROR
    except KeyboardInterrupt:
        _err("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
