"""Benchmark: the project against the notebook as a user runs it, and against the limit query.

Every contender runs in the same run, each in its own process, so that wall time and peak RSS are
its own (issue #13):

- demo: a second `make run` on the 1,000-row demo file (warm .venv, partial parse kept), against
  the notebook pipeline on that file;
- for each size and format (inputs generated once with the project's generator, cached in
  bench/data/, git-ignored): the main job as `make run INPUT=...` runs it (`dbt build` of the
  selector main_job, then the report), the notebook pipeline (bench/notebook_baseline.py:
  `KMeans(n_clusters=5)` as the notebook calls it; the earlier n_init=10 variant at the largest
  size), and the limit (bench/limit_query.py: one DuckDB query that scores and assigns segments);
- the fixed cost: dbt start-up and parse.

It writes bench/RESULTS.md, opening with the targets table (bench_report.py), and
bench/results.json. `make test`'s time comes from a timed log, when one is given.

    make bench                          # 1e4 1e5 1e6 1e7, CSV and Parquet
    make bench BENCH_LARGE=1            # and 1e8 (Parquet; ~10 GB of CSV is not generated)
    BENCH_MAKE_TEST_LOG=t.log make bench    # t.log from `{ time make test; } > t.log 2>&1`
    .venv/bin/python bench/run.py --sizes 10000 --formats parquet --out-dir /tmp/b   # quick look
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "bench"
sys.path[:0] = [str(ROOT / "python"), str(BENCH_DIR)]  # bench/ is scripts, not a package

from bench_report import write_results  # noqa: E402

from credit_segments.sample_data import SampleSpec, write_sample  # noqa: E402

BIN = Path(sys.executable).parent
DEFAULT_SIZES = (10_000, 100_000, 1_000_000, 10_000_000)
DEMO_INPUT = ROOT / "data" / "credit_scoring_sample.csv"  # what `make run` reads by default
LARGE_SIZE = 100_000_000
SEED = 42


@dataclass
class Measured:
    """One process: wall time, peak RSS (largest process in its tree), exit code, output."""

    wall_s: float
    peak_rss_mb: float
    returncode: int
    stdout: str = field(repr=False)
    stderr: str = field(repr=False)

    def check(self, what: str) -> Measured:
        if self.returncode != 0:
            tail = "\n".join((self.stdout + self.stderr).splitlines()[-40:])
            raise RuntimeError(f"{what} failed with exit code {self.returncode}:\n{tail}")
        return self


def measure(command: list[str], env: dict[str, str] | None = None) -> Measured:
    """Run command; wait4 gives the peak RSS of it and of every descendant it waited for."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Measured(
            wall_s=wall,
            peak_rss_mb=usage.ru_maxrss / 1024,  # Linux reports KiB
            returncode=process.returncode,
            stdout=out.read().decode(errors="replace"),
            stderr=err.read().decode(errors="replace"),
        )


def input_file(data_dir: Path, rows: int, fmt: str) -> Path:
    """The generated input for rows and format, written once and reused by later runs."""
    path = data_dir / f"customers_{rows}.{fmt}"
    if not path.exists():
        print(f"  generating {path.name}", file=sys.stderr)
        partial = path.with_name(path.stem + ".partial" + path.suffix)
        write_sample(SampleSpec(rows=rows, seed=SEED), partial)
        partial.replace(path)
    return path


@dataclass
class Workspace:
    """Private warehouse, dbt target and reports for one benchmark run."""

    root: Path

    @property
    def target(self) -> Path:  # shared by every build, so dbt can keep its partial parse
        return self.root / "target"

    def db(self, name: str) -> Path:
        path = self.root / f"{name}.duckdb"
        for stale in (path, path.with_name(path.name + ".wal")):
            stale.unlink(missing_ok=True)
        return path

    def env(self, db: Path, input_path: Path | None = None) -> dict[str, str]:
        env = {**os.environ, "DBT_PROFILES_DIR": str(ROOT), "CREDIT_SEGMENTS_DB": str(db)}
        if input_path is not None:
            env["CREDIT_SEGMENTS_INPUT"] = str(input_path)  # as `make run INPUT=...` passes it
        return env


def dbt_command(ws: Workspace, verb: str, dbt_vars: dict) -> list[str]:
    return [
        str(BIN / "dbt"),
        verb,
        "--vars",
        json.dumps(dbt_vars),
        "--target-path",
        str(ws.target),
        "--log-path",
        str(ws.root / "logs"),
    ]


def node_timings(target: Path, top: int = 8) -> list[dict]:
    """The slowest nodes of the last dbt invocation, from its run_results.json."""
    results = json.loads((target / "run_results.json").read_text())["results"]
    ranked = sorted(results, key=lambda result: result["execution_time"], reverse=True)
    return [
        {
            "node": result["unique_id"].split(".", 2)[-1],
            "seconds": round(result["execution_time"], 2),
        }
        for result in ranked[:top]
    ]


def node_time(target: Path, name: str) -> float:
    results = json.loads((target / "run_results.json").read_text())["results"]
    return sum(r["execution_time"] for r in results if r["unique_id"].endswith("." + name))


def main_job(ws: Workspace, path: Path, rows: int, score_method: str = "fico") -> dict:
    """`make run INPUT=path`: dbt build, then the report; each step timed on its own."""
    name = f"main_{rows}_{path.suffix[1:]}_{score_method}"
    # one warehouse path for every size, emptied first: a user's warehouse keeps its path, and a
    # new path is a new dbt profile, which dbt answers with a full re-parse
    db = ws.db("warehouse")
    env = ws.env(db, input_path=path)
    dbt_vars = {"score_method": score_method}
    # as `make build`: selector main_job leaves the unit tests and the seeds' checks to `make test`
    build_command = [*dbt_command(ws, "build", dbt_vars), "--selector", "main_job"]
    build = measure(build_command, env).check(f"dbt build on {path.name}")
    slowest = node_timings(ws.target)
    kmeans_s = node_time(ws.target, "int_segments__kmeans")
    quality_s = node_time(ws.target, "segmentation_quality")
    report_path = ws.root / f"{name}.html"
    report = measure(
        [
            str(BIN / "python"),
            "-m",
            "credit_segments.report",
            "--db",
            str(db),
            "--out",
            str(report_path),
        ],
        env,
    ).check("report")
    with duckdb.connect(str(db), read_only=True) as con:
        segmented, rejected, segments, distinct_scores = con.execute(
            """
            select
                (select count(*) from customer_segments),
                (select count(*) from rejected_customers),
                (select count(*) from segment_summary),
                (select count(distinct credit_score) from customer_segments)
            """
        ).fetchone()
        centroids = [
            row[0]
            for row in con.execute(
                "select centroid_score from segment_summary order by segment_rank"
            ).fetchall()
        ]
    db.unlink(missing_ok=True)  # a 1e8 warehouse is large; keep the disk for the next run
    return {
        "rows": rows,
        "format": path.suffix[1:],
        "score_method": score_method,
        "build_s": build.wall_s,
        "report_s": report.wall_s,
        "wall_s": build.wall_s + report.wall_s,
        "peak_rss_mb": max(build.peak_rss_mb, report.peak_rss_mb),
        "kmeans_model_s": kmeans_s,
        "quality_model_s": quality_s,
        "report_html_mb": report_path.stat().st_size / 1e6,
        "segmented_rows": segmented,
        "rejected_rows": rejected,
        "segments": segments,
        "distinct_scores": distinct_scores,
        "centroids": centroids,
        "slowest_nodes": slowest,
    }


def limit_query(ws: Workspace, path: Path, rows: int, centroids: list[float]) -> dict:
    db = ws.db(f"limit_{rows}_{path.suffix[1:]}")
    run = measure(
        [
            str(BIN / "python"),
            str(BENCH_DIR / "limit_query.py"),
            str(path),
            "--db",
            str(db),
            "--centroids",
            *map(str, centroids),
        ]
    ).check("limit query")
    db.unlink(missing_ok=True)
    result = json.loads(run.stdout)
    timings = result["timings_s"]
    return {
        "rows": rows,
        "format": path.suffix[1:],
        "wall_s": timings["persisted"],
        "aggregate_only_s": timings["aggregate_only"],
        "process_wall_s": run.wall_s,
        "peak_rss_mb": run.peak_rss_mb,
        "segment_sizes": result["segment_sizes"],
    }


def notebook_baseline(ws: Workspace, path: Path, rows: int, n_init: int | None = None) -> dict:
    """The notebook on `path`; n_init None is its own call, KMeans(n_clusters=5)."""
    out_dir = ws.root / "notebook"
    shutil.rmtree(out_dir, ignore_errors=True)
    command = [str(BIN / "python"), str(BENCH_DIR / "notebook_baseline.py"), str(path)]
    command += ["--out-dir", str(out_dir)]
    command += [] if n_init is None else ["--n-init", str(n_init)]
    run = measure(command).check("notebook baseline")
    shutil.rmtree(out_dir, ignore_errors=True)  # at 10M rows its CSV and HTML are GBs
    result = json.loads(run.stdout)
    return {
        "rows": rows,
        "format": path.suffix[1:],
        "variant": "notebook" if n_init is None else f"n_init={n_init}",
        "wall_s": run.wall_s,
        "peak_rss_mb": run.peak_rss_mb,
        "steps_s": result["timings_s"],
        "output_mb": result["output_mb"],
        "centroids": result["centroids_best_first"],
        "segment_sizes": result["segment_sizes"],
    }


def demo_make_run(ws: Workspace, path: Path) -> dict:
    """`make run` on the demo file as a user re-runs it: the second run, warm .venv and parse.

    Its warehouse, report and dbt target are the workspace's, so the user's own stay untouched.
    """
    env = {
        **ws.env(ws.db("demo")),
        "INPUT": str(path),
        "REPORT": str(ws.root / "demo.html"),
        "DBT_TARGET_PATH": str(ws.root / "demo-target"),
        "DBT_LOG_PATH": str(ws.root / "logs"),
    }
    env.pop("CREDIT_SEGMENTS_INPUT", None)  # make sets it from INPUT
    command = ["make", "--no-print-directory", "run"]
    first = measure(command, env).check("make run (first)")
    second = measure(command, env).check("make run (re-run)")
    return {
        "rows": sum(1 for _ in path.open(encoding="utf-8")) - 1,
        "input": str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path),
        "first_run_s": first.wall_s,
        "wall_s": second.wall_s,
        "peak_rss_mb": second.peak_rss_mb,
        "slowest_nodes": node_timings(ws.root / "demo-target"),
        "quality_model_s": node_time(ws.root / "demo-target", "segmentation_quality"),
    }


def make_test_seconds(log: Path | None) -> float | None:
    """`make test`'s wall time from a timed log: bash's `time` line (real 9m41.2s), else pytest's
    closing summary (... in 581.23s)."""
    if log is None:
        return None
    text = log.read_text(errors="replace")
    real = re.findall(r"^real\s+(?:(\d+)m)?([\d.]+)s", text, flags=re.MULTILINE)
    if real:
        minutes, seconds = real[-1]
        return 60 * int(minutes or 0) + float(seconds)
    pytest_summary = re.findall(r"=+ .* in ([\d.]+)s", text)
    return float(pytest_summary[-1]) if pytest_summary else None


def fixed_cost(ws: Workspace, small_input: Path) -> dict:
    """dbt start-up and parse: full, after a new input file, and unchanged."""
    dbt_vars = {"score_method": "fico"}
    db = ws.db("warehouse")
    env = ws.env(db, input_path=small_input)
    parse = dbt_command(ws, "parse", dbt_vars)
    full = measure([*parse, "--no-partial-parse"], env).check("dbt parse")
    renamed = ws.env(db, input_path=small_input.with_name("renamed" + small_input.suffix))
    new_input = measure(parse, renamed).check("dbt parse")
    measure(parse, env).check("dbt parse")
    partial = measure(parse, env).check("dbt parse")
    version = measure([str(BIN / "dbt"), "--version"], env).check("dbt --version")
    return {
        "dbt_version_s": version.wall_s,
        "dbt_parse_full_s": full.wall_s,
        "dbt_parse_new_input_s": new_input.wall_s,
        "dbt_parse_partial_s": partial.wall_s,
    }


def machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text().split()
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(int(meminfo[meminfo.index("MemTotal:") + 1]) / 1024**2, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "load_average_at_start": os.getloadavg(),
    }


@dataclass
class Plan:
    """What one benchmark run measures."""

    sizes: list[int]
    formats: list[str]
    data_dir: Path
    baseline_max_rows: int = 10_000_000
    seed_method_rows: int | None = None
    demo_input: Path | None = DEMO_INPUT
    fixed_cost: bool = True
    make_test_log: Path | None = None


def run_benchmark(plan: Plan, work_dir: Path) -> dict:
    ws = Workspace(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "sizes": plan.sizes,
        "formats": plan.formats,
        "generator_seed": SEED,
        "main": [],
        "limit": [],
        "baseline": [],
        "seed_method": [],
        "make_test_s": make_test_seconds(plan.make_test_log),
    }
    if plan.make_test_log:
        results["make_test_log"] = str(plan.make_test_log)
    smallest, largest = min(plan.sizes), max(plan.sizes)
    if plan.fixed_cost:
        print("fixed cost", file=sys.stderr)
        results["fixed"] = fixed_cost(ws, input_file(plan.data_dir, smallest, plan.formats[0]))
    if plan.demo_input:
        print("demo: make run, then the notebook on the same file", file=sys.stderr)
        results["demo"] = demo_make_run(ws, plan.demo_input)
        results["demo_baseline"] = notebook_baseline(ws, plan.demo_input, results["demo"]["rows"])
    for rows in plan.sizes:
        for fmt in plan.formats:
            if fmt == "csv" and rows > 10_000_000:
                continue  # 1e8 rows of CSV is ~8.5 GB; the large run is Parquet only
            path = input_file(plan.data_dir, rows, fmt)
            print(f"{rows:>11,} {fmt}: main job", file=sys.stderr)
            main = main_job(ws, path, rows)
            results["main"].append(main)
            print(f"{rows:>11,} {fmt}: limit query", file=sys.stderr)
            results["limit"].append(limit_query(ws, path, rows, main["centroids"]))
            if rows <= plan.baseline_max_rows:
                print(f"{rows:>11,} {fmt}: notebook baseline", file=sys.stderr)
                results["baseline"].append(notebook_baseline(ws, path, rows))
                if rows == min(largest, plan.baseline_max_rows):
                    print(f"{rows:>11,} {fmt}: notebook baseline, n_init=10", file=sys.stderr)
                    results["baseline"].append(notebook_baseline(ws, path, rows, n_init=10))
    if plan.seed_method_rows:
        path = input_file(plan.data_dir, plan.seed_method_rows, "parquet")
        print(f"{plan.seed_method_rows:>11,} parquet: main job, score_method seed", file=sys.stderr)
        results["seed_method"].append(main_job(ws, path, plan.seed_method_rows, "seed"))
    results["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    results["machine"]["load_average_at_end"] = os.getloadavg()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--large", action="store_true", help=f"also run {LARGE_SIZE:,} rows")
    parser.add_argument(
        "--formats", nargs="+", choices=["csv", "parquet"], default=["csv", "parquet"]
    )
    parser.add_argument("--data-dir", type=Path, default=BENCH_DIR / "data")
    parser.add_argument(
        "--out-dir", type=Path, default=BENCH_DIR, help="where RESULTS.md and results.json go"
    )
    parser.add_argument(
        "--baseline-max-rows",
        type=int,
        default=10_000_000,
        help="skip the pandas baseline above this size (default 1e7)",
    )
    parser.add_argument(
        "--seed-method-rows",
        type=int,
        default=None,
        help="also run the main job with score_method seed at this size (Parquet)",
    )
    parser.add_argument(
        "--demo-input",
        type=Path,
        default=DEMO_INPUT,
        help="the file of the demo comparison, `make run` against the notebook (default: make's)",
    )
    parser.add_argument("--no-demo", action="store_true", help="skip the demo comparison")
    parser.add_argument("--no-fixed-cost", action="store_true", help="skip the dbt parse timings")
    parser.add_argument(
        "--make-test-log",
        type=Path,
        default=os.environ.get("BENCH_MAKE_TEST_LOG") or None,
        help="a timed log of `make test` (default: $BENCH_MAKE_TEST_LOG)",
    )
    args = parser.parse_args(argv)
    plan = Plan(
        sizes=sorted(set(args.sizes + ([LARGE_SIZE] if args.large else []))),
        formats=args.formats,
        data_dir=args.data_dir,
        baseline_max_rows=args.baseline_max_rows,
        seed_method_rows=args.seed_method_rows,
        demo_input=None if args.no_demo else args.demo_input.resolve(),
        fixed_cost=not args.no_fixed_cost,
        make_test_log=args.make_test_log,
    )
    work_dir = args.data_dir / "work"
    try:
        results = run_benchmark(plan, work_dir)
    finally:
        shutil.rmtree(work_dir / "logs", ignore_errors=True)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    write_results(results, args.out_dir / "RESULTS.md")
    print(f"wrote {args.out_dir / 'RESULTS.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
