"""The report's tables: which columns a reader sees, under which header, formatted how."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from credit_segments.report.data import ReportData
from credit_segments.report.review_figures import characteristic_name

Formatter = Callable[[object], str]

# A reader sees these headers, in this order (a column the mart lacks is skipped).
PROFILE_COLUMNS = {
    "segment_rank": "Rank",
    "segment_label": "Segment",
    "customer_count": "Customers",
    "customer_share": "Share",
    "centroid_score": "Centroid score",
    "min_credit_score": "Min score",
    "max_credit_score": "Max score",
    "mean_credit_utilization_ratio": None,  # None: "Mean " + the column's label
    "mean_payment_history": None,
    "mean_number_of_credit_accounts": None,
    "mean_loan_amount": None,
}
QUALITY_COLUMNS = {
    "reason_code": "Reason code",
    "reason_message": "Reason",
    "rejected_row_count": "Rows",
    "share_of_input_rows": "Share of input rows",
}
INPUT_PROFILE_COLUMNS = {
    "input_column": "Input column",
    "row_count": "Rows",
    "null_count": "Empty or unparseable",
    "distinct_count": "Distinct values",
    "min_value": "Min",
    "max_value": "Max",
    "mean_value": "Mean",
}


@dataclass(frozen=True)
class Cell:
    text: str
    align: str  # "num" (right, so digits line up) or "text"


@dataclass(frozen=True)
class Table:
    """A table as the page template draws it; every text is escaped there."""

    headers: list[Cell]
    rows: list[tuple[list[Cell], str]]  # the cells, and the row's CSS class ("" for none)


def readable_number(value: object) -> str:
    """A number as a reader wants it: thousands separated, no trailing zeros ("591,600", "18",
    "0.35"), 2 decimals from 1 up and 4 below."""
    number = float(str(value))
    if not math.isfinite(number):
        return str(value)
    decimals = 0 if number.is_integer() else (2 if abs(number) >= 1 else 4)
    text = f"{number:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def count(value: object) -> str:
    return f"{int(value):,}"


def share(value: object) -> str:
    return f"{float(value):.1%}"


def fixed(decimals: int) -> Formatter:
    return lambda value: f"{float(value):,.{decimals}f}"


def build_table(
    frame: pd.DataFrame,
    formats: dict[str, Formatter] | None = None,
    headers: dict[str, str] | None = None,
    row_classes: list[str] | None = None,
) -> Table:
    """``headers`` maps a column to the label a reader sees (default: the column name);
    ``row_classes`` gives each row a CSS class (e.g. to highlight flagged rows), "" for none."""
    formats = formats or {}
    headers = headers or {}
    align = {
        column: "num" if pd.api.types.is_numeric_dtype(frame[column]) else "text"
        for column in frame.columns
    }
    head = [Cell(headers.get(str(column), str(column)), align[column]) for column in frame.columns]
    classes = row_classes or [""] * len(frame)
    rows = [
        (
            [
                Cell("" if pd.isna(value) else formats.get(column, str)(value), align[column])
                for column, value in zip(frame.columns, record, strict=True)
            ],
            row_class,
        )
        for record, row_class in zip(frame.itertuples(index=False), classes, strict=True)
    ]
    return Table(head, rows)


def profile_table(data: ReportData) -> Table:
    headers = {
        column: header
        or f"Mean {data.label(column.removeprefix('mean_')).title_with_domain.lower()}"
        for column, header in PROFILE_COLUMNS.items()
    }
    formats = {
        "customer_count": count,
        "customer_share": share,
        "centroid_score": fixed(1),
        "min_credit_score": fixed(1),
        "max_credit_score": fixed(1),
        "mean_credit_utilization_ratio": fixed(2),
        "mean_payment_history": fixed(0),
        "mean_number_of_credit_accounts": fixed(1),
        "mean_loan_amount": fixed(0),
    }
    return build_table(data.segments[list(PROFILE_COLUMNS)], formats, headers)


def fairness_table(data: ReportData) -> Table:
    """One row per group; a flagged group's row is highlighted and says "yes"."""
    fairness = data.fairness
    threshold = float(fairness.adverse_impact_threshold.iloc[0])
    table = pd.DataFrame(
        {
            "Characteristic": fairness.characteristic.map(characteristic_name),
            "Group": fairness.group_value,
            "Customers": fairness.group_customer_count,
            "In favourable segments": fairness.favourable_customer_count,
            "Favourable rate": fairness.favourable_rate,
            "Reference group": fairness.reference_group_value,
            "Adverse impact ratio": fairness.adverse_impact_ratio,
            f"Below {threshold:g}": [
                "yes" if flagged else "no" for flagged in fairness.is_below_impact_threshold
            ],
        }
    )
    # each group's share in each segment, one column per segment, best first
    shares = data.fairness_shares.pivot(
        index=["characteristic", "group_value"], columns="segment_rank", values="share_of_group"
    )
    labels = data.fairness_shares.drop_duplicates("segment_rank").sort_values("segment_rank")
    keys = pd.MultiIndex.from_frame(fairness[["characteristic", "group_value"]])
    for rank, label in zip(labels.segment_rank, labels.segment_label, strict=True):
        table[f"In {label}"] = shares[rank].reindex(keys).to_numpy()
    formats: dict[str, Formatter] = {
        "Customers": count,
        "In favourable segments": count,
        "Favourable rate": share,
        "Adverse impact ratio": fixed(3),
        **{f"In {label}": share for label in labels.segment_label},
    }
    row_classes = ["flagged" if flag else "" for flag in fairness.is_below_impact_threshold]
    return build_table(table, formats, row_classes=row_classes)


def quality_table(data: ReportData) -> Table:
    formats = {"rejected_row_count": count, "share_of_input_rows": lambda v: f"{float(v):.2%}"}
    return build_table(data.quality[list(QUALITY_COLUMNS)], formats, QUALITY_COLUMNS)


def input_profile_table(data: ReportData) -> Table:
    """Min, max and mean formatted for reading; a text column's min and max are its first and
    last values alphabetically, as the mart holds them."""
    profile = data.input_profile
    numeric = profile.is_numeric.astype(bool)
    shown = profile[list(INPUT_PROFILE_COLUMNS)].copy()
    for column in ("min_value", "max_value"):
        shown[column] = [
            readable_number(value) if is_numeric and pd.notna(value) else value
            for value, is_numeric in zip(profile[column], numeric, strict=True)
        ]
    formats: dict[str, Formatter] = {
        "row_count": count,
        "null_count": count,
        "distinct_count": count,
        "mean_value": readable_number,
    }
    return build_table(shown, formats, INPUT_PROFILE_COLUMNS)
