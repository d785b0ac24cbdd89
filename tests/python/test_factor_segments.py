"""Segments on the score's 0-1 factors (var segmentation_features: factors)."""

from __future__ import annotations

import duckdb
import numpy as np
import pytest

from credit_segments.factor_segments import (
    ASSIGNMENTS_SCHEMA,
    FactorData,
    fit_factor_segments,
    rank_by_mean_score,
    read_factors,
)

pytestmark = pytest.mark.unit


def three_groups() -> FactorData:
    """Three tight factor groups of 20; group 'mid' has the best scores, 'low' the worst."""
    rng = np.random.default_rng(0)
    centres = {"low": 0.1, "mid": 0.5, "high": 0.9}
    score_of = {"low": 400.0, "mid": 800.0, "high": 600.0}
    ids, factors, scores = [], [], []
    for name, centre in centres.items():
        for i in range(20):
            ids.append(f"{name}-{i:02d}")
            factors.append(np.clip(centre + rng.normal(0, 0.01, 5), 0, 1))
            scores.append(score_of[name] + i)
    return FactorData(np.asarray(ids, dtype=object), np.asarray(factors), np.asarray(scores))


def test_clusters_are_ranked_by_their_mean_score():
    # cluster 0 mean 500, cluster 1 mean 700, cluster 2 mean 600 -> ranks 3, 1, 2
    labels = np.array([0, 0, 1, 1, 2, 2])
    scores = np.array([450.0, 550.0, 650.0, 750.0, 600.0, 600.0])
    assert rank_by_mean_score(labels, scores, 3).tolist() == [3, 1, 2]


def test_factor_groups_become_segments_ranked_by_score():
    table = fit_factor_segments(three_groups(), k=3, n_init=4, seed=1, labels={(3, 1): "Good"})
    rows = table.to_pylist()
    rank_of = {row["customer_id"]: row["segment_rank"] for row in rows}
    assert {rank_of[f"mid-{i:02d}"] for i in range(20)} == {1}
    assert {rank_of[f"high-{i:02d}"] for i in range(20)} == {2}
    assert {rank_of[f"low-{i:02d}"] for i in range(20)} == {3}
    assert {row["segment_label"] for row in rows if row["segment_rank"] == 1} == {"Good"}
    assert {row["segment_label"] for row in rows if row["segment_rank"] == 3} == {"Segment 3 of 3"}
    assert table.schema == ASSIGNMENTS_SCHEMA


def test_same_input_gives_the_same_segments():
    first = fit_factor_segments(three_groups(), k=4, n_init=2, seed=7)
    second = fit_factor_segments(three_groups(), k=4, n_init=2, seed=7)
    assert first.equals(second)


def test_empty_and_too_small_inputs():
    empty = FactorData(np.array([], dtype=object), np.empty((0, 5)), np.array([]))
    assert fit_factor_segments(empty, k=5, n_init=1, seed=0).num_rows == 0
    # fewer customers than k: the quality gate stops a build first; called directly, one each
    small = FactorData(np.array(["a", "b"], dtype=object), np.eye(2, 5), np.array([500.0, 600.0]))
    with pytest.warns(UserWarning, match="2 distinct factor vectors"):
        table = fit_factor_segments(small, k=5, n_init=1, seed=0)
    assert table.column("segment_rank").to_pylist() == [2, 1]


def test_read_factors_orders_customers_by_id_and_takes_every_factor_of_the_struct():
    con = duckdb.connect()
    # as int_customers__scored gives them: a struct with one field per factor of the scorecard,
    # whatever their number and names (one named like a column of its own)
    scored = con.sql(
        """
        select * from (values
            ('b', 700.0, {'payment_history': 1.0, 'credit_score': 0.5, 'loan_term': 0.25}),
            ('a', 500.0, {'payment_history': 0.2, 'credit_score': 0.1, 'loan_term': 1}),
            ('c', 600.0, {'payment_history': 0.0, 'credit_score': 1.0, 'loan_term': 0})
        ) as t(customer_id, credit_score, factor_values)
        """
    )
    data = read_factors(scored)
    assert data.customer_ids.tolist() == ["a", "b", "c"]
    assert data.factors.tolist() == [[0.2, 0.1, 1.0], [1.0, 0.5, 0.25], [0.0, 1.0, 0.0]]
    assert data.scores.tolist() == [500.0, 700.0, 600.0]


def test_read_factors_of_no_customer_keeps_the_factor_count():
    scored = duckdb.connect().sql(
        "select 'a' as customer_id, 1.0 as credit_score, {'x': 0.5, 'y': 0.5} as factor_values "
        "limit 0"
    )
    assert read_factors(scored).factors.shape == (0, 2)
