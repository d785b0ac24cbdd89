"""Independent references for the clustering tests: plain numpy, no project code."""

from __future__ import annotations

import itertools

import numpy as np

from credit_segments.clustering import ScoreHistogram


def histogram_of(values: list[float]) -> ScoreHistogram:
    """The distinct values with their counts, as the dbt model gets them from DuckDB."""
    scores, counts = np.unique(np.asarray(values, dtype=float), return_counts=True)
    return ScoreHistogram(scores=scores, counts=counts.astype(float))


def brute_force_sse(values: list[float], k: int) -> float:
    """Least within-cluster SSE over every split of the sorted values into k contiguous groups."""
    ordered = np.sort(np.asarray(values, dtype=float))
    best = np.inf
    for cuts in itertools.combinations(range(1, len(ordered)), k - 1):
        groups = np.split(ordered, cuts)
        best = min(best, sum(((group - group.mean()) ** 2).sum() for group in groups))
    return best
