"""Reason codes, quality rows and the alternatives, end to end on a generated file.

Expected values are recomputed here in Python from the customers' own columns, independently of the
SQL and of credit_segments.quality.
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from support.dbt import MAIN_JOB, PROJECT_DIR, DbtRun, run_dbt

pytestmark = pytest.mark.dbt

# the scorecard as dbt_project.yml defines it
FACTORS = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]["score_factors"]
MAX_POINTS = {f["name"]: round(550 * f["weight"], 2) for f in FACTORS}
CODES = {f["name"]: f["reason_code"] for f in FACTORS}


def test_reason_codes_are_the_costliest_factors_in_code_order_on_ties(built_warehouse: DbtRun):
    factors = list(MAX_POINTS)
    customers = built_warehouse.query(
        f"select customer_id, credit_score, {', '.join(f + '_points' for f in factors)} "
        "from customer_segments order by customer_id"
    )
    reasons = {
        row[0]: row[1:]
        for row in built_warehouse.query(
            "select customer_id, points_below_perfect, reason_1_code, reason_2_code, "
            "reason_3_code, reason_4_code from customer_score_reasons"
        )
    }
    assert len(reasons) == len(customers) == 2000
    for customer_id, score, *points in customers:
        lost = {f: MAX_POINTS[f] - float(p) for f, p in zip(factors, points, strict=True)}
        expected = sorted(
            (f for f in factors if lost[f] > 0), key=lambda f: (-round(lost[f], 4), CODES[f])
        )
        below, *codes = reasons[customer_id]
        assert float(below) == pytest.approx(850 - float(score), abs=1e-9)
        assert sum(lost.values()) == pytest.approx(850 - float(score), abs=1e-9)
        assert [c for c in codes if c] == [CODES[f] for f in expected[:4]]


def test_fico_band_cross_tab_matches_the_conventional_edges(built_warehouse: DbtRun):
    scores = [
        float(s) for (s,) in built_warehouse.query("select credit_score from customer_segments")
    ]
    edges = [("Exceptional", 800), ("Very Good", 740), ("Good", 670), ("Fair", 580), ("Poor", 300)]
    expected = {label: 0 for label, _ in edges}
    for score in scores:
        expected[next(label for label, low in edges if score >= low)] += 1
    observed = dict(
        built_warehouse.query(
            "select group_label, sum(customer_count)::int from segment_comparison "
            "where comparison_scheme = 'fico_band' group by 1"
        )
    )
    assert observed == expected
    quintiles = built_warehouse.query(
        "select group_label, sum(customer_count)::int from segment_comparison "
        "where comparison_scheme = 'score_quintile' group by 1 order by 1"
    )
    assert [label for label, _ in quintiles] == ["Q1", "Q2", "Q3", "Q4", "Q5"]
    assert sum(count for _, count in quintiles) == 2000


def test_quality_rows_describe_the_segments_in_use(built_warehouse: DbtRun):
    rows = built_warehouse.query(
        "select k, is_in_use, within_cluster_sum_of_squares, "
        "plain_kmeans_within_cluster_sum_of_squares, silhouette_sample_size, "
        "stability_bootstrap_count from segmentation_quality "
        "where segmentation_features = 'score' order by k"
    )
    assert [row[0] for row in rows] == list(range(2, 11))
    assert [row[0] for row in rows if row[1]] == [5]
    assert all(exact <= plain * (1 + 1e-12) for _, _, exact, plain, _, _ in rows)
    assert {(row[4], row[5]) for row in rows} == {(2000, 20)}
    # the segments' own within-cluster SS, recomputed from the customers
    [(within,)] = built_warehouse.query(
        """
        select sum(power(credit_score - centroid, 2))
        from (select credit_score, avg(credit_score) over (partition by segment_rank) as centroid
              from customer_segments)
        """
    )
    assert rows[3][2] == pytest.approx(float(within), rel=1e-9)


@pytest.fixture(scope="module")
def factors_seed_build(tmp_path_factory: pytest.TempPathFactory, generated_csv) -> DbtRun:
    """One build with both non-default options: factor segments and the notebook's score."""
    run = run_dbt(
        tmp_path_factory.mktemp("factors"),
        generated_csv,
        "build",
        *MAIN_JOB,
        extra_vars={"segmentation_features": "factors", "score_method": "seed"},
    )
    assert run.result.returncode == 0, run.output
    return run


def test_factor_option_segments_on_the_factor_vectors(factors_seed_build: DbtRun):
    rows = factors_seed_build.query(
        "select unnest(scored.factor_values), segments.segment_rank, segments.credit_score "
        "from customer_segments as segments "
        "inner join int_customers__scored as scored using (customer_id)"
    )
    data = np.asarray([[float(v) for v in row] for row in rows])
    n = len(FACTORS)
    factors, ranks, scores = data[:, :n], data[:, n].astype(int), data[:, n + 1]
    assert sorted(set(ranks)) == [1, 2, 3, 4, 5]
    means = [scores[ranks == r].mean() for r in range(1, 6)]
    assert means == sorted(means, reverse=True)  # rank 1 = best mean score
    within = sum(
        ((factors[ranks == r] - factors[ranks == r].mean(axis=0)) ** 2).sum() for r in range(1, 6)
    )
    [(in_use_within,)] = factors_seed_build.query(
        "select within_cluster_sum_of_squares from segmentation_quality "
        "where segmentation_features = 'factors' and is_in_use"
    )
    assert in_use_within == pytest.approx(within, rel=1e-9)
    features = factors_seed_build.query(
        "select segmentation_features, count(*) from segmentation_quality group by 1 order by 1"
    )
    assert features == [("factors", 9), ("score", 9)]


def test_seed_method_has_no_reason_codes_and_no_fico_bands(factors_seed_build: DbtRun):
    assert factors_seed_build.query("select count(*) from customer_score_reasons") == [(0,)]
    assert factors_seed_build.query(
        "select distinct comparison_scheme from segment_comparison"
    ) == [("score_quintile",)]
