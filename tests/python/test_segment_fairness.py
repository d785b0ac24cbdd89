"""The fairness view on a built warehouse, checked against an independent pandas computation."""

from __future__ import annotations

import pandas as pd
import pytest

from support.dbt import DbtRun

pytestmark = pytest.mark.dbt

FAVOURABLE_MAX_RANK = 2  # dbt_project.yml default
AGE_EDGES = [18, 25, 35, 45, 55, 65, float("inf")]  # seeds/age_bands.csv
AGE_LABELS = ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"]


def customers(run: DbtRun) -> pd.DataFrame:
    rows = run.query(
        "select gender, marital_status, age_years, segment_rank from customer_segments"
    )
    frame = pd.DataFrame(rows, columns=["gender", "marital_status", "age_years", "segment_rank"])
    frame["age_band"] = pd.cut(frame.age_years, AGE_EDGES, right=False, labels=AGE_LABELS).astype(
        str
    )
    return frame


def expected_ratios(frame: pd.DataFrame, characteristic: str) -> dict[str, float]:
    favourable = (frame.segment_rank <= FAVOURABLE_MAX_RANK).groupby(frame[characteristic]).mean()
    return (favourable / favourable.max()).to_dict()


@pytest.mark.parametrize("characteristic", ["gender", "marital_status", "age_band"])
def test_impact_ratios_match_an_independent_computation(
    built_warehouse: DbtRun, characteristic: str
):
    rows = built_warehouse.query(
        f"""
        select group_value, adverse_impact_ratio, is_below_impact_threshold
        from segment_fairness
        where characteristic = '{characteristic}' and segment_rank = 1
        """
    )
    expected = expected_ratios(customers(built_warehouse), characteristic)
    assert {group: pytest.approx(ratio) for group, ratio, _ in rows} == expected
    assert {group: flagged for group, _, flagged in rows} == {
        g: r < 0.8 for g, r in expected.items()
    }


def test_each_groups_segment_shares_add_up_to_one(built_warehouse: DbtRun):
    rows = built_warehouse.query(
        "select characteristic, group_value, sum(share_of_group), sum(customer_count), "
        "any_value(group_customer_count) from segment_fairness group by all"
    )
    assert rows
    for _, _, share, counted, group_size in rows:
        assert share == pytest.approx(1.0)
        assert counted == group_size


def test_every_customer_is_in_one_group_per_characteristic(built_warehouse: DbtRun):
    [(segmented,)] = built_warehouse.query("select count(*) from customer_segments")
    totals = built_warehouse.query(
        "select characteristic, sum(customer_count) from segment_fairness group by 1"
    )
    assert dict(totals) == {"gender": segmented, "marital_status": segmented, "age_band": segmented}


def test_fairness_groups_hold_each_groups_row_of_segment_fairness_once(built_warehouse: DbtRun):
    group_columns = (
        "characteristic, characteristic_order, group_value, group_sort_order, "
        "group_customer_count, favourable_customer_count, favourable_rate, reference_group_value, "
        "adverse_impact_ratio, is_below_impact_threshold"
    )
    groups = built_warehouse.query(f"select {group_columns} from segment_fairness_groups")
    per_segment = built_warehouse.query(
        f"select {group_columns} from segment_fairness where segment_rank = 1"
    )
    assert groups == sorted(per_segment, key=lambda row: (row[1], row[3]))
    assert [row[0] for row in groups][:1] == ["gender"]  # in display order: gender first
