"""Smoke test of the benchmark (bench/run.py) at 10,000 rows: it runs and its results add up.

Timings are not asserted: speed is measured by `make bench`, not by tests.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

from conftest import PROJECT_DIR

pytestmark = pytest.mark.dbt


def test_benchmark_runs_every_contender_on_the_same_rows(tmp_path):
    out_dir = tmp_path / "out"
    command = [
        sys.executable,
        str(PROJECT_DIR / "bench" / "run.py"),
        "--sizes",
        "10000",
        "--formats",
        "parquet",
        "--data-dir",
        str(tmp_path / "data"),
        "--out-dir",
        str(out_dir),
    ]
    run = subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr

    results = json.loads((out_dir / "results.json").read_text())
    [main] = results["main"]
    [limit] = results["limit"]
    [baseline] = results["baseline"]
    assert (main["rows"], main["segmented_rows"], main["rejected_rows"]) == (10_000, 10_000, 0)
    assert main["segments"] == 5
    assert main["centroids"] == sorted(main["centroids"], reverse=True)
    assert 0 < main["report_html_mb"] < 5
    assert main["wall_s"] > 0 and main["peak_rss_mb"] > 0
    assert sum(limit["segment_sizes"].values()) == 10_000
    assert sum(baseline["segment_sizes"].values()) == 10_000
    assert len(baseline["centroids"]) == 5
    fixed = results["fixed"]
    assert fixed["dbt_parse_full_s"] > 0 and fixed["dbt_parse_new_input_s"] > 0
    assert fixed["dbt_parse_partial_s"] > 0

    report = (out_dir / "RESULTS.md").read_text()
    for section in (
        "## Main job",
        "## Notebook baseline",
        "## Marginal cost",
        "## Can a dbt job be",
        "## Fixed cost",
    ):
        assert section in report


def _bench_report():
    spec = importlib.util.spec_from_file_location(
        "bench_report", PROJECT_DIR / "bench" / "bench_report.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_speedup_floor_adds_dbt_start_up_to_the_limit_and_compares_it_with_the_budget():
    bench_report = _bench_report()
    results = {
        "fixed": {"dbt_version_s": 3.0},
        "baseline": [
            {"rows": 10_000_000, "format": "csv", "wall_s": 60.0},
            {"rows": 10_000_000, "format": "parquet", "wall_s": 60.0},
        ],
        "limit": [
            {"rows": 10_000_000, "format": "csv", "wall_s": 10.0},
            {"rows": 10_000_000, "format": "parquet", "wall_s": 5.0},
        ],
    }
    floors = {floor["format"]: floor for floor in bench_report.speedup_floor(results)}
    # budget 60 / 5 = 12 s: 10 + 3 is over it, 5 + 3 under it
    assert (floors["csv"]["budget_s"], floors["csv"]["floor_s"]) == (12.0, 13.0)
    assert not floors["csv"]["reachable"]
    assert floors["parquet"]["floor_s"] == 8.0
    assert floors["parquet"]["reachable"]
