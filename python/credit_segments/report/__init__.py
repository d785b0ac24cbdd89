"""The HTML report: one self-contained file of Plotly charts over the marts.

Runs as its own process after ``dbt build`` (DuckDB allows one writer per file) and reads only
marts that stay small at any input size: ``data`` reads them, ``figures`` and ``review_figures``
draw the charts, ``tables`` shapes the tables, ``page`` fills the Jinja2 template in
``templates/``, and ``cli`` is the command line:

    python -m credit_segments.report --out reports/credit_segments.html
"""

from credit_segments.report.cli import main
from credit_segments.report.data import ReportData, load_report_data
from credit_segments.report.page import render_html, write_report

__all__ = [
    "ReportData",
    "load_report_data",
    "main",
    "render_html",
    "write_report",
]
