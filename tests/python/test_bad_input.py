"""Row-level bad input, end to end: one dirty CSV, one `dbt build`, every row accounted for.

The file is written once per session: a UTF-8 byte-order mark, Windows line endings, every case row
fully quoted, one row per case below, then 1,000 clean generated rows (so the rejected share stays
under the default 5 % threshold). Each case row's expected reason codes are written here by hand
from the rules in seeds/rejection_reasons.csv, never read back from the models.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections import Counter
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from credit_segments import report
from credit_segments.sample_data import SampleSpec, write_sample
from support.dbt import MAIN_JOB, DbtRun, run_dbt
from support.report_data import numeric_inputs_and_score

pytestmark = pytest.mark.dbt

HEADER = [
    "Customer ID", "Age", "Gender", "Marital Status", "Education Level", "Employment Status",
    "Credit Utilization Ratio", "Payment History", "Number of Credit Accounts", "Loan Amount",
    "Interest Rate", "Loan Term", "Type of Loan",
]  # fmt: skip
# A row that passes every check; each case changes a few fields.
BASE = {
    "Age": "35", "Gender": "Female", "Marital Status": "Married", "Education Level": "Bachelor",
    "Employment Status": "Employed", "Credit Utilization Ratio": "0.30", "Payment History": "2000",
    "Number of Credit Accounts": "4", "Loan Amount": "20000", "Interest Rate": "7.5",
    "Loan Term": "36", "Type of Loan": "Auto Loan",
}  # fmt: skip
GENERATED_ROWS = 1000
SCRIPT = "<script>alert(1)</script>"


@dataclass(frozen=True)
class Case:
    customer_id: str
    changes: dict[str, str]
    reasons: tuple[str, ...] = ()  # empty: the row must pass


# Column names, short enough for one case a line.
PAY, UTIL, ACCOUNTS = "Payment History", "Credit Utilization Ratio", "Number of Credit Accounts"
EDU, EMP = "Education Level", "Employment Status"
LOAN_TYPE, MARITAL = "Type of Loan", "Marital Status"

CASES = [
    # a missing or empty score input
    Case("payment-empty", {PAY: ""}, ("payment_history_missing",)),
    Case("payment-blank", {PAY: "   "}, ("payment_history_missing",)),
    Case("utilization-empty", {UTIL: ""}, ("credit_utilization_missing",)),
    Case("accounts-empty", {ACCOUNTS: ""}, ("credit_accounts_missing",)),
    Case("education-empty", {EDU: ""}, ("education_level_missing",)),
    Case("employment-blank", {EMP: " "}, ("employment_status_missing",)),
    # numbers that do not parse, or are not finite
    Case("payment-n/a", {PAY: "n/a"}, ("payment_history_not_numeric",)),
    Case("accounts-many", {ACCOUNTS: "many"}, ("credit_accounts_not_numeric",)),
    Case("utilization-comma", {UTIL: "1,5"}, ("credit_utilization_not_numeric",)),
    Case("payment-inf", {PAY: "inf"}, ("payment_history_not_finite",)),
    Case("utilization-nan", {UTIL: "NaN"}, ("credit_utilization_not_finite",)),
    Case("accounts-minus-infinity", {ACCOUNTS: "-Infinity"}, ("credit_accounts_not_finite",)),
    # out of their domain
    Case("utilization-negative", {UTIL: "-0.1"}, ("credit_utilization_out_of_range",)),
    Case("utilization-above-one", {UTIL: "1.2"}, ("credit_utilization_out_of_range",)),
    Case("utilization-percent", {UTIL: "45"}, ("credit_utilization_out_of_range",)),
    Case("payment-negative", {PAY: "-1"}, ("payment_history_out_of_range",)),
    Case("payment-above-max", {PAY: "2858"}, ("payment_history_out_of_range",)),
    Case("accounts-zero", {ACCOUNTS: "0"}, ("credit_accounts_out_of_range",)),
    Case("accounts-negative", {ACCOUNTS: "-2"}, ("credit_accounts_out_of_range",)),
    Case("accounts-fraction", {ACCOUNTS: "2.5"}, ("credit_accounts_not_whole",)),
    Case("age-17", {"Age": "17"}, ("age_out_of_range",)),
    Case("age-121", {"Age": "121"}, ("age_out_of_range",)),
    Case("age-unknown", {"Age": "unknown"}, ("age_not_numeric",)),
    Case("loan-negative", {"Loan Amount": "-500"}, ("loan_amount_out_of_range",)),
    # unknown categories, after trimming and case-folding
    Case("education-kindergarten", {EDU: "Kindergarten"}, ("education_level_unknown",)),
    Case("employment-retired", {EMP: "  RETIRED "}, ("employment_status_unknown",)),
    Case("education-script", {EDU: "<script>alert(4)</script>"}, ("education_level_unknown",)),
    # every reason that applies, in check order: the file's column order
    Case(
        "many-problems",
        {PAY: "n/a", UTIL: "45", EDU: "Kindergarten", "Age": "200"},
        (
            "age_out_of_range",
            "education_level_unknown",
            "credit_utilization_out_of_range",
            "payment_history_not_numeric",
        ),
    ),
    # duplicate ids: the first valid row in file order is kept
    Case("dup-a", {PAY: "n/a"}, ("payment_history_not_numeric", "duplicate_customer_id")),
    Case("dup-a", {}),
    Case("dup-a", {PAY: "1500"}, ("duplicate_customer_id",)),
    Case("dup-b", {}),
    Case("dup-b", {}, ("duplicate_customer_id",)),
    # no id on this row: it is known by its row number
    Case("", {PAY: "n/a"}, ("payment_history_not_numeric",)),
    # not errors: these rows must pass
    Case(
        "stray-whitespace",
        {UTIL: "  0.30 ", PAY: " 2000 ", ACCOUNTS: " 4",
         EDU: "  high   school ", EMP: " self-employed "},
    ),
    Case("case-folded", {EDU: "pHd", EMP: "EMPLOYED"}),
    Case("quoted-comma", {LOAN_TYPE: "loan, with comma", MARITAL: 'Said "hi"'}),
    Case("low-bounds", {PAY: "0", UTIL: "0", ACCOUNTS: "1",
                        "Age": "18", "Loan Amount": "0"}),
    Case("high-bounds", {PAY: "2857", UTIL: "1", "Age": "120"}),
    Case("scientific", {PAY: "2.0e3"}),
    Case("optional-empty", {"Age": "", "Gender": "", "Loan Amount": "", LOAN_TYPE: ""}),
    Case("optional-odd", {"Gender": "prefer not to say", LOAN_TYPE: "Boat Loan"}),
    Case(
        "script-in-categories",
        {"Gender": SCRIPT, MARITAL: "</script><script>alert(2)</script>",
         LOAN_TYPE: '"><img src=x onerror=alert(3)>'},
    ),
]  # fmt: skip


@dataclass(frozen=True)
class DirtyFile:
    path: Path
    row_count: int
    case_rows: dict[int, Case]  # by source row number (1 = first data row)


def write_dirty_csv(directory: Path) -> DirtyFile:
    generated = write_sample(
        SampleSpec(rows=GENERATED_ROWS, seed=11, with_customer_id=True), directory / "clean.csv"
    )
    with generated.open(newline="", encoding="utf-8") as handle:
        clean_rows = [[row.get(column, "") for column in HEADER] for row in csv.DictReader(handle)]
    text = io.StringIO()
    quoted = csv.writer(text, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    minimal = csv.writer(text, lineterminator="\r\n")
    quoted.writerow(HEADER)
    for case in CASES:
        row = {**BASE, "Customer ID": case.customer_id, **case.changes}
        quoted.writerow([row[column] for column in HEADER])
    minimal.writerows(clean_rows)
    path = directory / "dirty.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.getvalue().encode("utf-8"))
    return DirtyFile(
        path=path,
        row_count=len(CASES) + len(clean_rows),
        case_rows={number: case for number, case in enumerate(CASES, start=1)},
    )


@pytest.fixture(scope="session")
def dirty_file(tmp_path_factory: pytest.TempPathFactory) -> DirtyFile:
    return write_dirty_csv(tmp_path_factory.mktemp("dirty"))


@pytest.fixture(scope="session")
def dirty_build(tmp_path_factory: pytest.TempPathFactory, dirty_file: DirtyFile) -> DbtRun:
    run = run_dbt(tmp_path_factory.mktemp("dirty_build"), dirty_file.path, "build", *MAIN_JOB)
    assert run.result.returncode == 0, run.output
    return run


def test_the_build_passes_and_every_row_is_segmented_or_rejected(dirty_build, dirty_file):
    [(segmented,)] = dirty_build.query("select count(*) from customer_segments")
    [(rejected,)] = dirty_build.query("select count(*) from rejected_customers")
    expected_rejected = sum(1 for case in CASES if case.reasons)
    assert rejected == expected_rejected
    assert segmented + rejected == dirty_file.row_count


def test_each_rejected_row_has_exactly_its_reasons(dirty_build, dirty_file):
    rows = dirty_build.query(
        "select source_row_number, rejection_reason_codes from rejected_customers"
    )
    actual = {number: tuple(codes) for number, codes in rows}
    cases = dirty_file.case_rows.items()
    expected = {number: case.reasons for number, case in cases if case.reasons}
    assert actual == expected


def test_rejected_rows_keep_their_raw_text_and_readable_reasons(dirty_build, dirty_file):
    rows = dirty_build.query(
        """
        select source_row_number, customer_id, raw_payment_history, raw_credit_utilization_ratio,
               raw_employment_status, rejection_reasons, reason_count
        from rejected_customers
        """
    )
    by_row = {row[0]: row[1:] for row in rows}
    number_of = {case.customer_id: n for n, case in dirty_file.case_rows.items() if case.reasons}
    assert by_row[number_of["payment-n/a"]][1] == "n/a"
    assert by_row[number_of["utilization-comma"]][2] == "1,5"
    assert by_row[number_of["employment-retired"]][3] == "  RETIRED "
    # the row without an id: customer_id is null, the row number identifies it
    assert by_row[number_of[""]][0] is None
    many = by_row[number_of["many-problems"]]
    assert many[5] == 4
    assert many[4].count("; ") == 3  # four messages
    assert "credit_utilization_scale: 100" in many[4]  # the percentage hint


def test_rows_with_whitespace_quotes_bom_and_crlf_pass_with_clean_values(dirty_build):
    rows = dirty_build.query(
        """
        select customer_id, education_level, employment_status, credit_utilization_ratio,
               payment_history, loan_type, marital_status, gender, age_years, loan_amount
        from customer_segments
        where customer_id in ('stray-whitespace', 'case-folded', 'quoted-comma', 'scientific',
                              'optional-empty', 'optional-odd', 'low-bounds', 'high-bounds')
        """
    )
    by_id = {row[0]: row[1:] for row in rows}
    assert len(by_id) == 8
    assert by_id["stray-whitespace"][:4] == ("High School", "Self-Employed", 0.30, 2000)
    assert by_id["case-folded"][:2] == ("PhD", "Employed")
    assert by_id["quoted-comma"][4:6] == ("Loan, With Comma", 'Said "hi"')
    assert by_id["scientific"][3] == 2000
    assert by_id["optional-empty"][4] is None  # loan_type
    assert by_id["optional-empty"][6:] == (None, None, None)  # gender, age, loan amount
    assert by_id["optional-odd"][6] == "Prefer Not To Say"


def test_the_byte_order_mark_does_not_hide_the_customer_id_column(dirty_build):
    [(derived,)] = dirty_build.query(
        "select count(*) from customer_segments where is_customer_id_derived"
    )
    assert derived == 0


def test_duplicate_ids_keep_the_first_valid_row(dirty_build, dirty_file):
    kept = dict(
        dirty_build.query(
            "select customer_id, source_row_number from customer_segments "
            "where customer_id like 'dup-%'"
        )
    )
    rows_of = {}
    for number, case in dirty_file.case_rows.items():
        rows_of.setdefault(case.customer_id, []).append(number)
    assert kept == {"dup-a": rows_of["dup-a"][1], "dup-b": rows_of["dup-b"][0]}


def test_data_quality_summary_counts_rows_per_reason(dirty_build, dirty_file):
    expected = Counter(code for case in CASES for code in case.reasons)
    rows = dirty_build.query(
        "select reason_code, rejected_row_count, share_of_input_rows from data_quality_summary"
    )
    assert {code: count for code, count, _ in rows if count} == dict(expected)
    shares = {code: share for code, _, share in rows}
    assert shares["payment_history_not_numeric"] == pytest.approx(
        expected["payment_history_not_numeric"] / dirty_file.row_count
    )
    # every reason in the seed is listed, also those with no rows
    seed = Path(__file__).parents[2] / "seeds" / "rejection_reasons.csv"
    assert len(rows) == len(seed.read_text(encoding="utf-8").splitlines()) - 1  # minus the header


def test_missing_optional_columns_reject_nothing(tmp_path):
    source = write_sample(SampleSpec(rows=60, seed=4), tmp_path / "full.csv")
    required = [
        "Education Level", "Employment Status", "Credit Utilization Ratio", "Payment History",
        "Number of Credit Accounts",
    ]  # fmt: skip
    minimal = tmp_path / "minimal.csv"
    with duckdb.connect() as con:
        columns = ", ".join(f'"{name}"' for name in required)
        con.execute(f"copy (select {columns} from read_csv('{source}')) to '{minimal}'")
    run = run_dbt(tmp_path, minimal, "build", *MAIN_JOB)
    assert run.result.returncode == 0, run.output
    assert run.query("select count(*) from rejected_customers") == [(0,)]
    assert run.query(
        """
        select count(*), count(age_years), count(gender), count(loan_amount), count(loan_type),
               count(*) filter (where customer_id = 'row-' || source_row_number)
        from customer_segments
        """
    ) == [(60, 0, 0, 0, 0, 60)]


# --- the report over the dirty warehouse ---------------------------------------------------------


class _ScriptCollector(HTMLParser):
    """Script elements and visible text, as a browser's HTML parser would split them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.text: list[str] = []
        self.plotly_divs = 0
        self.tags: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag in ("script", "style"):
            self._in = tag
            if tag == "script":
                self.scripts.append("")
        if tag == "div" and "plotly-graph-div" in (dict(attrs).get("class") or ""):
            self.plotly_divs += 1

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in is None:
            self.text.append(data)


def _parse(page: str) -> _ScriptCollector:
    parser = _ScriptCollector()
    parser.feed(page)
    return parser


def _assert_no_injected_markup(page: str) -> None:
    parsed = _parse(page)
    # one script for plotly.js, one per chart: a `</script>` inside chart JSON would add more
    assert len(parsed.scripts) == 1 + parsed.plotly_divs
    assert not any(re.match(r"\s*alert\(", script) for script in parsed.scripts)
    assert "img" not in parsed.tags
    assert SCRIPT not in page


@pytest.fixture(scope="session")
def dirty_report(dirty_build, tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("dirty_report") / "report.html"
    assert report.main(["--db", str(dirty_build.db_path), "--out", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def test_report_shows_the_rejected_count_and_each_reason(dirty_report):
    expected = Counter(code for case in CASES for code in case.reasons)
    rejected = sum(1 for case in CASES if case.reasons)
    assert re.search(r'id="rejected-rows">(\d[\d,]*)<', dirty_report)[1] == f"{rejected:,}"
    # the quality table: reason code, message, row count, share
    for code, count in expected.items():
        cell = "<td[^>]*>"
        row = rf"{cell}{code}</td>{cell}[^<]+</td>{cell}{count}</td>"
        assert re.search(row, dirty_report), code


def test_hostile_category_text_in_the_input_is_shown_as_text(dirty_report):
    _assert_no_injected_markup(dirty_report)
    # the input profile shows the smallest Gender, which is the script text: as text, escaped
    assert html.escape(SCRIPT) in dirty_report
    assert SCRIPT in " ".join(_parse(dirty_report).text)


def test_hostile_text_inside_chart_json_cannot_close_the_script(dirty_build):
    """Segment labels come from a seed, but the charts must survive any text put in them."""
    with duckdb.connect(str(dirty_build.db_path), read_only=True) as con:
        data = report.load_report_data(con)
    hostile = ["</script><script>alert(5)</script>", SCRIPT, "</SCRIPT >x", "<!--", "]]>"]
    labels = [hostile[i % len(hostile)] + str(i) for i in range(len(data.segments))]
    relabel = dict(zip(data.segments.segment_label, labels, strict=True))
    data = replace(
        data,
        segments=data.segments.assign(segment_label=labels),
        score_bins=data.score_bins.assign(segment_label=data.score_bins.segment_label.map(relabel)),
    )
    page = report.render_html(data)
    _assert_no_injected_markup(page)
    assert "alert(5)" in page  # the labels did reach the charts, as JSON text


def test_input_correlations_use_each_pairs_complete_rows(dirty_build):
    """Valid rows may lack an age or a loan amount; each pair's correlation uses the customers
    that have both values, as pandas' DataFrame.corr does."""
    with duckdb.connect(str(dirty_build.db_path), read_only=True) as con:
        columns = numeric_inputs_and_score(con)
        segments = con.execute(f"select {', '.join(columns)} from customer_segments").df()
        ours = report.load_report_data(con).correlations
        counts = con.execute(
            "select customer_count from input_correlations"
            " where column_a = 'age_years' and column_b = 'loan_amount'"
        ).fetchone()
    assert segments.age_years.isna().any() and segments.loan_amount.isna().any()
    pd.testing.assert_frame_equal(
        ours, segments.corr(), check_exact=False, atol=1e-9, check_names=False
    )
    assert counts == (len(segments[["age_years", "loan_amount"]].dropna()),)
