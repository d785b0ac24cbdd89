"""credit-segments: FICO-style credit scores and exact K-Means segments on dbt + DuckDB."""

__version__ = "0.1.0"
