"""Segmentation quality metrics, checked against scikit-learn on expanded data and by hand."""

from __future__ import annotations

import dataclasses

import duckdb
import numpy as np
import pyarrow as pa
import pytest
import yaml
from sklearn.cluster import KMeans
from sklearn.metrics import (
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
    silhouette_score,
)
from threadpoolctl import threadpool_info

from credit_segments.clustering import ScoreHistogram
from credit_segments.quality import (
    QUALITY_SCHEMA,
    QualityRow,
    QualitySettings,
    adjusted_rand_index,
    build_quality,
    calinski_harabasz,
    davies_bouldin,
    factor_quality_rows,
    quality_table,
    sample_histogram,
    score_quality_rows,
    weighted_silhouette_1d,
    within_cluster_sum_of_squares,
)
from support.dbt import PROJECT_DIR
from support.oracles import brute_force_sse, histogram_of

pytestmark = pytest.mark.unit

# a histogram (distinct values with counts) and the same data as a plain column
VALUES = [3.0] * 4 + [4.0] * 2 + [9.0] * 3 + [10.0] + [15.0] * 5 + [18.0] * 2
DISTINCT = np.array([3.0, 4.0, 9.0, 10.0, 15.0, 18.0])
COUNTS = np.array([4.0, 2.0, 3.0, 1.0, 5.0, 2.0])
DISTINCT_LABELS = np.array([0, 0, 1, 1, 2, 2])
EXPANDED_LABELS = np.repeat(DISTINCT_LABELS, COUNTS.astype(int))


def test_weighted_metrics_equal_scikit_learn_on_the_expanded_column():
    column = np.asarray(VALUES).reshape(-1, 1)
    assert davies_bouldin(DISTINCT, COUNTS, DISTINCT_LABELS) == pytest.approx(
        davies_bouldin_score(column, EXPANDED_LABELS), rel=1e-12
    )
    assert calinski_harabasz(DISTINCT, COUNTS, DISTINCT_LABELS) == pytest.approx(
        calinski_harabasz_score(column, EXPANDED_LABELS), rel=1e-12
    )


def test_within_cluster_sum_of_squares_by_hand():
    # cluster means 10/3, 37/4, 111/7; squared deviations summed per cluster
    expected = (
        (4 * (1 / 3) ** 2 + 2 * (2 / 3) ** 2)
        + (3 * 0.25**2 + 0.75**2)
        + (5 * (15 - 111 / 7) ** 2 + 2 * (18 - 111 / 7) ** 2)
    )
    assert within_cluster_sum_of_squares(DISTINCT, COUNTS, DISTINCT_LABELS) == pytest.approx(
        expected
    )


def test_weighted_adjusted_rand_index_equals_scikit_learn_on_expanded_labels():
    rng = np.random.default_rng(5)
    a = rng.integers(0, 4, 40)
    b = np.where(rng.random(40) < 0.7, a, rng.integers(0, 4, 40))
    weights = rng.integers(1, 6, 40)
    expected = adjusted_rand_score(np.repeat(a, weights), np.repeat(b, weights))
    assert adjusted_rand_index(a, b, weights) == pytest.approx(expected, rel=1e-12)


def test_adjusted_rand_index_of_relabelled_partition_is_one_and_of_trivial_is_one():
    assert adjusted_rand_index(
        np.array([0, 0, 1, 1, 2]), np.array([2, 2, 0, 0, 1])
    ) == pytest.approx(1.0)
    assert adjusted_rand_index(np.zeros(4, int), np.zeros(4, int)) == 1.0


def test_sample_histogram_draws_customers_without_replacement_reproducibly():
    histogram = ScoreHistogram(scores=DISTINCT, counts=COUNTS)
    first = sample_histogram(histogram, 10, np.random.default_rng(1))
    second = sample_histogram(histogram, 10, np.random.default_rng(1))
    assert first.counts.sum() == 10
    assert np.array_equal(first.scores, second.scores) and np.array_equal(
        first.counts, second.counts
    )
    lookup = dict(zip(DISTINCT, COUNTS, strict=True))
    assert all(
        count <= lookup[score] for score, count in zip(first.scores, first.counts, strict=True)
    )
    # a sample as large as the file is the whole file
    assert sample_histogram(histogram, 100, np.random.default_rng(1)) is histogram


def test_score_rows_hold_the_brute_force_optimum_and_beat_plain_kmeans():
    values = [0, 1, 2, 4, 5, 40, 41, 42, 90, 91, 120, 122, 123]
    settings = QualitySettings(k_min=2, k_max=4, k_in_use=3, bootstrap_count=5)
    rows = score_quality_rows(histogram_of(values), settings)
    assert [row.k for row in rows] == [2, 3, 4]
    for row in rows:
        assert row.within_cluster_sum_of_squares == pytest.approx(
            brute_force_sse(values, row.k), rel=1e-12
        )
        assert (
            row.plain_kmeans_within_cluster_sum_of_squares
            >= row.within_cluster_sum_of_squares * (1 - 1e-12)
        )
        assert row.is_exact_optimum
    assert [row.is_in_use for row in rows] == [False, True, False]


def test_silhouette_uses_everyone_when_the_file_is_smaller_than_the_sample():
    values = [0, 1, 2, 4, 5, 40, 41, 42, 90, 91, 120, 122, 123]
    [row] = score_quality_rows(
        histogram_of(values), QualitySettings(k_min=2, k_max=2, bootstrap_count=2)
    )
    # optimal 2-split by brute force: {0..42} | {90..123}
    labels = [0] * 8 + [1] * 5
    expected = silhouette_score(np.asarray(values, dtype=float).reshape(-1, 1), labels)
    assert row.silhouette_sample_size == 13
    assert row.silhouette_score == pytest.approx(expected, rel=1e-12)


def test_silhouette_sample_has_the_documented_size():
    rng = np.random.default_rng(8)
    values = list(np.round(rng.normal(600, 50, 3000), 1))
    settings = QualitySettings(k_min=3, k_max=3, silhouette_sample_size=500, bootstrap_count=2)
    [row] = score_quality_rows(histogram_of(values), settings)
    assert row.silhouette_sample_size == 500
    assert -1 <= row.silhouette_score <= 1


def test_well_separated_groups_are_perfectly_stable():
    rng = np.random.default_rng(2)
    values = list(np.concatenate([rng.normal(c, 1, 200) for c in (400, 600, 800)]).round(2))
    settings = QualitySettings(k_min=3, k_max=3, bootstrap_count=10)
    [row] = score_quality_rows(histogram_of(values), settings)
    assert row.stability_bootstrap_count == 10
    assert row.stability_ari_mean == 1.0 and row.stability_ari_min == 1.0


def test_no_rows_for_more_segments_than_distinct_scores_or_an_empty_file():
    rows = score_quality_rows(
        histogram_of([600] * 5 + [700] * 5 + [800] * 5), QualitySettings(bootstrap_count=2)
    )
    assert [row.k for row in rows] == [2, 3]
    empty = ScoreHistogram(scores=np.array([]), counts=np.array([]))
    assert score_quality_rows(empty, QualitySettings()) == []
    table = quality_table([])
    assert table.num_rows == 0 and table.schema == QUALITY_SCHEMA


def test_factor_rows_find_well_separated_factor_groups():
    rng = np.random.default_rng(4)
    centres = np.array([[0.1] * 5, [0.5] * 5, [0.9] * 5])
    factors = np.clip(np.repeat(centres, 100, axis=0) + rng.normal(0, 0.02, (300, 5)), 0, 1)
    settings = QualitySettings(
        k_min=2, k_max=4, k_in_use=3, features_in_use="factors", bootstrap_count=3, factor_n_init=3
    )
    rows = factor_quality_rows(factors, settings)
    by_k = {row.k: row for row in rows}
    assert by_k[3].is_in_use and not by_k[3].is_exact_optimum
    # the true grouping: SS around the three generated centres' sample means
    truth = np.repeat([0, 1, 2], 100)
    assert by_k[3].within_cluster_sum_of_squares == pytest.approx(
        within_cluster_sum_of_squares(factors, np.ones(300), truth)
    )
    assert by_k[3].stability_ari_mean == pytest.approx(1.0)
    assert by_k[3].silhouette_score > 0.9


def test_build_quality_reads_duckdb_and_adds_factor_rows_only_in_factors_mode():
    con = duckdb.connect()
    scored = con.sql(
        """
        select
            'c' || i as customer_id,
            500 + 10 * (i % 7) + 100 * (i % 3) as credit_score,
            {
                'payment_history': (i % 3) / 2,
                'credit_utilization': (i % 7) / 6,
                'credit_accounts': 0.5,
                'education': 1.0,
                'employment': (i % 2)::double
            } as factor_values
        from range(60) as t(i)
        """
    )
    histogram = scored.aggregate("credit_score, count(*) as customer_count", "credit_score")
    score_only = build_quality(histogram, scored, QualitySettings(k_max=3, bootstrap_count=2))
    assert score_only.column("segmentation_features").to_pylist() == ["score", "score"]
    both = build_quality(
        histogram,
        scored,
        QualitySettings(k_max=3, bootstrap_count=2, features_in_use="factors", factor_n_init=2),
    )
    assert sorted(set(both.column("segmentation_features").to_pylist())) == ["factors", "score"]
    assert both.schema == QUALITY_SCHEMA


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_histogram_silhouette_equals_scikit_learn_on_the_expanded_column(seed):
    rng = np.random.default_rng(seed)
    scores = np.unique(np.round(rng.normal(600, 40, 60), 0))
    counts = rng.integers(1, 5, len(scores)).astype(float)
    labels = np.digitize(scores, np.quantile(scores, [0.3, 0.6, 0.9]))  # 4 contiguous segments
    labels[-1] = 3  # a segment of one score (possibly of one customer), which sklearn scores 0
    expanded = np.repeat(scores, counts.astype(int)).reshape(-1, 1)
    expected = silhouette_score(expanded, np.repeat(labels, counts.astype(int)))
    assert weighted_silhouette_1d(scores, counts, labels) == pytest.approx(expected, rel=1e-10)


def test_histogram_silhouette_with_a_singleton_segment_by_hand():
    # points 0, 1 | 10: a(0) = 1, b(0) = 10 -> 0.9; a(1) = 1, b(1) = 9 -> 8/9; singleton -> 0
    value = weighted_silhouette_1d(np.array([0.0, 1.0, 10.0]), np.ones(3), np.array([0, 0, 1]))
    assert value == pytest.approx((0.9 + 8 / 9 + 0) / 3)


def test_the_table_has_one_column_per_row_field_as_the_model_documents_it():
    row = QualityRow(
        segmentation_features="score",
        k=3,
        is_in_use=True,
        is_exact_optimum=True,
        customer_count=10,
        within_cluster_sum_of_squares=200.0,
        plain_kmeans_within_cluster_sum_of_squares=250.0,
        silhouette_score=None,
        silhouette_sample_size=10,
        davies_bouldin_score=0.5,
        calinski_harabasz_score=None,
        stability_ari_mean=1.0,
        stability_ari_min=1.0,
        stability_bootstrap_count=20,
    )
    [as_read] = quality_table([row]).to_pylist()
    assert as_read == {**dataclasses.asdict(row), "plain_kmeans_excess_pct": 25.0}
    assert QUALITY_SCHEMA.field("k").type == pa.int32()
    assert QUALITY_SCHEMA.field("customer_count").type == pa.int64()
    documented = yaml.safe_load(
        (PROJECT_DIR / "models" / "marts" / "segmentation_quality.yml").read_text()
    )["models"][0]["columns"]
    assert QUALITY_SCHEMA.names == [column["name"] for column in documented]


def test_kmeans_fits_run_on_one_thread(monkeypatch):
    # many threads on a small fit cost more than the fit on a shared 2-core machine
    threads_seen = []
    fit = KMeans.fit

    def recording_fit(self, *args, **kwargs):
        threads_seen.append({pool["num_threads"] for pool in threadpool_info()})
        return fit(self, *args, **kwargs)

    monkeypatch.setattr(KMeans, "fit", recording_fit)
    histogram = duckdb.sql(
        "select (range % 50)::double as credit_score, 2 as customer_count from range(100)"
    )
    settings = QualitySettings(k_max=3, bootstrap_count=2)
    build_quality(histogram, histogram, settings)
    assert threads_seen and all(seen == {1} for seen in threads_seen)
