"""A sixth score factor, added as the README says: the var score_factors, plus its points columns
in the two mart contracts. Nothing else in the project changes, and the build explains every score.

The project is copied so that the contracts can take the new columns; the factor itself comes in
through --vars only.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pytest
import yaml

from support.dbt import DBT, PROJECT_DIR, DbtRun

pytestmark = pytest.mark.dbt

FACTORS = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]["score_factors"]
# a shorter loan term scores better: 12 months or less earn every point, 60 or more none
LOAN_TERM = {
    "name": "loan_term",
    "column": "loan_term_months",
    "domain": [12, 60],
    "best": "low",
    "weight": 0.05,
    "reason_code": "R06",
    "reason_text": "Long loan term",
}
SIX = [
    *({**f, "weight": 0.30} if f["name"] == "payment_history" else f for f in FACTORS),
    LOAN_TERM,
]
# the factor segmentation too, which must cluster on all six factors
VARS = {"score_factors": SIX, "segmentation_features": "factors"}


def add_contract_column(path: Path, model: str, column: dict) -> None:
    """The one edit besides the var: the factor's column in a mart's contract."""
    spec = yaml.safe_load(path.read_text())
    (node,) = [m for m in spec["models"] if m["name"] == model]
    node["columns"].append(column)
    path.write_text(yaml.safe_dump(spec, sort_keys=False))


@pytest.fixture(scope="module")
def six_factor_build(tmp_path_factory: pytest.TempPathFactory, generated_csv: Path) -> DbtRun:
    workdir = tmp_path_factory.mktemp("six_factors")
    project = workdir / "project"
    shutil.copytree(
        PROJECT_DIR,
        project,
        ignore=shutil.ignore_patterns(".*", "target", "logs", "*.duckdb*", "reports", "bench"),
    )
    points = {"data_type": "decimal(12, 4)", "description": "Points the loan term earns."}
    add_contract_column(
        project / "models/marts/customer_segments.yml",
        "customer_segments",
        {"name": "loan_term_points", **points, "constraints": [{"type": "not_null"}]},
    )
    add_contract_column(
        project / "models/marts/customer_score_reasons.yml",
        "customer_score_reasons",
        {"name": "loan_term_points_lost", **points},
    )
    result = subprocess.run(
        [str(DBT), "build", "--vars", json.dumps(VARS)],
        cwd=project,
        env={
            **os.environ,
            "DBT_PROFILES_DIR": str(project),
            "CREDIT_SEGMENTS_DB": str(workdir / "warehouse.duckdb"),
            "CREDIT_SEGMENTS_INPUT": str(generated_csv),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    run = DbtRun(result=result, db_path=workdir / "warehouse.duckdb")
    assert result.returncode == 0, run.output
    return run


def test_points_of_six_factors_add_up_exactly_to_every_score(six_factor_build: DbtRun):
    names = [f["name"] for f in SIX]
    rows = six_factor_build.query(
        f"select credit_score, loan_term_months, {', '.join(n + '_points' for n in names)} "
        "from customer_segments"
    )
    assert len(rows) == 2000
    for score, term, *points in rows:
        assert score == 300 + sum(points, Decimal(0))
        # the new factor's points, by hand: round(550 x 0.05 x (60 - clipped term) / 48, 2),
        # halves away from zero as SQL rounds
        factor = Decimal(60 - min(max(term, 12), 60)) / 48
        assert points[-1] == (Decimal("27.5") * factor).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert {float(p[-1]) for _, _, *p in rows} > {0.0, 27.5}  # the file's terms span the domain


def test_reasons_cover_the_sixth_factor(six_factor_build: DbtRun):
    names = [f["name"] for f in SIX]
    codes = {f["name"]: f["reason_code"] for f in SIX}
    rows = six_factor_build.query(
        f"select credit_score, {', '.join(n + '_points_lost' for n in names)}, "
        "reason_1_code, reason_2_code, reason_3_code, reason_4_code from customer_score_reasons"
    )
    assert len(rows) == 2000
    for score, *rest in rows:
        lost, given = dict(zip(names, rest[: len(names)], strict=True)), rest[len(names) :]
        assert sum(lost.values(), Decimal(0)) == 850 - score
        expected = sorted((n for n in names if lost[n] > 0), key=lambda n: (-lost[n], codes[n]))
        assert [code for code in given if code] == [codes[n] for n in expected[:4]]
    assert any("R06" in row for row in rows)


def test_factor_segments_cluster_on_all_six_factors(six_factor_build: DbtRun):
    rows = six_factor_build.query(
        "select unnest(scored.factor_values), segments.segment_rank "
        "from customer_segments as segments "
        "inner join int_customers__scored as scored using (customer_id)"
    )
    data = np.asarray(rows, dtype=float)
    assert data.shape == (2000, 7)
    factors, ranks = data[:, :6], data[:, 6]
    within = sum(
        ((factors[ranks == r] - factors[ranks == r].mean(axis=0)) ** 2).sum() for r in set(ranks)
    )
    [(in_use,)] = six_factor_build.query(
        "select within_cluster_sum_of_squares from segmentation_quality "
        "where segmentation_features = 'factors' and is_in_use"
    )
    assert in_use == pytest.approx(within, rel=1e-9)
