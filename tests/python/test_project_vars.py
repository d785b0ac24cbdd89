"""Every project var is checked before any model runs, and no var's text becomes SQL.

The rules (macro project_var_rules) are tried on many cases in one `dbt run-operation
print_var_problems`: --args, unlike --vars, does not make dbt re-parse the project, so one dbt start
covers them all. Each case sets a few vars over the project's values and gets back its problems,
one line each. End-to-end runs of the build command are in test_structural_errors.py.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess

import duckdb
import pytest
import yaml

from support.dbt import DBT, PROJECT_DIR

pytestmark = pytest.mark.dbt

PROJECT_VARS = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
FACTORS = PROJECT_VARS["score_factors"]


def factors_with(name: str, /, **changes) -> list[dict]:
    """The project's score factors with one factor's keys changed (None drops the key)."""
    changed = []
    for factor in FACTORS:
        if factor["name"] == name:
            factor = {k: v for k, v in {**factor, **changes}.items() if v is not None}
        changed.append(factor)
    return changed


def weighted(*weights: float) -> list[dict]:
    return [{**factor, "weight": w} for factor, w in zip(FACTORS, weights, strict=True)]


def weighted_first(*weights: float) -> list[dict]:
    """The first len(weights) default factors, with these weights."""
    return weighted(*weights, *[0.0] * (len(FACTORS) - len(weights)))[: len(weights)]


LOAN_TERM = {"name": "loan_term", "column": "loan_term_months", "domain": [12, 60], "best": "low",
             "weight": 0.05, "reason_code": "R06", "reason_text": "Long loan term"}  # fmt: skip
UTC_EVENING = dt.datetime(2026, 9, 30, 18, tzinfo=dt.UTC)

# (vars set over the project's, the var blamed, what the one line must say besides its name)
BAD = [
    ({"input_path": 3}, "input_path", ["a file path", "got 3."]),
    ({"input_path": " "}, "input_path", ["a file path", "got ' '."]),
    ({"score_method": "FICO"}, "score_method", ["'fico' or 'seed'", "got 'FICO'."]),
    ({"score_factors": {"payment_history": 1}}, "score_factors",
     ["must be a list of factors, each a mapping of name, column, domain", "got {'payment_history': 1}."]),
    ({"score_factors": []}, "score_factors", ["must be a list of factors", "got []."]),
    ({"score_factors": factors_with("payment_history", weight=1.2)},
     "score_factors.payment_history.weight", ["a number from 0 to 1", "got 1.2."]),
    ({"score_factors": factors_with("education", weight="0.1")},
     "score_factors.education.weight", ["a number from 0 to 1", "got '0.1' (text, not a number: write it as 0.1)."]),
    ({"score_factors": factors_with("payment_history", weight=0.5)},
     "score_factors", ["the weights must sum to 1; they sum to 1.15"]),
    ({"score_factors": weighted(0.3333333, 0.3333333, 0.3333334, 0, 0)}, "score_factors", ["add up to 549.99, not 550"]),
    ({"score_factors": factors_with("credit_accounts", reason_code=None)}, "score_factors.credit_accounts",
     ["must have the keys name, column, domain, best, weight, reason_code, reason_text (a linear factor); missing: reason_code."]),
    ({"score_factors": factors_with("education", weight=None, wieght=0.1)}, "score_factors.education",
     ["(a category); missing: weight; unknown: wieght."]),
    ({"score_factors": factors_with("payment_history", name="Payment History")}, "score_factors[1].name",
     ["a lowercase identifier", "got 'Payment History'."]),
    ({"score_factors": factors_with("employment", name="base")}, "score_factors[5].name", ["other than base", "got 'base'."]),
    ({"score_factors": [*FACTORS, {**FACTORS[0], "reason_code": "R09"}]}, "score_factors.payment_history.name",
     ["must differ from every other factor's; 'payment_history' is given twice."]),
    ({"score_factors": factors_with("education", reason_code="R01")}, "score_factors.education.reason_code",
     ["'R01' is given twice."]),
    ({"score_factors": factors_with("payment_history", column="payment_history; drop table x")},
     "score_factors.payment_history.column",
     ["must name an input column of int_customers__validated", "got 'payment_history; drop table x'."]),
    ({"score_factors": factors_with("payment_history", column="loan_term")}, "score_factors.payment_history.column",
     ["must name an input column of int_customers__validated", "got 'loan_term'."]),
    ({"score_factors": factors_with("payment_history", column="raw_payment_history")},
     "score_factors.payment_history.column", ["that int_customers__scored carries; got 'raw_payment_history'."]),
    ({"score_factors": factors_with("education", code_column=None)},
     "score_factors.education", ["missing: code_column."]),
    ({"score_factors": factors_with("education", factor_column="educaton_factor")},
     "score_factors.education.factor_column", ["got 'educaton_factor'."]),
    ({"score_factors": factors_with("payment_history", domain=[0, "payment_history_maximum"])},
     "score_factors.payment_history.domain",
     ["[lowest, highest], each a number or the name of a numeric var", "got [0, 'payment_history_maximum']."]),
    ({"score_factors": factors_with("payment_history", domain=[0, float("inf")])},
     "score_factors.payment_history.domain", ["got [0, inf]."]),
    ({"score_factors": factors_with("credit_accounts", domain=[10, 1])}, "score_factors.credit_accounts.domain",
     ["must run from low to high; got [10, 1]."]),
    ({"score_factors": factors_with("credit_accounts", domain=["payment_history_max", 100])},
     "score_factors.credit_accounts.domain", ["must run from low to high; got ['payment_history_max', 100] (2857, 100)."]),
    ({"score_factors": factors_with("payment_history", best="highest")}, "score_factors.payment_history.best",
     ["'high' or 'low'", "got 'highest'."]),
    ({"score_factors": factors_with("employment", reason_text=" ")}, "score_factors.employment.reason_text",
     ["must be text", "got ' '."]),
    ({"segment_count": 1}, "segment_count", ["a whole number from 2 to 20", "got 1."]),
    ({"segment_count": 2.5}, "segment_count", ["a whole number from 2 to 20", "got 2.5."]),
    ({"segment_count": True}, "segment_count", ["a whole number from 2 to 20", "got true."]),
    ({"segment_count": "5"}, "segment_count", ["got '5' (text, not a number: write it as 5)."]),
    ({"segmentation_features": "pca"}, "segmentation_features", ["'score' or 'factors'", "got 'pca'."]),
    ({"factor_kmeans_n_init": 0}, "factor_kmeans_n_init", ["a whole number of at least 1", "got 0."]),
    ({"reason_code_limit": 0}, "reason_code_limit", ["a whole number from 1 to 4", "got 0."]),
    ({"reason_code_limit": 5}, "reason_code_limit", ["a whole number from 1 to 4", "got 5."]),
    (
        {
            "score_factors": weighted_first(0.5, 0.3, 0.2),
            "reason_code_limit": 4,
        },
        "reason_code_limit",
        ["at most the number of score factors, 3", "got 4."],
    ),
    ({"quality_k_min": 1}, "quality_k_min", ["a whole number of at least 2", "got 1."]),
    ({"quality_k_max": 1.5}, "quality_k_max", ["a whole number of at least 2", "got 1.5."]),
    ({"quality_k_min": 6, "quality_k_max": 5}, "quality_k_min", ["at most quality_k_max = 5", "got 6."]),
    ({"quality_random_seed": -1}, "quality_random_seed", ["a whole number from 0 to 4294967295", "got -1."]),
    ({"quality_random_seed": 2**32}, "quality_random_seed", ["from 0 to 4294967295", "got 4294967296."]),
    ({"silhouette_sample_size": 2}, "silhouette_sample_size", ["a whole number of at least 3", "got 2."]),
    ({"stability_bootstrap_count": 0}, "stability_bootstrap_count", ["a whole number of at least 1", "got 0."]),
    ({"payment_history_max": 0}, "payment_history_max", ["a positive number", "got 0."]),
    ({"payment_history_max": "1e3"}, "payment_history_max",
     ["a positive number", "got '1e3' (text, not a number: write it as 1000.0)."]),
    ({"payment_history_max": float("nan")}, "payment_history_max", ["a positive number", "got nan."]),
    ({"credit_utilization_scale": 0}, "credit_utilization_scale", ["a positive number", "got 0."]),
    ({"credit_utilization_scale": "abc"}, "credit_utilization_scale", ["a positive number", "got 'abc'."]),
    ({"credit_utilization_scale": float("inf")}, "credit_utilization_scale", ["a positive number", "got inf."]),
    ({"credit_utilization_scale": -100}, "credit_utilization_scale", ["a positive number", "got -100."]),
    ({"age_min": -1}, "age_min", ["a number of at least 0", "got -1."]),
    ({"age_max": "120"}, "age_max", ["a number of at least 0", "got '120' (text, not a number: write it as 120.0)."]),
    ({"age_min": 50, "age_max": 40}, "age_min", ["below age_max = 40", "got 50."]),
    ({"age_min": 40, "age_max": 40}, "age_min", ["below age_max = 40", "got 40."]),
    ({"max_rejected_share": 1.5}, "max_rejected_share", ["a number from 0 to 1", "got 1.5."]),
    ({"max_rejected_share": None}, "max_rejected_share", ["a number from 0 to 1", "got null."]),
    ({"fairness_favourable_max_rank": 0}, "fairness_favourable_max_rank", ["a whole number of at least 1", "got 0."]),
    ({"fairness_favourable_max_rank": 5}, "fairness_favourable_max_rank",
     ["at most segment_count - 1 = 4", "got 5."]),
    ({"segment_count": 3, "fairness_favourable_max_rank": 3}, "fairness_favourable_max_rank",
     ["at most segment_count - 1 = 2", "got 3. Set both, e.g. --vars '{segment_count: 3, fairness_favourable_max_rank: 2}'."]),
    ({"adverse_impact_threshold": 0}, "adverse_impact_threshold", ["a number above 0 and at most 1", "got 0."]),
    ({"adverse_impact_threshold": 1.2}, "adverse_impact_threshold", ["a number above 0 and at most 1", "got 1.2."]),
    ({"score_bin_width": 0}, "score_bin_width", ["a positive number", "got 0."]),
    ({"loan_amount_bin_count": 2.5}, "loan_amount_bin_count", ["a whole number of at least 1", "got 2.5."]),
    ({"loan_amount_bin_count": 0}, "loan_amount_bin_count", ["a whole number of at least 1", "got 0."]),
    ({"as_of": "October"}, "as_of", ["a date or timestamp such as 2026-10-31", "got 'October'."]),
    ({"as_of": "2026-02-30"}, "as_of", ["got '2026-02-30' (no such date or time)."]),
    ({"as_of": "2026-10-31 24:00"}, "as_of", ["got '2026-10-31 24:00' (no such date or time)."]),
    ({"as_of": "2026-10-31'; drop table x; --"}, "as_of", ["got '2026-10-31'; drop table x; --'."]),
    ({"as_of": UTC_EVENING}, "as_of", ["got 2026-09-30 18:00:00+00:00 (drop the time zone"]),
    ({"as_of": 20260930}, "as_of", ["got 20260930."]),
    ({"as_of": True}, "as_of", ["got true."]),
]  # fmt: skip

GOOD = [
    {},
    {"segment_count": 2, "fairness_favourable_max_rank": 1},
    {"segment_count": 20, "fairness_favourable_max_rank": 19},
    {"segment_count": 5.0, "reason_code_limit": 4, "quality_k_min": 4, "quality_k_max": 4},
    {"score_method": "seed", "segmentation_features": "factors"},
    {"score_factors": weighted(0.5, 0.5, 0, 0, 0)},
    {"score_factors": [*weighted(0.35, 0.3, 0.1, 0.1, 0.1), LOAN_TERM], "reason_code_limit": 4},
    {"score_factors": factors_with("credit_accounts", domain=[0.5, 10.5], best="low"), "payment_history_max": 9},
    {"quality_random_seed": 0, "silhouette_sample_size": 3, "stability_bootstrap_count": 1},
    {"quality_random_seed": 2**32 - 1, "factor_kmeans_n_init": 1},
    {"payment_history_max": 100.5, "credit_utilization_scale": 100},
    {"age_min": 0, "age_max": 0.5},
    {"max_rejected_share": 0, "adverse_impact_threshold": 1},
    {"max_rejected_share": 1, "adverse_impact_threshold": 0.01},
    {"score_bin_width": 0.5, "loan_amount_bin_count": 1},
    {"input_path": "exports/o'brien 2026-10.csv"},
    {"as_of": None},
    {"as_of": ""},
    {"as_of": dt.date(2026, 9, 30)},
    {"as_of": dt.datetime(2026, 9, 30, 18, 0, 0, 500000)},
    {"as_of": "2024-02-29"},
    {"as_of": "2026-10-31 18:00:00"},
    {"as_of": "2026-10-31T18:00"},
    {"as_of": "9999-12-31 23:59:59.999999"},
]  # fmt: skip
ACCEPTED_AS_OF_TEXT = [
    "2024-02-29",
    "2026-10-31 18:00:00",
    "2026-10-31T18:00",
    "9999-12-31 23:59:59.999999",
]


@pytest.fixture(scope="module")
def problems(tmp_path_factory: pytest.TempPathFactory) -> list[list[str]]:
    """Each case's problems, BAD cases first, then GOOD ones, from one dbt run-operation."""
    workdir = tmp_path_factory.mktemp("vars")
    cases = [case for case, _, _ in BAD] + GOOD
    # YAML, not JSON, so dates and datetimes reach dbt as YAML gives them from dbt_project.yml
    args = yaml.safe_dump({"cases": cases}, default_flow_style=True, width=10**6)
    result = subprocess.run(
        [str(DBT), "--quiet", "run-operation", "print_var_problems", "--args", args,
         "--target-path", str(workdir / "target"), "--log-path", str(workdir / "logs")],
        cwd=PROJECT_DIR,
        env={**os.environ, "DBT_PROFILES_DIR": str(PROJECT_DIR),
             "CREDIT_SEGMENTS_DB": str(workdir / "warehouse.duckdb")},
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    printed = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(printed["rules"]) == {*PROJECT_VARS, "input_path"}, "a var without a rule"
    assert len(printed["problems"]) == len(cases)
    return printed["problems"]


def test_every_var_has_a_bad_value_tested():
    assert {re.split(r"[.\[]", name)[0] for _, name, _ in BAD} == {*PROJECT_VARS, "input_path"}


@pytest.mark.parametrize(("index", "case"), list(enumerate(BAD)), ids=[str(c[0]) for c in BAD])
def test_a_bad_value_gives_one_line_naming_the_var_the_value_and_what_is_allowed(
    problems, index, case
):
    _, name, expected = case
    assert len(problems[index]) == 1, problems[index]
    line = problems[index][0]
    assert re.match(rf"var {re.escape(name)}( must|:)", line), line
    assert "\n" not in line
    for fragment in expected:
        assert fragment in line


@pytest.mark.parametrize(("index", "case"), list(enumerate(GOOD)), ids=[str(c) for c in GOOD])
def test_good_values_pass(problems, index, case):
    assert problems[len(BAD) + index] == []


@pytest.mark.parametrize("text", ACCEPTED_AS_OF_TEXT)
def test_accepted_as_of_text_casts_to_a_timestamp_in_duckdb(text):
    assert {"as_of": text} in GOOD
    with duckdb.connect() as con:
        assert con.execute(f"select cast('{text}' as timestamp)").fetchone()[0] is not None


def _is_python_config(line: str) -> bool:
    """A Python model's config entry: `segment_count: "{{ var('segment_count') | int }}"`."""
    entry = re.match(r"\s*(\w+): \"\{\{ var\('(\w+)'\)", line)
    return entry is not None and entry[1] in (entry[2], "enabled")


def test_no_var_text_reaches_sql_unchecked():
    """SQL gets vars through valid_var / sql_number (macros/valid_var.sql) only.

    YAML may still read a var in a Python model's config (a Python value, not SQL), but a test's
    arguments are pasted into SQL, so they use sql_number.
    """
    machinery = {"validate_project_vars.sql", "valid_var.sql", "input_path.sql"}
    raw_var = re.compile(r"(?<![\w.])var\(")
    offenders = []
    for folder in ("models", "macros", "tests", "snapshots", "analyses"):
        for path in sorted((PROJECT_DIR / folder).rglob("*")):
            if path.suffix == ".sql" and path.name not in machinery:
                offenders += [f"{path}: {line.strip()}" for line in path.read_text().splitlines()
                              if raw_var.search(line)]  # fmt: skip
            elif path.suffix == ".yml":
                offenders += [f"{path}: {line.strip()}" for line in path.read_text().splitlines()
                              if raw_var.search(line) and not _is_python_config(line)]  # fmt: skip
    assert offenders == []
