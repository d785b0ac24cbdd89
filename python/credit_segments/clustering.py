"""Exact K-Means segments of a one-dimensional credit score.

K-Means on a single variable has an exact, globally optimal solution by dynamic programming
(Ckmeans.1d.dp; Wang & Song 2011). Clustering the distinct scores, weighted by how many customers
hold each, is the same problem as clustering the whole column, so only the score histogram ever
leaves DuckDB. Assigning customers to segments happens back in SQL, through the score bounds.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import ckmeans_1d_dp
import duckdb
import numpy as np
import pyarrow as pa

from credit_segments.errors import InsufficientDataError

SCORE_DECIMALS = 4  # credit_score is decimal(12, 4) in SQL

SEGMENTS_SCHEMA = pa.schema(
    [
        ("segment_rank", pa.int32()),
        ("segment_label", pa.string()),
        ("segment_count", pa.int32()),
        ("centroid_score", pa.float64()),
        ("score_lower_bound", pa.decimal128(12, SCORE_DECIMALS)),
        ("score_upper_bound", pa.decimal128(12, SCORE_DECIMALS)),
        ("customer_count", pa.int64()),
        ("within_cluster_sum_of_squares", pa.float64()),
        ("is_lloyd_fixed_point", pa.bool_()),
    ]
)


@dataclass(frozen=True)
class ScoreHistogram:
    """Distinct scores in ascending order, with the number of customers holding each."""

    scores: np.ndarray
    counts: np.ndarray

    @property
    def customer_count(self) -> int:
        return int(self.counts.sum())


@dataclass(frozen=True)
class Segment:
    """One fitted segment; rank 1 holds the highest scores."""

    rank: int
    label: str
    segment_count: int
    centroid: float
    lower_bound: float
    upper_bound: float | None  # exclusive; None for the top segment
    customer_count: int
    within_ss: float
    is_lloyd_fixed_point: bool


def score_histogram(
    scored: duckdb.DuckDBPyRelation, column: str = "credit_score", weight: str | None = None
) -> ScoreHistogram:
    """Aggregate the score column in DuckDB; only the distinct values reach Python.

    Each row counts once, or as many times as its `weight` column says.
    """
    count = "count(*)" if weight is None else f"sum({weight})"
    counted = scored.aggregate(f"{column}::double as score, {count} as n", column).order("score")
    arrays = counted.fetchnumpy()
    return ScoreHistogram(
        scores=np.asarray(arrays["score"], dtype=np.float64),
        counts=np.asarray(arrays["n"], dtype=np.float64),
    )


def read_histogram(histogram: duckdb.DuckDBPyRelation) -> ScoreHistogram:
    """A histogram already counted in SQL (model int_credit_scores__histogram)."""
    return score_histogram(histogram, weight="customer_count")


def cluster_centroids(
    values: np.ndarray, weights: np.ndarray, clusters: np.ndarray, k: int
) -> np.ndarray:
    """Weighted mean of each cluster's values, cluster 0 first; NaN for an empty cluster.

    `values` is one value per point (1-D, the score) or one row per point (n x d, the factors).
    """
    points = values.reshape(len(values), -1)
    sizes = np.bincount(clusters, weights=weights, minlength=k)
    sums = np.stack(
        [
            np.bincount(clusters, weights=weights * points[:, j], minlength=k)
            for j in range(points.shape[1])
        ],
        axis=1,
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        means = sums / sizes[:, None]
    return means[:, 0] if values.ndim == 1 else means


def nearest_centroid(scores: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """Cluster of each score under ascending 1-D centroids: in one dimension the nearest centroid
    is found by the midpoints between neighbours."""
    return np.searchsorted((centroids[:-1] + centroids[1:]) / 2, scores, side="left")


def _is_lloyd_fixed_point(histogram: ScoreHistogram, centroids: np.ndarray) -> bool:
    """Whether one step of Lloyd's iteration (the one scikit-learn's KMeans runs), started at the
    ascending centroids, leaves them put, as it must at a K-Means optimum.

    Written in numpy rather than by calling scikit-learn, whose import alone costs every build
    seconds; the tests check this against scikit-learn's KMeans.
    """
    if len(centroids) < 2:
        return True
    nearest = nearest_centroid(histogram.scores, centroids)
    moved = cluster_centroids(histogram.scores, histogram.counts, nearest, len(centroids))
    if np.isnan(moved).any():  # a centroid that no score is nearest to
        return False
    shift = np.abs(moved - centroids).max()
    return bool(shift <= 1e-9 * max(1.0, float(np.abs(centroids).max())))


def exact_clusters(histogram: ScoreHistogram, k: int) -> np.ndarray:
    """Cluster of each distinct score in the optimal k-partition, 0 = lowest scores.

    k must not exceed the number of distinct scores. The clusters are contiguous runs of scores.
    """
    if k == 1:
        return np.zeros(len(histogram.scores), dtype=np.int64)
    result = ckmeans_1d_dp.ckmeans(histogram.scores, k, y=histogram.counts)
    return np.asarray(result.cluster, dtype=np.int64)


def fit_segments(
    histogram: ScoreHistogram, k: int, labels: Mapping[tuple[int, int], str] | None = None
) -> list[Segment]:
    """The optimal k segments of the histogram, best (highest centroid) first.

    An empty histogram (``dbt build --empty``) gives no segments. Fewer distinct scores than k give
    one segment per distinct score, with a warning. Fewer customers than k never reach here in a
    build: the quality gate (int_customers__quality_gate) stops it first.
    """
    if k < 2:
        raise InsufficientDataError(f"segment_count must be at least 2; got {k}.")
    if histogram.customer_count == 0:
        return []
    distinct = len(histogram.scores)
    effective_k = min(k, distinct)
    if effective_k < k:
        warnings.warn(
            f"Only {distinct} distinct scores: making {effective_k} segments, not {k}.",
            stacklevel=2,
        )

    cluster = exact_clusters(histogram, effective_k)

    # clusters of sorted values are contiguous runs, numbered in ascending order of score
    sizes = np.bincount(cluster, weights=histogram.counts, minlength=effective_k)
    centroids = cluster_centroids(histogram.scores, histogram.counts, cluster, effective_k)
    squared = histogram.counts * (histogram.scores - centroids[cluster]) ** 2
    within_ss = np.bincount(cluster, weights=squared, minlength=effective_k)
    lower_bounds = histogram.scores[np.searchsorted(cluster, np.arange(effective_k))]
    fixed_point = _is_lloyd_fixed_point(histogram, centroids)

    segments = []
    for ascending_index in range(effective_k):
        rank = effective_k - ascending_index
        upper = None if rank == 1 else float(lower_bounds[ascending_index + 1])
        segments.append(
            Segment(
                rank=rank,
                label=segment_label(rank, effective_k, labels or {}),
                segment_count=effective_k,
                centroid=float(centroids[ascending_index]),
                lower_bound=float(lower_bounds[ascending_index]),
                upper_bound=upper,
                customer_count=int(sizes[ascending_index]),
                within_ss=float(within_ss[ascending_index]),
                is_lloyd_fixed_point=fixed_point,
            )
        )
    return sorted(segments, key=lambda segment: segment.rank)


def segment_label(rank: int, segment_count: int, labels: Mapping[tuple[int, int], str]) -> str:
    """The seed's label for (segment_count, rank), else a neutral 'Segment r of k'."""
    return labels.get((segment_count, rank), f"Segment {rank} of {segment_count}")


def read_labels(seed: duckdb.DuckDBPyRelation) -> dict[tuple[int, int], str]:
    """The segment_labels seed as {(segment_count, segment_rank): label}."""
    rows = seed.project("segment_count, segment_rank, segment_label").fetchall()
    return {(int(count), int(rank)): str(label) for count, rank, label in rows}


def _as_score_decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(f"{value:.{SCORE_DECIMALS}f}")


def segments_table(segments: list[Segment]) -> pa.Table:
    """The segments as an Arrow table with SEGMENTS_SCHEMA (also when there are none)."""
    columns = {
        "segment_rank": [s.rank for s in segments],
        "segment_label": [s.label for s in segments],
        "segment_count": [s.segment_count for s in segments],
        "centroid_score": [s.centroid for s in segments],
        "score_lower_bound": [_as_score_decimal(s.lower_bound) for s in segments],
        "score_upper_bound": [_as_score_decimal(s.upper_bound) for s in segments],
        "customer_count": [s.customer_count for s in segments],
        "within_cluster_sum_of_squares": [s.within_ss for s in segments],
        "is_lloyd_fixed_point": [s.is_lloyd_fixed_point for s in segments],
    }
    return pa.table(columns, schema=SEGMENTS_SCHEMA)


def build_segments(
    histogram: duckdb.DuckDBPyRelation, label_seed: duckdb.DuckDBPyRelation, k: int
) -> pa.Table:
    """Everything the dbt model int_segments__kmeans does, from its inputs to its table."""
    return segments_table(fit_segments(read_histogram(histogram), k, read_labels(label_seed)))
