"""How well the data supports the segments: quality metrics and stability for k = 2..10.

For the default 1-D segmentation every metric but the silhouette is computed exactly from the score
histogram (distinct scores and their counts), so only that histogram leaves DuckDB at any input
size. The silhouette needs all pairwise distances, so it is computed on a seeded sample of
customers. Stability is the adjusted Rand index (ARI) between the segments of the whole file and
those refitted on bootstrap resamples of it, over the same customers.

With ``segmentation_features: factors`` the rows for the five-factor K-Means come from the factor
vectors themselves (they have no histogram); their stability is measured on the silhouette sample.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from typing import Annotated

import duckdb
import numpy as np
import pyarrow as pa
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

from credit_segments.clustering import (
    ScoreHistogram,
    cluster_centroids,
    exact_clusters,
    nearest_centroid,
    read_histogram,
)
from credit_segments.factor_segments import factor_kmeans, read_factors


@dataclass(frozen=True)
class QualitySettings:
    """What segmentation_quality compares, and the seeded samples behind its sampled metrics."""

    k_min: int = 2
    k_max: int = 10
    k_in_use: int = 5
    features_in_use: str = "score"  # var segmentation_features: score | factors
    silhouette_sample_size: int = 5000
    bootstrap_count: int = 20
    random_seed: int = 42
    factor_n_init: int = 10  # restarts of the factor K-Means (var factor_kmeans_n_init)


Int32 = Annotated[int, pa.int32()]  # a column narrower than Python's int (int64 by default)


@dataclass(frozen=True)
class QualityRow:
    """The metrics of one segmentation (one feature set, one k): one row of the model's table,
    field for column (QUALITY_SCHEMA is derived from these fields)."""

    segmentation_features: str
    k: Int32
    is_in_use: bool
    is_exact_optimum: bool
    customer_count: int
    within_cluster_sum_of_squares: float
    plain_kmeans_within_cluster_sum_of_squares: float
    # how far the plain scikit-learn run lands above this segmentation's SS, in percent
    plain_kmeans_excess_pct: float | None = field(init=False)
    silhouette_score: float | None
    silhouette_sample_size: int
    davies_bouldin_score: float | None
    calinski_harabasz_score: float | None
    stability_ari_mean: float | None
    stability_ari_min: float | None
    stability_bootstrap_count: Int32

    def __post_init__(self) -> None:
        within = self.within_cluster_sum_of_squares
        excess = (
            None
            if within == 0
            else 100.0 * (self.plain_kmeans_within_cluster_sum_of_squares - within) / within
        )
        object.__setattr__(self, "plain_kmeans_excess_pct", excess)


_ARROW_TYPES = {str: pa.string(), bool: pa.bool_(), int: pa.int64(), float: pa.float64()}


def _arrow_type(hint: object) -> pa.DataType:
    if typing.get_origin(hint) is Annotated:
        return typing.get_args(hint)[1]
    if isinstance(hint, types.UnionType):  # float | None: nullable, which every Arrow field is
        (hint,) = (arg for arg in typing.get_args(hint) if arg is not type(None))
    return _ARROW_TYPES[hint]


def _schema_of(row_type: type) -> pa.Schema:
    hints = typing.get_type_hints(row_type, include_extras=True)
    return pa.schema([(f.name, _arrow_type(hints[f.name])) for f in dataclasses.fields(row_type)])


QUALITY_SCHEMA = _schema_of(QualityRow)


# ---- metrics on weighted points (a histogram is points with weights = counts) --------------------


def _as_matrix(values: np.ndarray) -> np.ndarray:
    return values.reshape(-1, 1) if values.ndim == 1 else values


def within_cluster_sum_of_squares(
    values: np.ndarray, weights: np.ndarray, labels: np.ndarray
) -> float:
    """Σ weight x squared distance to the cluster's weighted mean."""
    points = _as_matrix(values)
    k = int(labels.max()) + 1
    centroids = cluster_centroids(points, weights, labels, k)
    return float((weights * ((points - centroids[labels]) ** 2).sum(axis=1)).sum())


def davies_bouldin(values: np.ndarray, weights: np.ndarray, labels: np.ndarray) -> float | None:
    """Davies-Bouldin index of weighted points (scikit-learn's definition; lower is better)."""
    points = _as_matrix(values)
    k = int(labels.max()) + 1
    if k < 2:
        return None
    centroids = cluster_centroids(points, weights, labels, k)
    distances = np.sqrt(((points - centroids[labels]) ** 2).sum(axis=1))
    scatter = np.bincount(labels, weights=weights * distances, minlength=k) / np.bincount(
        labels, weights=weights, minlength=k
    )
    separation = np.sqrt(((centroids[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2))
    if np.allclose(scatter, 0) or np.allclose(separation, 0):
        return 0.0
    separation[separation == 0] = np.inf
    ratio = (scatter[:, None] + scatter[None, :]) / separation
    np.fill_diagonal(ratio, -np.inf)
    return float(ratio.max(axis=1).mean())


def calinski_harabasz(values: np.ndarray, weights: np.ndarray, labels: np.ndarray) -> float | None:
    """Calinski-Harabasz index of weighted points (between / within dispersion; higher is better).

    None when every cluster has zero spread (the index is infinite there).
    """
    points = _as_matrix(values)
    k = int(labels.max()) + 1
    n = float(weights.sum())
    if k < 2 or n <= k:
        return None
    centroids = cluster_centroids(points, weights, labels, k)
    sizes = np.bincount(labels, weights=weights, minlength=k)
    mean = (weights[:, None] * points).sum(axis=0) / n
    between = float((sizes * ((centroids - mean) ** 2).sum(axis=1)).sum())
    within = within_cluster_sum_of_squares(points, weights, labels)
    if within == 0:
        return None
    return between * (n - k) / (within * (k - 1))


def adjusted_rand_index(
    labels_a: np.ndarray, labels_b: np.ndarray, weights: np.ndarray | None = None
) -> float:
    """Adjusted Rand index of two labellings, each point counted `weights` times (integers).

    Computed from the weighted contingency table, so a histogram never has to be expanded.
    """
    weights = np.ones(len(labels_a)) if weights is None else np.asarray(weights, dtype=np.float64)
    _, a = np.unique(labels_a, return_inverse=True)
    _, b = np.unique(labels_b, return_inverse=True)
    table = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(table, (a, b), weights)

    def pairs(x: np.ndarray) -> float:
        return float((x * (x - 1) / 2).sum())

    n = float(weights.sum())
    index = pairs(table)
    rows, cols = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = rows * cols / (n * (n - 1) / 2) if n > 1 else 0.0
    maximum = (rows + cols) / 2
    if maximum == expected:  # both labellings trivial (one cluster, or all singletons)
        return 1.0
    return (index - expected) / (maximum - expected)


def weighted_silhouette_1d(
    values: np.ndarray, weights: np.ndarray, labels: np.ndarray
) -> float | None:
    """Mean silhouette of 1-D points, each counted `weights` times (integers), in O(k n log n).

    Equal to scikit-learn's silhouette_score on the expanded column (a point in a segment of one
    scores 0), without its n^2 distance matrix: the summed distance from x to every point of a
    segment comes from prefix sums over the segment's sorted values.
    """
    k = int(labels.max()) + 1 if len(labels) else 0
    total = float(weights.sum())
    if not 2 <= len(np.unique(labels)) <= total - 1:
        return None
    distance_sums = np.empty((k, len(values)))  # Σ weight x |x - y| over segment members y
    sizes = np.bincount(labels, weights=weights, minlength=k)
    for segment in range(k):
        members = labels == segment
        order = np.argsort(values[members], kind="stable")
        y, w = values[members][order], weights[members][order]
        cum_w = np.concatenate([[0.0], np.cumsum(w)])
        cum_wy = np.concatenate([[0.0], np.cumsum(w * y)])
        split = np.searchsorted(y, values, side="right")  # members at or below x
        below = values * cum_w[split] - cum_wy[split]
        above = (cum_wy[-1] - cum_wy[split]) - values * (cum_w[-1] - cum_w[split])
        distance_sums[segment] = below + above
    own_size = sizes[labels]
    points = np.arange(len(values))
    with np.errstate(divide="ignore", invalid="ignore"):
        a = distance_sums[labels, points] / (own_size - 1)  # the point itself adds distance 0
        mean_to_other = distance_sums / sizes[:, None]
    mean_to_other[labels, points] = np.inf
    mean_to_other[sizes == 0, :] = np.inf
    b = mean_to_other.min(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        silhouette = np.where(own_size > 1, (b - a) / np.maximum(a, b), 0.0)
    silhouette = np.nan_to_num(silhouette)  # a = b = 0: identical points split across segments
    return float((weights * silhouette).sum() / total)


def _silhouette(points: np.ndarray, labels: np.ndarray) -> float | None:
    if not 2 <= len(np.unique(labels)) <= len(labels) - 1:
        return None
    return float(silhouette_score(_as_matrix(points), labels))


# ---- the 1-D score segmentation, from the histogram ---------------------------------------------


def sample_histogram(
    histogram: ScoreHistogram, size: int, rng: np.random.Generator
) -> ScoreHistogram:
    """A simple random sample of `size` customers without replacement, drawn from the histogram."""
    counts = histogram.counts.astype(np.int64)
    if size >= counts.sum():
        return histogram
    drawn = rng.multivariate_hypergeometric(counts, size).astype(np.float64)
    keep = drawn > 0
    return ScoreHistogram(scores=histogram.scores[keep], counts=drawn[keep])


def bootstrap_resamples(
    histogram: ScoreHistogram, count: int, rng: np.random.Generator
) -> list[ScoreHistogram]:
    """`count` bootstrap resamples, each as many customers as the file holds, with replacement.

    Drawn once and shared by every k, so the stability of each k is measured on the same resamples.
    """
    n = histogram.customer_count
    if n == 0:
        return []
    shares = histogram.counts / n
    resamples = []
    for _ in range(count):
        drawn = rng.multinomial(n, shares).astype(np.float64)
        keep = drawn > 0
        resamples.append(ScoreHistogram(scores=histogram.scores[keep], counts=drawn[keep]))
    return resamples


def score_bootstrap_ari(
    histogram: ScoreHistogram, k: int, reference: np.ndarray, resamples: list[ScoreHistogram]
) -> list[float]:
    """ARI between the reference clusters and the exact clusters of each bootstrap resample.

    A resample's exact segments are applied to every original customer (nearest centroid) and
    compared with the reference.
    """
    scores = []
    for resample in resamples:
        resample_k = min(k, len(resample.scores))
        clusters = exact_clusters(resample, resample_k)
        centroids = cluster_centroids(resample.scores, resample.counts, clusters, resample_k)
        refitted = nearest_centroid(histogram.scores, centroids)
        scores.append(adjusted_rand_index(reference, refitted, histogram.counts))
    return scores


def plain_kmeans(k: int, seed: int) -> KMeans:
    """scikit-learn K-Means as a user would run it: defaults (k-means++, one init), seeded."""
    return KMeans(n_clusters=k, random_state=seed)


def score_quality_rows(histogram: ScoreHistogram, settings: QualitySettings) -> list[QualityRow]:
    """One row per k for the exact 1-D segmentation of the score."""
    customers = histogram.customer_count
    k_top = min(settings.k_max, len(histogram.scores), customers - 1)
    # fewer distinct scores than segment_count gives fewer segments (see clustering.fit_segments)
    k_in_use = min(settings.k_in_use, len(histogram.scores))
    scores_column = histogram.scores.reshape(-1, 1)
    resamples = bootstrap_resamples(
        histogram, settings.bootstrap_count, np.random.default_rng([settings.random_seed, 0])
    )
    rows = []
    for k in range(settings.k_min, k_top + 1):
        rng = np.random.default_rng([settings.random_seed, k])
        clusters = exact_clusters(histogram, k)
        within = within_cluster_sum_of_squares(histogram.scores, histogram.counts, clusters)
        plain = plain_kmeans(k, settings.random_seed).fit(
            scores_column, sample_weight=histogram.counts
        )

        sample = sample_histogram(histogram, settings.silhouette_sample_size, rng)
        centroids = cluster_centroids(histogram.scores, histogram.counts, clusters, k)
        sample_labels = nearest_centroid(sample.scores, centroids)
        silhouette = weighted_silhouette_1d(sample.scores, sample.counts, sample_labels)

        stability = score_bootstrap_ari(histogram, k, clusters, resamples)
        rows.append(
            QualityRow(
                segmentation_features="score",
                k=k,
                is_in_use=settings.features_in_use == "score" and k == k_in_use,
                is_exact_optimum=True,
                customer_count=customers,
                within_cluster_sum_of_squares=within,
                plain_kmeans_within_cluster_sum_of_squares=float(plain.inertia_),
                silhouette_score=silhouette,
                silhouette_sample_size=int(sample.counts.sum()),
                davies_bouldin_score=davies_bouldin(histogram.scores, histogram.counts, clusters),
                calinski_harabasz_score=calinski_harabasz(
                    histogram.scores, histogram.counts, clusters
                ),
                stability_ari_mean=float(np.mean(stability)) if stability else None,
                stability_ari_min=float(np.min(stability)) if stability else None,
                stability_bootstrap_count=len(stability),
            )
        )
    return rows


# ---- the five-factor segmentation, from the factor vectors --------------------------------------


def factor_quality_rows(factors: np.ndarray, settings: QualitySettings) -> list[QualityRow]:
    """One row per k for K-Means on the customers' 0-1 factor vectors (no exact method in 5-D)."""
    customers = len(factors)
    distinct = len(np.unique(factors, axis=0)) if customers else 0
    k_top = min(settings.k_max, distinct, customers - 1)
    ones = np.ones(customers)
    rows = []
    for k in range(settings.k_min, k_top + 1):
        rng = np.random.default_rng([settings.random_seed, k])
        model = factor_kmeans(k, settings.factor_n_init, settings.random_seed).fit(factors)
        labels = model.labels_
        plain = plain_kmeans(k, settings.random_seed).fit(factors)

        sample_size = min(settings.silhouette_sample_size, customers)
        sample = np.sort(rng.choice(customers, size=sample_size, replace=False))
        silhouette = _silhouette(factors[sample], labels[sample])

        stability = []
        for _ in range(settings.bootstrap_count):
            resample = rng.choice(sample, size=sample_size, replace=True)
            refit = factor_kmeans(k, settings.factor_n_init, settings.random_seed).fit(
                factors[resample]
            )
            stability.append(adjusted_rand_index(labels[sample], refit.predict(factors[sample])))
        rows.append(
            QualityRow(
                segmentation_features="factors",
                k=k,
                is_in_use=settings.features_in_use == "factors" and k == settings.k_in_use,
                is_exact_optimum=False,
                customer_count=customers,
                within_cluster_sum_of_squares=float(model.inertia_),
                plain_kmeans_within_cluster_sum_of_squares=float(plain.inertia_),
                silhouette_score=silhouette,
                silhouette_sample_size=sample_size,
                davies_bouldin_score=davies_bouldin(factors, ones, labels),
                calinski_harabasz_score=calinski_harabasz(factors, ones, labels),
                stability_ari_mean=float(np.mean(stability)) if stability else None,
                stability_ari_min=float(np.min(stability)) if stability else None,
                stability_bootstrap_count=len(stability),
            )
        )
    return rows


# ---- the dbt model's table ----------------------------------------------------------------------


def quality_table(rows: list[QualityRow]) -> pa.Table:
    """The rows as an Arrow table with QUALITY_SCHEMA (also when there are none)."""
    return pa.Table.from_pylist([dataclasses.asdict(row) for row in rows], schema=QUALITY_SCHEMA)


def build_quality(
    histogram: duckdb.DuckDBPyRelation, scored: duckdb.DuckDBPyRelation, settings: QualitySettings
) -> pa.Table:
    """Everything the dbt model segmentation_quality does: score rows, and factor rows if in use.

    `scored` is read only for the factor rows.
    """
    # scikit-learn's KMeans spreads each small fit over OpenMP threads; on a few cores shared with
    # dbt's other thread and DuckDB that costs more than the fit (see docs/scaling.md)
    with threadpool_limits(limits=1):
        rows = score_quality_rows(read_histogram(histogram), settings)
        if settings.features_in_use == "factors":
            rows += factor_quality_rows(read_factors(scored).factors, settings)
    return quality_table(rows)
