"""Segments from the score's 0-1 factors instead of the single score (var segmentation_features).

Several dimensions have no exact K-Means method, so this is scikit-learn's K-Means: k-means++ with
a fixed seed and var factor_kmeans_n_init restarts, the best kept. Customers are read in
customer_id order, so the same file always gives the same segments. Segments are ranked by their
customers' mean credit score, 1 = best, and labelled like the score segments. Unlike score segments
they are not score ranges: two customers with the same score can sit in different segments.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
from sklearn.cluster import KMeans

from credit_segments.clustering import cluster_centroids, segment_label

# int_customers__scored's struct of the 0-1 factors, one field per factor of var score_factors
FACTOR_VALUES = "factor_values"

ASSIGNMENTS_SCHEMA = pa.schema(
    [
        ("customer_id", pa.string()),
        ("segment_rank", pa.int32()),
        ("segment_label", pa.string()),
        ("segment_count", pa.int32()),
    ]
)


@dataclass(frozen=True)
class FactorData:
    """Customers in customer_id order: their factor vectors (n x factors) and credit scores."""

    customer_ids: np.ndarray
    factors: np.ndarray
    scores: np.ndarray


def read_factors(scored: duckdb.DuckDBPyRelation) -> FactorData:
    """Factor vectors and scores straight from DuckDB, in a fixed order; the factors are the
    fields of the scored view's struct, so they follow the scorecard with no list kept here."""
    table = (
        scored.project(f"customer_id, credit_score::double, unnest({FACTOR_VALUES})")
        .order("customer_id")
        .arrow()
        .read_all()
    )
    # by position: a factor may share its name with another column
    factors = [table.column(i).to_numpy() for i in range(2, table.num_columns)]
    return FactorData(
        customer_ids=table.column(0).to_numpy(),
        factors=np.column_stack(factors).reshape(-1, len(factors)).astype(np.float64),
        scores=table.column(1).to_numpy().astype(np.float64),
    )


def factor_kmeans(k: int, n_init: int, seed: int) -> KMeans:
    """The K-Means of segmentation_features = factors: seeded k-means++, n_init restarts."""
    return KMeans(n_clusters=k, n_init=n_init, random_state=seed)


def rank_by_mean_score(labels: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """Segment rank of each cluster (1 = highest mean credit score), indexed by cluster."""
    means = cluster_centroids(scores, np.ones(len(scores)), labels, k)
    order = np.argsort(-means, kind="stable")
    ranks = np.empty(k, dtype=np.int32)
    ranks[order] = np.arange(1, k + 1, dtype=np.int32)
    return ranks


def fit_factor_segments(
    data: FactorData,
    k: int,
    n_init: int,
    seed: int,
    labels: Mapping[tuple[int, int], str] | None = None,
) -> pa.Table:
    """One row per customer: its factor segment, ranked by mean credit score."""
    customers = len(data.customer_ids)
    if customers == 0:
        return ASSIGNMENTS_SCHEMA.empty_table()
    # fewer customers than k: the quality gate stops the build before this model
    distinct = len(np.unique(data.factors, axis=0))
    effective_k = min(k, distinct)
    if effective_k < k:
        warnings.warn(
            f"Only {distinct} distinct factor vectors: making {effective_k} segments, not {k}.",
            stacklevel=2,
        )
    if effective_k == 1:
        cluster = np.zeros(customers, dtype=np.int64)
    else:
        cluster = factor_kmeans(effective_k, n_init, seed).fit(data.factors).labels_
    ranks = rank_by_mean_score(cluster, data.scores, effective_k)[cluster]
    names = {
        rank: segment_label(rank, effective_k, labels or {}) for rank in range(1, effective_k + 1)
    }
    return pa.table(
        {
            "customer_id": data.customer_ids.astype(str).tolist(),
            "segment_rank": ranks,
            "segment_label": [names[int(rank)] for rank in ranks],
            "segment_count": np.full(customers, effective_k, dtype=np.int32),
        },
        schema=ASSIGNMENTS_SCHEMA,
    )
