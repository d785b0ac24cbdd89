"""Segment history end to end: each build's snapshot and the migration matrix of the last two.

The second file is the first with known customers' inputs swapped: A (Excellent) <-> B (Very Poor)
and C (Good) <-> D (Poor), and customer E replaced by a newcomer F with E's exact inputs. The
multiset of scores is unchanged, so the exact K-Means fit and its segment bounds are unchanged, and
exactly these customers move. The expected matrix is derived here, from the first build's segment
sizes and that list of moves, not from the mart's SQL.
"""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from credit_segments.report import main as write_report
from credit_segments.sample_data import CUSTOMER_ID_COLUMN, SampleSpec, write_sample
from support.dbt import MAIN_JOB, DbtRun, run_dbt

pytestmark = pytest.mark.dbt

SCORE_INPUTS = (
    "Payment History",
    "Credit Utilization Ratio",
    "Number of Credit Accounts",
    "Education Level",
    "Employment Status",
)
NEWCOMER_ID = "C999999999"
HOSTILE_GENDER = "<script>alert('gender')</script>"


@dataclass(frozen=True)
class History:
    first: DbtRun
    second: DbtRun
    first_segments: dict[str, int]  # customer_id -> segment_rank after the first build
    first_migration_rows: int  # rows of segment_migrations after the first build
    first_report: str  # the HTML report written after the first build
    moves: dict[
        str, tuple[int | None, int | None]
    ]  # the crafted changes: id -> (from rank, to rank)


def rewrite_csv(source: Path, target: Path, changes: dict[str, dict[str, str]]) -> Path:
    """Copy a generated CSV, overwriting some columns of some customers (found by Customer ID)."""
    with duckdb.connect() as con:
        con.execute(
            f"create table customers as select * from read_csv('{source}', all_varchar = true)"
        )
        for customer_id, values in changes.items():
            for column, value in values.items():
                con.execute(
                    f'update customers set "{column}" = ? where "{CUSTOMER_ID_COLUMN}" = ?',
                    [value, customer_id],
                )
        con.execute(f"copy customers to '{target}' (header)")
    return target


def row_of(path: Path, customer_id: str) -> dict[str, str]:
    with duckdb.connect() as con:
        relation = con.execute(
            f"select * from read_csv('{path}', all_varchar = true) "
            f'where "{CUSTOMER_ID_COLUMN}" = ?',
            [customer_id],
        )
        columns = [description[0] for description in relation.description]
        return dict(zip(columns, relation.fetchone(), strict=True))


def first_customer_of_rank(segments: dict[str, int], rank: int, skip: set[str]) -> str:
    return min(customer for customer, r in segments.items() if r == rank and customer not in skip)


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> History:
    folder = tmp_path_factory.mktemp("history")
    september = write_sample(
        SampleSpec(rows=600, seed=21, with_customer_id=True), folder / "september.csv"
    )
    first = run_dbt(folder, september, "build", *MAIN_JOB, extra_vars={"as_of": "2026-09-30"})
    assert first.result.returncode == 0, first.output
    first_segments = dict(first.query("select customer_id, segment_rank from customer_segments"))
    [(first_migration_rows,)] = first.query("select count(*) from segment_migrations")
    first_report = folder / "first_report.html"
    assert write_report(["--db", str(first.db_path), "--out", str(first_report)]) == 0

    chosen: set[str] = set()
    picks = {}
    for name, rank in (("A", 1), ("B", 5), ("C", 2), ("D", 4), ("E", 3), ("G", 3)):
        picks[name] = first_customer_of_rank(first_segments, rank, chosen)
        chosen.add(picks[name])
    rows = {name: row_of(september, customer) for name, customer in picks.items()}

    def inputs_of(name: str) -> dict[str, str]:
        return {column: rows[name][column] for column in SCORE_INPUTS}

    october = rewrite_csv(
        september,
        folder / "october.csv",
        {
            picks["A"]: inputs_of("B"),
            picks["B"]: inputs_of("A"),
            picks["C"]: inputs_of("D"),
            picks["D"]: inputs_of("C"),
            picks["E"]: {CUSTOMER_ID_COLUMN: NEWCOMER_ID},  # E leaves; F arrives with E's inputs
            picks["G"]: {"Gender": HOSTILE_GENDER},  # not a score input: G stays in segment 3
        },
    )
    second = run_dbt(folder, october, "build", *MAIN_JOB, extra_vars={"as_of": "2026-10-31"})
    assert second.result.returncode == 0, second.output
    moves = {
        picks["A"]: (1, 5),
        picks["B"]: (5, 1),
        picks["C"]: (2, 4),
        picks["D"]: (4, 2),
        picks["E"]: (3, None),
        NEWCOMER_ID: (None, 3),
    }
    return History(
        first=first,
        second=second,
        first_segments=first_segments,
        first_migration_rows=first_migration_rows,
        first_report=first_report.read_text(encoding="utf-8"),
        moves=moves,
    )


def expected_matrix(history: History) -> dict[tuple[int | None, int | None], int]:
    """Every cell of the matrix: unmoved customers on the diagonal, the crafted moves elsewhere."""
    sizes = Counter(history.first_segments.values())
    ranks = sorted(sizes)
    cells: dict[tuple[int | None, int | None], int] = {
        (from_rank, to_rank): 0 for from_rank in [*ranks, None] for to_rank in [*ranks, None]
    }
    del cells[(None, None)]
    for rank in ranks:
        cells[(rank, rank)] = sizes[rank]
    for from_rank, to_rank in history.moves.values():
        if from_rank is not None:
            cells[(from_rank, from_rank)] -= 1
        cells[(from_rank, to_rank)] += 1
    return cells


def test_first_build_has_no_earlier_run_to_compare(history: History):
    assert history.first_migration_rows == 0
    [(snapshots, customers)] = history.second.query(
        "select count(distinct snapshot_as_of), "
        "count(*) filter (where snapshot_as_of = '2026-09-30') from customer_segments_snapshot"
    )
    assert (snapshots, customers) == (2, 600)


def test_crafted_customers_land_in_the_predicted_segments(history: History):
    second_segments = dict(
        history.second.query("select customer_id, segment_rank from customer_segments")
    )
    for customer, (_, to_rank) in history.moves.items():
        assert second_segments.get(customer) == to_rank, customer
    unmoved = {c: r for c, r in history.first_segments.items() if c not in history.moves}
    assert {c: second_segments[c] for c in unmoved} == unmoved


def test_migration_matrix_counts_exactly_the_crafted_moves(history: History):
    rows = history.second.query(
        "select from_segment_rank, to_segment_rank, customer_count from segment_migrations"
    )
    assert {(f, t): n for f, t, n in rows} == expected_matrix(history)


def test_migration_rates_are_shares_of_the_from_segment(history: History):
    sizes = Counter(history.first_segments.values())
    rows = history.second.query(
        """
        select
            from_segment_rank, to_segment_rank, transition_rate, migration_type,
            from_as_of, to_as_of
        from segment_migrations
        where from_segment_rank = 1 and to_segment_rank in (1, 5)
        order by to_segment_rank
        """
    )
    (_, _, stayed_rate, stayed, from_as_of, to_as_of), (_, _, moved_rate, downgraded, _, _) = rows
    assert stayed_rate == pytest.approx((sizes[1] - 1) / sizes[1])
    assert moved_rate == pytest.approx(1 / sizes[1])
    assert (stayed, downgraded) == ("stayed", "downgraded")
    assert (str(from_as_of), str(to_as_of)) == ("2026-09-30 00:00:00", "2026-10-31 00:00:00")


def test_first_report_says_there_is_no_earlier_run(history: History):
    assert 'id="no-earlier-run"' in history.first_report
    assert "No earlier run to compare" in history.first_report
    assert 'id="segment-migration"' not in history.first_report  # no empty chart


def test_report_shows_the_migration_heatmap_and_the_fairness_view(history: History, tmp_path):
    out = tmp_path / "report.html"
    assert write_report(["--db", str(history.second.db_path), "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    for chart in ("segment-migration", "fairness-impact-ratios"):
        assert f'id="{chart}"' in page
    assert "From the run of 2026-09-30 to that of 2026-10-31" in page
    assert "No earlier run to compare" not in page
    # 4 crafted moves between segments, 1 new, 1 left: the summary line counts them
    assert "2 upgraded, 2 downgraded, 1 new, 1 left" in page
    # category text from the input is escaped in tables and JSON-encoded in the charts
    assert HOSTILE_GENDER not in page
    assert "&lt;script&gt;alert(&#39;gender&#39;)&lt;/script&gt;" in page  # Jinja2's escaping


def test_an_earlier_as_of_stops_before_the_snapshot_and_leaves_the_matrix(
    history: History, tmp_path
):
    # a third build dated before the latest snapshot, on a copy of the warehouse: history is
    # recorded forward only
    shutil.copy(history.second.db_path, tmp_path / "warehouse.duckdb")
    september = history.second.db_path.parent / "september.csv"
    late = run_dbt(tmp_path, september, "build", *MAIN_JOB, extra_vars={"as_of": "2026-08-31"})
    assert late.result.returncode != 0
    assert "var as_of (2026-08-31 00:00:00) is earlier than the latest snapshot" in late.output
    assert late.query(
        "select count(*) from customer_segments_snapshot where snapshot_as_of = '2026-08-31'"
    ) == [(0,)]
    rows = late.query("select from_as_of, to_as_of from segment_migrations limit 1")
    assert [tuple(map(str, row)) for row in rows] == [
        ("2026-09-30 00:00:00", "2026-10-31 00:00:00")
    ]


def test_a_malformed_as_of_stops_with_a_message(tmp_path, generated_csv):
    run = run_dbt(tmp_path, generated_csv, "parse", extra_vars={"as_of": "October"})
    assert run.result.returncode != 0
    assert "var as_of must be a date or timestamp such as 2026-10-31" in run.output


def test_row_number_ids_match_only_within_the_same_file(tmp_path):
    first_file = write_sample(SampleSpec(rows=300, seed=31), tmp_path / "a.csv")
    other_file = write_sample(SampleSpec(rows=300, seed=32), tmp_path / "b.csv")
    # the periods of the history fixture's builds: vars already parsed in this session
    for as_of, path in (("2026-08-31", first_file), ("2026-09-30", first_file)):
        run = run_dbt(tmp_path, path, "build", *MAIN_JOB, extra_vars={"as_of": as_of})
        assert run.result.returncode == 0, run.output
    # the same file twice: every row-<n> is the same customer, nobody moves
    assert run.query(
        "select sum(customer_count) filter (where migration_type = 'stayed'), "
        "sum(customer_count) filter (where migration_type != 'stayed') from segment_migrations"
    ) == [(300, 0)]
    run = run_dbt(tmp_path, other_file, "build", *MAIN_JOB, extra_vars={"as_of": "2026-10-31"})
    assert run.result.returncode == 0, run.output
    # another file without ids: row 17 is someone else, so all 300 left and 300 are new
    totals = dict(
        run.query("select migration_type, sum(customer_count) from segment_migrations group by 1")
    )
    assert totals == {"left": 300, "new": 300, "stayed": 0, "upgraded": 0, "downgraded": 0}

    # an ad-hoc build (no as_of) on yet another file records no history: the matrix stays
    snapshot_rows = run.query("select count(*) from customer_segments_snapshot")
    ad_hoc = run_dbt(tmp_path, first_file, "build", *MAIN_JOB)
    assert ad_hoc.result.returncode == 0, ad_hoc.output
    assert ad_hoc.query("select count(*) from customer_segments_snapshot") == snapshot_rows
    assert (
        dict(
            ad_hoc.query(
                "select migration_type, sum(customer_count) from segment_migrations group by 1"
            )
        )
        == totals
    )


def test_fresh_warehouse_build_keeps_an_empty_matrix(empty_build: DbtRun):
    assert empty_build.query("select count(*) from segment_migrations") == [(0,)]
    assert empty_build.query("select count(*) from customer_segments_snapshot") == [(0,)]
