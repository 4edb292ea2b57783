"""Benchmark ``build_corpus`` on N generated (SYNTHETIC) mixed-format reports, with 2 workers.

    .venv/bin/python scripts/bench_corpus.py                      # 100,000 reports: text, Markdown, HTML, DOCX
    .venv/bin/python scripts/bench_corpus.py --n 10000 --formats text,html
    .venv/bin/python scripts/bench_corpus.py --n 10000 --engine dask   # on a 2-worker LocalCluster
    .venv/bin/python scripts/bench_corpus.py --corpus DIR --keep   # reuse a corpus generated earlier

What it prints:

1. generation: the time to write the N reports (measured apart: it is not part of the build);
2. the build, in a fresh interpreter so that its peak memory is the builder's own: wall time,
   reports per second, the CPU of the builder process (by step) and of each worker (in the
   batches, and outside them: start-up, receiving batches), the builder's and pool's own CPU
   per report, the peak resident memory of the builder and of each worker process, and the
   dataset's size on disk;
3. the compaction a build does at its end (run apart here, to time it and the queries on the
   batch files before it): files before and after, time, CPU and peak memory;
4. a second build over the same folder (it must read nothing) and its time;
5. three queries through ``open_corpus`` (median of 5, each on a freshly opened corpus), before
   and after compaction: the typical one (one indicator, ``requests / new_received / total``, for
   every agency of one year), every metric of one year, and every metric of one agency (all years).

Targets (checked and printed; the exit status is 0 either way): at least 500 reports/s on 2 cores
for the text/HTML mix, builder peak under 300 MB, builder + pool overhead at most 0.5 CPU-ms per
report (the builder process whole, plus each worker's CPU outside the batches).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PER_FOLDER = 1000  # files per sub-folder of the generated corpus
YEARS = (2019, 2020, 2021, 2022, 2023, 2024)


def generate_part(args: tuple[str, int, int, tuple[str, ...]]) -> int:
    """Write reports ``start..stop`` (whole agencies: multiples of the six years) into ``folder``."""
    from govdisclose.synth.corpus import agency_name
    from govdisclose.synth.figures import History, make_report
    from govdisclose.synth.render import SUFFIXES, render

    folder, start, stop, formats = args
    written = 0
    history = History()
    for i in range(start, stop):
        agency, year = i // len(YEARS), YEARS[i % len(YEARS)]
        if i % len(YEARS) == 0:  # a new agency: its first year
            history = History()
        report = make_report(agency_name(agency), year, seed=random.Random(i), history=history)
        fmt = formats[i % len(formats)]
        sub = Path(folder) / f"{i // PER_FOLDER:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"SYNTHETIC_{i:06d}_{year}{SUFFIXES[fmt]}").write_bytes(render(report, fmt))
        written += 1
    return written


def generate(folder: Path, n: int, formats: tuple[str, ...], jobs: int) -> float:
    from concurrent.futures import ProcessPoolExecutor

    step = PER_FOLDER - PER_FOLDER % len(YEARS)
    parts = [(str(folder), a, min(n, a + step), formats) for a in range(0, n, step)]
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        total = sum(pool.map(generate_part, parts))
    assert total == n
    return time.perf_counter() - start


def build_in_child(corpus: Path, out: Path, engine: str, jobs: int, batch_size: int, validate: bool = True,
                   compact: bool | str = "auto") -> dict:
    """Run the build in a fresh interpreter; return what it measured (JSON on its last line)."""
    code = f"""
import json, resource, sys, time
if __name__ == "__main__":
    started = time.process_time()
    import govdisclose
    from govdisclose.corpus.dataset.batch import peak_rss_mb
    kwargs = {{}}
    if {engine!r} == "dask":
        import distributed
        cluster = distributed.LocalCluster(n_workers={jobs}, threads_per_worker=1, processes=True, host="127.0.0.1",
                                           dashboard_address=":0")
        kwargs["client"] = distributed.Client(cluster)
    start_cpu = time.process_time()
    start = time.perf_counter()
    r = govdisclose.build_corpus({str(corpus)!r}, {str(out)!r}, jobs={jobs}, batch_size={batch_size}, progress=False,
                                 validate={validate}, compact={compact!r}, **kwargs)
    seconds = time.perf_counter() - start
    print(r, file=sys.stderr)
    print(json.dumps({{"seconds": seconds, "parsed": r.parsed, "files": r.files, "failed": r.failed,
                       "workers": r.worker_peak_mb, "builder_mb": peak_rss_mb(), "engine": r.engine,
                       "builder_cpu": time.process_time(), "import_cpu": start_cpu - started, "phases": r.cpu,
                       "worker_cpu": r.worker_cpu}}))
"""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    script = out.parent / "build_child.py"
    script.write_text(code, encoding="utf-8")
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"the build failed:\n{done.stderr[-3000:]}")
    got = json.loads(done.stdout.strip().splitlines()[-1])
    # CPU seconds of the builder and of its workers (every process it waited for)
    got["cpu"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return got


def print_overhead(got: dict) -> float:
    """The builder's and the pool's own CPU: the builder process (start-up and imports, then by
    step) and each worker's CPU outside the batches (its start-up, receiving batches), per report."""
    parsed = max(1, got["parsed"])
    phases = ", ".join(f"{k} {v:.2f}" for k, v in got["phases"].items())
    print(f"builder process CPU: {got['builder_cpu']:.2f} s (start-up and imports {got['import_cpu']:.2f}; {phases})")
    workers = got["worker_cpu"]
    if workers:
        print("worker CPU: " + "; ".join(f"{w['total']:.1f} s ({w['work']:.1f} in batches, {w['total'] - w['work']:.2f} "
                                         "start-up and dispatch)" for _, w in sorted(workers.items())))
    overhead = got["builder_cpu"] + sum(w["total"] - w["work"] for w in workers.values())
    work = sum(w["work"] for w in workers.values())
    print(f"builder + pool overhead: {overhead:.2f} CPU-s = {overhead / parsed * 1000:.2f} CPU-ms per report "
          f"(target <= 0.5); the batches: {work / parsed * 1000:.2f} CPU-ms per report")
    return overhead / parsed * 1000


def compact_in_child(out: Path) -> dict:
    """Compact the dataset in a fresh interpreter; return its CPU, wall time and peak memory."""
    code = f"""
import json, time
from govdisclose.corpus.dataset.batch import peak_rss_mb
from govdisclose.corpus.dataset.compact import compact_corpus
cpu, start = time.process_time(), time.perf_counter()
r = compact_corpus({str(out)!r})
print(json.dumps({{"cpu": time.process_time() - cpu, "seconds": time.perf_counter() - start, "mb": peak_rss_mb(),
                  "merged": r.merged, "written": r.written, "before": r.files_before, "after": r.files_after}}))
"""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        sys.exit(f"the compaction failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def size_on_disk(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


#: The queries timed through ``open_corpus``, before and after compaction: the typical one (one
#: indicator for every agency of one year), a whole year, and one agency in every year.
QUERIES = {
    "typical": dict(year=2023, table="requests", item="new_received", applicant="total"),
    "year": dict(year=2023),
}


def agency_of(out: Path) -> str:
    """The agency of the one-agency query: the median of 2023's agencies (in code point order)."""
    import govdisclose

    agencies = sorted(set(govdisclose.open_corpus(out).reports(year=2023, with_identity=False)["agency"].dropna()))
    return str(agencies[len(agencies) // 2])


def query_time(out: Path, query: dict) -> tuple[float, float, int]:
    """A query's median wall and CPU seconds (of 5, each on a freshly opened corpus) and its rows."""
    import govdisclose

    times, cpu, rows = [], [], 0
    for _ in range(5):
        start, start_cpu = time.perf_counter(), time.process_time()
        frame = govdisclose.open_corpus(out).metrics(**query)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        rows = len(frame)
    return statistics.median(times), statistics.median(cpu), rows


def query_times(out: Path, agency: str) -> dict[str, tuple[float, float, int]]:
    """:func:`query_time` of each of :data:`QUERIES` and of one agency's metrics in every year."""
    return {**{name: query_time(out, query) for name, query in QUERIES.items()},
            "agency": query_time(out, {"agency": agency})}


def queries_in_child(out: Path, agency: str) -> dict[str, tuple[float, float, int]]:
    """:func:`query_times` in a fresh interpreter: the frames of a whole year stay out of this
    process, whose resident memory a child started later would report as its own peak (Linux
    counts the memory of the process a child was forked from into the child's ``ru_maxrss``)."""
    code = f"""
import json, sys
sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})
from bench_corpus import query_times
print(json.dumps(query_times(__import__("pathlib").Path({str(out)!r}), {agency!r})))
"""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        sys.exit(f"the queries failed:\n{done.stderr[-3000:]}")
    return {name: tuple(values) for name, values in json.loads(done.stdout.strip().splitlines()[-1]).items()}  # type: ignore[misc]


def print_queries(when: str, times: dict[str, tuple[float, float, int]], agency: str) -> None:
    what = {"typical": "requests/new_received/total, every agency of 2023", "year": "every metric of 2023",
            "agency": f"one agency ({agency}), every year"}
    for name, (seconds, cpu, rows) in times.items():
        print(f"query {when} ({what[name]}): {seconds * 1000:.0f} ms ({cpu * 1000:.0f} CPU-ms) for {rows:,} rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="reports to generate (default 100,000)")
    parser.add_argument("--formats", default="text,markdown,html,docx", help="comma-separated synth formats")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--engine", choices=("local", "dask"), default="local")
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--no-validate", dest="validate", action="store_false", help="build without the validator's findings")
    parser.add_argument("--corpus", type=Path, help="a folder generated earlier (else a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpus and the dataset")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    formats = tuple(f for f in args.formats.split(",") if f)
    work = Path(tempfile.mkdtemp(prefix="govdisclose-bench-corpus-"))
    corpus = args.corpus or work / "reports"
    out = work / "dataset"
    try:
        if args.corpus is None or not any(corpus.rglob("SYNTHETIC_*")):
            gen = generate(corpus, args.n, formats, args.jobs)
            print(f"generation: {args.n:,} reports ({', '.join(formats)}) in {gen:.1f} s ({args.n / gen:.0f}/s, "
                  f"{args.jobs} processes; not part of the build)")
        n = sum(1 for _ in corpus.rglob("SYNTHETIC_*"))
        load = os.getloadavg()[0]
        got = build_in_child(corpus, out, args.engine, args.jobs, args.batch_size, args.validate, compact=False)
        rate = got["parsed"] / got["seconds"]
        print(f"build ({got['engine']}, {args.jobs} workers, batches of {args.batch_size}, validator "
              f"{'on' if args.validate else 'off'}): {n:,} files in {got['seconds']:.1f} s = {rate:.0f} reports/s; "
              f"{got['failed']} in failures")
        per_cpu = got["parsed"] / got["cpu"] if got["cpu"] else float("nan")
        print(f"CPU: {got['cpu']:.1f} s (builder + workers) = {per_cpu:.0f} reports per CPU-second, i.e. about "
              f"{per_cpu * args.jobs:.0f} reports/s on {args.jobs} idle cores (load average before the build: "
              f"{load:.1f}, after: {os.getloadavg()[0]:.1f})")
        overhead_ms = print_overhead(got)
        print(f"peak memory: builder {got['builder_mb']:.0f} MB; workers "
              + ", ".join(f"{v:.0f} MB" for _, v in sorted(got["workers"].items())))
        print(f"dataset on disk: {size_on_disk(out) / 2**20:.1f} MB ({size_on_disk(corpus) / 2**20:.1f} MB of reports)")
        agency = agency_of(out)
        before = queries_in_child(out, agency)
        packed = compact_in_child(out)
        print(f"compaction (what a build does at its end; measured apart): {packed['merged']} batches into "
              f"{packed['written']}, {packed['before']:,} files into {packed['after']:,}, {packed['seconds']:.1f} s, "
              f"{packed['cpu']:.1f} CPU-s, peak memory {packed['mb']:.0f} MB; dataset on disk: "
              f"{size_on_disk(out) / 2**20:.1f} MB")
        print_queries("before compaction", before, agency)
        again = build_in_child(corpus, out, "local", args.jobs, args.batch_size)
        print(f"second build: {again['parsed']} files read, {again['seconds']:.2f} s, builder CPU "
              f"{again['builder_cpu']:.2f} s ({again['import_cpu']:.2f} of it start-up and imports)")
        print_queries("after compaction", queries_in_child(out, agency), agency)
        targets = [("builder peak < 300 MB", got["builder_mb"] < 300),
                   ("builder + pool overhead <= 0.5 CPU-ms per report", overhead_ms <= 0.5)]
        if set(formats) <= {"text", "markdown", "html"}:  # (the target is set for the text/HTML mix only)
            targets.insert(0, ("reports/s >= 500 (text/HTML mix, 2 cores)", rate >= 500))
        else:
            print(f"target reports/s >= 500: set for the text/HTML mix; this mix has {', '.join(formats)} "
                  "(run with --formats text,html)")
        for what, ok in targets:
            print(f"target {what}: {'met' if ok else 'NOT met'}")
    finally:
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
