"""The exact K-Means step, checked against independent computations."""

from __future__ import annotations

import warnings

import duckdb
import numpy as np
import pytest
from sklearn.cluster import KMeans

from credit_segments.clustering import (
    SEGMENTS_SCHEMA,
    ScoreHistogram,
    _is_lloyd_fixed_point,
    cluster_centroids,
    fit_segments,
    nearest_centroid,
    read_histogram,
    score_histogram,
    segments_table,
)
from credit_segments.errors import InsufficientDataError
from support.oracles import brute_force_sse, histogram_of

pytestmark = pytest.mark.unit


def total_sse(segments) -> float:
    return sum(segment.within_ss for segment in segments)


def test_segments_are_ordered_by_centroid():
    segments = fit_segments(histogram_of([1, 2, 3, 50, 51, 52, 100, 101, 102]), 3)
    assert [s.rank for s in segments] == [1, 2, 3]
    assert [s.centroid for s in segments] == pytest.approx([101, 51, 2])
    assert [(s.lower_bound, s.upper_bound) for s in segments] == [(100, None), (50, 100), (1, 50)]


def test_exact_solution_matches_brute_force_where_one_lloyd_restart_does_not():
    values = [0, 1, 2, 4, 5, 40, 41, 42, 90, 91, 120, 122, 123]
    optimum = brute_force_sse(values, 4)
    segments = fit_segments(histogram_of(values), 4)
    assert total_sse(segments) == pytest.approx(optimum, rel=1e-12)

    column = np.asarray(values, dtype=float).reshape(-1, 1)
    single_restarts = [
        KMeans(n_clusters=4, n_init=1, init="random", random_state=seed).fit(column).inertia_
        for seed in range(20)
    ]
    # Lloyd's algorithm from a random start lands in a worse local optimum for some seeds
    assert max(single_restarts) > optimum * 1.01


def test_weighted_histogram_is_the_same_problem_as_the_full_column():
    rng = np.random.default_rng(3)
    values = list(np.round(rng.normal(600, 60, 14), 0)) * 3  # repeated scores
    segments = fit_segments(histogram_of(values), 3)
    assert total_sse(segments) == pytest.approx(brute_force_sse(values, 3), rel=1e-12)
    assert sum(segment.customer_count for segment in segments) == len(values)


def test_exact_centroids_are_a_fixed_point_of_lloyd():
    rng = np.random.default_rng(11)
    values = list(np.round(rng.normal(650, 80, 5000), 2))
    segments = fit_segments(histogram_of(values), 5)
    assert all(segment.is_lloyd_fixed_point for segment in segments)


def test_fixed_point_check_agrees_with_scikit_learn():
    rng = np.random.default_rng(5)
    histogram = histogram_of(list(np.round(rng.normal(650, 80, 3000), 1)))
    exact = np.array(sorted(segment.centroid for segment in fit_segments(histogram, 4)))
    nudged = exact + np.array([0.0, 3.0, -2.0, 0.0])
    for centroids in (exact, nudged):
        lloyd = KMeans(n_clusters=4, init=centroids.reshape(-1, 1), n_init=1, max_iter=1)
        lloyd.fit(histogram.scores.reshape(-1, 1), sample_weight=histogram.counts)
        moved = np.sort(lloyd.cluster_centers_.ravel())
        sklearn_stays = np.allclose(moved, centroids, rtol=0, atol=1e-9)
        assert _is_lloyd_fixed_point(histogram, centroids) == sklearn_stays
    assert _is_lloyd_fixed_point(histogram, exact)
    assert not _is_lloyd_fixed_point(histogram, nudged)


def test_empty_input_gives_no_segments():
    empty = ScoreHistogram(scores=np.array([]), counts=np.array([]))
    assert fit_segments(empty, 5) == []
    table = segments_table([])
    assert table.num_rows == 0
    assert table.schema == SEGMENTS_SCHEMA


def test_fewer_customers_than_k_is_left_to_the_quality_gate():
    # a build never gets here (test_structural_errors: the gate stops it); called directly, the
    # three customers are three distinct scores, one segment each
    with pytest.warns(UserWarning, match="3 distinct scores"):
        segments = fit_segments(histogram_of([600, 610, 620]), 5)
    assert [segment.customer_count for segment in segments] == [1, 1, 1]


def test_segment_count_below_two_names_the_fix():
    with pytest.raises(InsufficientDataError, match="segment_count must be at least 2"):
        fit_segments(histogram_of([600, 610, 620]), 1)


def test_cluster_centroids_are_weighted_means_of_points_or_vectors():
    values = np.array([1.0, 3.0, 10.0, 20.0])
    weights = np.array([1.0, 3.0, 2.0, 2.0])
    clusters = np.array([0, 0, 2, 2])
    means = cluster_centroids(values, weights, clusters, 3)
    assert means[[0, 2]] == pytest.approx([2.5, 15.0])
    assert np.isnan(means[1])  # no point in cluster 1
    vectors = np.column_stack([values, 2 * values])
    assert cluster_centroids(vectors, weights, clusters, 3)[2] == pytest.approx([15.0, 30.0])


def test_nearest_centroid_splits_at_the_midpoints():
    centroids = np.array([10.0, 20.0, 40.0])
    scores = np.array([0.0, 14.9, 15.0, 15.1, 30.0, 30.1, 99.0])
    assert nearest_centroid(scores, centroids).tolist() == [0, 0, 0, 1, 1, 2, 2]


def test_fewer_distinct_scores_than_k_gives_one_segment_per_score():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        segments = fit_segments(histogram_of([600] * 4 + [700] * 3), 5)
    assert "2 distinct scores" in str(caught[0].message)
    assert [(s.rank, s.centroid, s.customer_count) for s in segments] == [(1, 700, 3), (2, 600, 4)]
    assert {s.segment_count for s in segments} == {2}


def test_labels_come_from_the_seed_with_a_fallback_for_other_k():
    labels = {(3, 1): "Good", (3, 2): "Fair", (3, 3): "Poor"}
    values = [1, 2, 50, 51, 100, 101]
    assert [s.label for s in fit_segments(histogram_of(values), 3, labels)] == [
        "Good",
        "Fair",
        "Poor",
    ]
    assert [s.label for s in fit_segments(histogram_of(values), 2, labels)] == [
        "Segment 1 of 2",
        "Segment 2 of 2",
    ]


def test_score_histogram_aggregates_in_duckdb():
    con = duckdb.connect()
    scored = con.sql(
        "select * from (values (700.5), (600.0), (700.5), (650.25)) as t(credit_score)"
    )
    histogram = score_histogram(scored)
    assert histogram.scores.tolist() == [600.0, 650.25, 700.5]
    assert histogram.counts.tolist() == [1, 1, 2]


def test_read_histogram_takes_counts_from_sql():
    con = duckdb.connect()
    counted = con.sql(
        "select * from (values (700.5, 2), (600.0, 5), (650.25, 1)) as t(credit_score, customer_count)"
    )
    histogram = read_histogram(counted)
    assert histogram.scores.tolist() == [600.0, 650.25, 700.5]
    assert histogram.counts.tolist() == [5, 1, 2]


def test_segments_table_keeps_score_bounds_exact():
    segments = fit_segments(histogram_of([612.35, 612.36, 700.01, 700.02]), 2)
    table = segments_table(segments).to_pylist()
    assert [str(row["score_lower_bound"]) for row in table] == ["700.0100", "612.3500"]
    assert [row["score_upper_bound"] for row in table][1] is not None


def dynamic_programming_sse(values: list[float], k: int) -> float:
    """Least within-cluster SSE by the textbook O(k n^2) recursion on the expanded, sorted column.

    Written here from scratch (prefix sums, no histogram, no ckmeans), as an independent check on
    inputs too large for brute force.
    """
    x = np.sort(np.asarray(values, dtype=float))
    n = len(x)
    s1 = np.concatenate([[0.0], np.cumsum(x)])
    s2 = np.concatenate([[0.0], np.cumsum(x * x)])
    best = np.full((k + 1, n + 1), np.inf)
    best[0, 0] = 0.0
    for clusters in range(1, k + 1):
        for end in range(clusters, n + 1):
            starts = np.arange(clusters - 1, end)
            sizes = end - starts
            cost = s2[end] - s2[starts] - (s1[end] - s1[starts]) ** 2 / sizes
            best[clusters, end] = np.min(best[clusters - 1, starts] + cost)
    return float(best[k, n])


def test_lloyd_can_stall_in_a_local_optimum_that_the_exact_method_avoids():
    # three tight groups; by hand each group {a, a+1, a+2} has SSE 2, so the optimum is 6
    values = [0, 1, 2, 10, 11, 12, 20, 21, 22]
    column = np.asarray(values, dtype=float).reshape(-1, 1)
    # from 0.5, 1.5, 16 Lloyd keeps {0, 1} {2} {10..22}: 0.5 + 0 + (36+25+16+16+25+36) = 154.5
    stalled = KMeans(n_clusters=3, init=np.array([[0.5], [1.5], [16.0]]), n_init=1).fit(column)
    assert stalled.inertia_ == pytest.approx(154.5)
    assert sorted(stalled.cluster_centers_.ravel()) == pytest.approx([0.5, 2.0, 16.0])

    segments = fit_segments(histogram_of(values), 3)
    assert total_sse(segments) == pytest.approx(6.0)
    assert brute_force_sse(values, 3) == pytest.approx(6.0)
    assert [s.centroid for s in segments] == pytest.approx([21, 11, 1])


def test_default_single_restart_kmeans_misses_the_optimum_of_an_independent_dp():
    rng = np.random.default_rng(1)
    # 120 demo-like scores (normal, 2 decimals), every fifth repeated: a weighted histogram
    scores = np.round(rng.normal(650, 70, 120), 2)
    values = list(scores) + list(scores[::5])
    optimum = dynamic_programming_sse(values, 5)
    assert total_sse(fit_segments(histogram_of(values), 5)) == pytest.approx(optimum, rel=1e-9)

    column = np.asarray(values).reshape(-1, 1)
    # scikit-learn as a user runs it: k-means++ with a single initialisation, different seeds
    single_restarts = np.array(
        [KMeans(n_clusters=5, random_state=seed).fit(column).inertia_ for seed in range(20)]
    )
    assert np.all(single_restarts >= optimum * (1 - 1e-9))  # nothing beats the optimum
    assert np.sum(single_restarts > optimum * 1.001) >= 10  # most runs stop in a worse optimum
