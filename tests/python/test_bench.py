"""The benchmark (bench/run.py): a smoke run at 1,000 rows proves every contender runs on the same
rows and the results add up; the targets table and the log reading are checked on fixed figures.

Timings are not asserted: speed is measured by `make bench`, not by tests.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

from support.dbt import PROJECT_DIR


def _bench_module(name: str):
    spec = importlib.util.spec_from_file_location(
        f"_bench_{name}", PROJECT_DIR / "bench" / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    sys.path.insert(0, str(PROJECT_DIR / "bench"))  # run.py imports bench_report
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(PROJECT_DIR / "bench"))
    return module


def _untouched() -> dict:
    """The user's own warehouse, dbt parse and report, by modification time."""
    files = [
        "credit_segments.duckdb",
        "target/partial_parse.msgpack",
        "reports/credit_segments.html",
    ]
    return {
        name: (PROJECT_DIR / name).stat().st_mtime_ns
        for name in files
        if (PROJECT_DIR / name).exists()
    }


@pytest.mark.dbt
def test_benchmark_runs_every_contender_on_the_same_rows(tmp_path):
    user_files = _untouched()
    out_dir = tmp_path / "out"
    command = [
        sys.executable,
        str(PROJECT_DIR / "bench" / "run.py"),
        "--sizes",
        "1000",
        "--formats",
        "parquet",
        "--data-dir",
        str(tmp_path / "data"),
        "--out-dir",
        str(out_dir),
        "--no-fixed-cost",  # four more dbt processes; the demo's runs already start and parse dbt
    ]
    run = subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr

    results = json.loads((out_dir / "results.json").read_text())
    [main] = results["main"]
    [limit] = results["limit"]
    notebook, restarts = results["baseline"]
    assert (main["rows"], main["segmented_rows"], main["rejected_rows"]) == (1_000, 1_000, 0)
    assert main["segments"] == 5
    assert main["centroids"] == sorted(main["centroids"], reverse=True)
    assert main["wall_s"] > 0 and main["peak_rss_mb"] > 0 and main["quality_model_s"] > 0
    assert sum(limit["segment_sizes"].values()) == 1_000
    assert (notebook["variant"], restarts["variant"]) == ("notebook", "n_init=10")
    for baseline in (notebook, restarts):
        assert sum(baseline["segment_sizes"].values()) == 1_000
        assert len(baseline["centroids"]) == 5
        assert baseline["output_mb"] > 0  # it wrote its CSV and figures
    demo, demo_baseline = results["demo"], results["demo_baseline"]
    assert demo["rows"] == demo_baseline["rows"] == 1_000
    assert demo["input"] == "data/credit_scoring_sample.csv"
    assert demo["wall_s"] > 0 and demo["quality_model_s"] > 0
    assert sum(demo_baseline["segment_sizes"].values()) == 1_000
    assert "fixed" not in results
    assert _untouched() == user_files  # the demo wrote to its own warehouse, target and report

    report = (out_dir / "RESULTS.md").read_text()
    for section in (
        "## Targets (issue #13)",
        "## Demo: `make run`",
        "## Main job",
        "## Notebook pipeline",
        "## Marginal cost",
    ):
        assert section in report
    assert "| demo `make run` (re-run) against the notebook" in report


def _results(**overrides) -> dict:
    """Figures of a run at 10k and 10M rows, chosen so that each target's outcome is known."""
    results = {
        "demo": {"wall_s": 8.0},
        "demo_baseline": {"wall_s": 2.5},  # 3.2x: met
        "main": [
            {"rows": 10_000, "format": "parquet", "wall_s": 10.0, "peak_rss_mb": 400},
            {"rows": 10_000_000, "format": "parquet", "wall_s": 40.0, "peak_rss_mb": 2500},
            {"rows": 10_000_000, "format": "csv", "wall_s": 60.0, "peak_rss_mb": 2600},
        ],
        "baseline": [
            {"rows": 10_000_000, "format": "parquet", "variant": "notebook", "wall_s": 120.0},
            {"rows": 10_000_000, "format": "parquet", "variant": "n_init=10", "wall_s": 900.0},
            {"rows": 10_000_000, "format": "csv", "variant": "notebook", "wall_s": 100.0},
        ],
        "limit": [
            {"rows": 10_000_000, "format": "csv", "wall_s": 10.0},
            {"rows": 10_000_000, "format": "parquet", "wall_s": 5.0},
        ],
        "fixed": {"dbt_version_s": 3.0},
        "make_test_s": 9 * 60,
    }
    return {**results, **overrides}


@pytest.mark.unit
def test_targets_table_compares_each_target_with_its_threshold():
    by_target = {row["target"]: row for row in _bench_module("bench_report").targets(_results())}
    met = {target: row["met"] for target, row in by_target.items()}
    assert met == {
        "demo `make run` (re-run) against the notebook, same 1,000 rows": True,  # 3.2x <= 4x
        "10M Parquet main job faster than the notebook": True,  # 3x, against the n_init=1 row
        "10M Parquet main job wall time": True,  # 40 s < 45 s
        "10M Parquet main job peak memory": True,
        "10M CSV main job faster than the notebook": False,  # 1.67x < 2x
        "marginal cost t(10M) - t(10k), Parquet, against the one-query limit": False,  # 30/5 = 6x
        "`make test`, warm `.venv`": True,
        "100M Parquet completes under the 2 GB `memory_limit`": None,  # not run
    }
    assert by_target["marginal cost t(10M) - t(10k), Parquet, against the one-query limit"][
        "measured"
    ].startswith("6.0x")


@pytest.mark.unit
def test_a_target_without_its_contenders_is_not_measured_rather_than_met():
    results = _results(main=[], baseline=[], limit=[], make_test_s=None)
    results.pop("demo")
    rows = _bench_module("bench_report").targets(results)
    assert {row["met"] for row in rows} == {None}


@pytest.mark.unit
def test_speedup_floor_adds_dbt_start_up_to_the_limit_and_compares_it_with_the_budget():
    floors = {
        floor["format"]: floor for floor in _bench_module("bench_report").speedup_floor(_results())
    }
    # csv: budget 100 / 2 = 50 s, floor 10 + 3; parquet: the notebook row only, 120 / 2.5 = 48 s
    assert (floors["csv"]["budget_s"], floors["csv"]["floor_s"]) == (50.0, 13.0)
    assert (floors["parquet"]["budget_s"], floors["parquet"]["floor_s"]) == (48.0, 8.0)
    assert floors["csv"]["reachable"] and floors["parquet"]["reachable"]
    tight = _results(
        baseline=[{"rows": 10_000_000, "format": "csv", "variant": "notebook", "wall_s": 20.0}]
    )
    [floor] = _bench_module("bench_report").speedup_floor(tight)
    assert not floor["reachable"]  # budget 10 s, floor 13 s


@pytest.mark.unit
@pytest.mark.parametrize(
    ("log", "seconds"),
    [
        ("=== 312 passed in 530.10s (0:08:50) ===\n\nreal\t9m41.250s\nuser\t1m0s\n", 581.25),
        ("=== 312 passed, 2 skipped in 530.10s (0:08:50) ===\n", 530.10),
        ("no timing here\n", None),
    ],
)
def test_make_test_time_is_read_from_the_timed_log(tmp_path, log, seconds):
    path = tmp_path / "make-test.log"
    path.write_text(log)
    assert _bench_module("run").make_test_seconds(path) == seconds
