"""The original notebook as a user runs it: the comparison the benchmark measures against.

The notebook's steps and libraries, end to end (issue #13): pandas ``read_csv`` (``read_parquet``
for Parquet inputs), ``info()``, the missing-value count and ``describe()``, its label encoding and
score formula, scikit-learn ``KMeans(n_clusters=5, random_state=42)`` as the notebook calls it (the
default single k-means++ initialisation), segment labels in centroid order, then what a user keeps
of it: the labelled table as CSV and the notebook's five figures (``write_html``, as a user saves a
Plotly figure). The only change is that the row-by-row ``iterrows`` score is a vectorised
expression, which makes the baseline several times faster than the notebook itself, so the
comparison is conservative. ``--n-init 10`` gives the earlier variant (ten restarts).

    python bench/notebook_baseline.py bench/data/customers_1000000.csv --out-dir /tmp/notebook
Prints one JSON object: step timings in seconds, the centroids, and the segment sizes.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.io as pio
from sklearn.cluster import KMeans

# The notebook's label encodings (the *_code columns of the project's seeds).
EDUCATION_CODES = {"High School": 1, "Bachelor": 2, "Master": 3, "PhD": 4}
EMPLOYMENT_CODES = {"Unemployed": 0, "Employed": 1, "Self-Employed": 2}
LABELS_BEST_FIRST = ["Excellent", "Good", "Fair", "Poor", "Very Poor"]
NUMERIC = [
    "Credit Utilization Ratio",
    "Payment History",
    "Number of Credit Accounts",
    "Loan Amount",
    "Interest Rate",
    "Loan Term",
]
SEGMENT_COLOURS = ["green", "blue", "yellow", "red", "orange"]


def segment_scatter(frame: pd.DataFrame):
    figure = px.scatter(
        frame,
        x=frame.index,
        y="Credit Score",
        color="Segment",
        color_discrete_sequence=SEGMENT_COLOURS,
    )
    return figure.update_layout(
        xaxis_title="Customer Index",
        yaxis_title="Credit Score",
        title="Customer Segmentation based on Credit Scores",
    )


def run(path: Path, out_dir: Path, n_init: int | str, seed: int) -> dict:
    pio.templates.default = "plotly_white"
    out_dir.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    started = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal started
        now = time.perf_counter()
        timings[step] = now - started
        started = now

    frame = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
    lap("read")
    frame.info(buf=io.StringIO())
    frame.isnull().sum()
    frame.describe()
    lap("describe")
    figures = {
        "credit_utilization": px.box(
            frame, y="Credit Utilization Ratio", title="Credit Utilization Ratio Distribution"
        ),
        "loan_amount": px.histogram(
            frame, x="Loan Amount", nbins=20, title="Loan Amount Distribution"
        ),
        "correlation": px.imshow(frame[NUMERIC].corr(), title="Correlation Matrix"),
    }
    lap("eda_figures")
    frame["Education Level"] = frame["Education Level"].map(EDUCATION_CODES)
    frame["Employment Status"] = frame["Employment Status"].map(EMPLOYMENT_CODES)
    frame["Credit Score"] = (
        0.35 * frame["Payment History"]
        + 0.30 * frame["Credit Utilization Ratio"]
        + 0.15 * frame["Number of Credit Accounts"]
        + 0.10 * frame["Education Level"]
        + 0.10 * frame["Employment Status"]
    )
    lap("score")
    kmeans = KMeans(n_clusters=len(LABELS_BEST_FIRST), n_init=n_init, random_state=seed)
    kmeans.fit(frame[["Credit Score"]])
    frame["Segment"] = pd.Series(kmeans.labels_, index=frame.index).astype("category")
    lap("kmeans")
    figures["segments"] = segment_scatter(frame)
    centres = kmeans.cluster_centers_.ravel()
    best_first = np.argsort(-centres)
    labels = {int(cluster): LABELS_BEST_FIRST[rank] for rank, cluster in enumerate(best_first)}
    frame["Segment"] = frame["Segment"].map(labels).astype("category")
    figures["labelled_segments"] = segment_scatter(frame)
    sizes = frame["Segment"].value_counts()
    lap("label")
    frame.to_csv(out_dir / "credit_segments.csv", index=False)
    lap("write_table")
    for name, figure in figures.items():
        figure.write_html(out_dir / f"{name}.html")
    lap("write_figures")
    return {
        "rows": len(frame),
        "n_init": n_init,
        "timings_s": timings,
        "centroids_best_first": [float(centres[cluster]) for cluster in best_first],
        "inertia": float(kmeans.inertia_),
        "segment_sizes": {label: int(sizes.get(label, 0)) for label in LABELS_BEST_FIRST},
        "output_mb": sum(f.stat().st_size for f in out_dir.iterdir()) / 1e6,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The notebook pipeline (benchmark baseline).")
    parser.add_argument("input", type=Path, help="customer file (.csv or .parquet)")
    parser.add_argument("--out-dir", type=Path, required=True, help="where the CSV and HTML go")
    parser.add_argument(
        "--n-init", type=int, default=None, help="KMeans restarts (default: the notebook's call)"
    )
    parser.add_argument("--seed", type=int, default=42, help="KMeans random_state (default 42)")
    args = parser.parse_args(argv)
    n_init = "auto" if args.n_init is None else args.n_init  # scikit-learn's default
    json.dump(run(args.input, args.out_dir, n_init, args.seed), sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
