"""Project conventions, checked over dbt's own artifacts so they hold for every model, now and later.

One build on a generated file with a few bad rows (so every mart has rows), then `dbt docs
generate`, whose manifest.json (what the YAML declares) and catalog.json (what the warehouse
holds) the tests compare. Nothing here lists models by name: a new model is checked the day it
lands.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
import yaml

from credit_segments.sample_data import SampleSpec, write_sample
from support.dbt import MAIN_JOB, PROJECT_DIR, DbtRun, run_dbt

pytestmark = pytest.mark.dbt

PACKAGE = "credit_segments"
REPORT_PACKAGE = PROJECT_DIR / "python" / "credit_segments" / "report"
README = PROJECT_DIR / "README.md"
BAD_ROWS = 4  # of 400: under max_rejected_share, so the build passes with rejected rows


@dataclass(frozen=True)
class Artifacts:
    """dbt's view of the project after a build and `dbt docs generate`."""

    manifest: dict
    catalog: dict
    run: DbtRun

    def nodes(self, resource_type: str) -> list[dict]:
        return [
            node
            for node in self.manifest["nodes"].values()
            if node["resource_type"] == resource_type and node["package_name"] == PACKAGE
        ]


def _input_with_bad_rows(path: Path) -> Path:
    """Generated customers whose first rows lack Payment History, a required score input."""
    write_sample(SampleSpec(rows=400, seed=11, with_customer_id=True), path)
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows[:BAD_ROWS]:
        row["Payment History"] = ""
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Artifacts:
    workdir = tmp_path_factory.mktemp("conventions")
    input_path = _input_with_bad_rows(workdir / "customers.csv")
    build = run_dbt(workdir, input_path, "build", *MAIN_JOB)
    assert build.result.returncode == 0, build.output
    docs = run_dbt(workdir, input_path, "docs", "generate")
    assert docs.result.returncode == 0, docs.output
    target = workdir / "target"
    return Artifacts(
        manifest=json.loads((target / "manifest.json").read_text()),
        catalog=json.loads((target / "catalog.json").read_text()),
        run=docs,
    )


def _documented_columns(node: dict) -> dict[str, str]:
    return {
        name.lower(): (column.get("description") or "").strip()
        for name, column in node["columns"].items()
    }


def _catalog_entries(artifacts: Artifacts) -> list[tuple[dict, dict]]:
    """(manifest node, catalog entry) for every model, seed and source the warehouse holds."""
    declared = {**artifacts.manifest["nodes"], **artifacts.manifest["sources"]}
    entries = {**artifacts.catalog["nodes"], **artifacts.catalog["sources"]}
    return [
        (declared[unique_id], entry)
        for unique_id, entry in entries.items()
        if unique_id in declared and declared[unique_id]["package_name"] == PACKAGE
    ]


def test_every_model_says_its_grain_first(artifacts: Artifacts):
    models = artifacts.nodes("model")
    assert models
    undocumented = [
        model["name"]
        for model in models
        if not (model.get("description") or "").strip().startswith("One row")
    ]
    assert undocumented == [], "model descriptions must start with their grain ('One row per ...')"


def test_every_column_in_the_warehouse_is_documented(artifacts: Artifacts):
    entries = _catalog_entries(artifacts)
    assert {node["resource_type"] for node, _ in entries} >= {"model", "seed", "source"}
    missing = []
    for node, entry in entries:
        documented = _documented_columns(node)
        missing += [
            f"{node['name']}.{column}"
            for column in entry["columns"]
            if not documented.get(column.lower())
        ]
    assert missing == [], "columns without a description in the YAML next to their model"


def test_every_documented_column_exists_in_the_warehouse(artifacts: Artifacts):
    stale = []
    for node, entry in _catalog_entries(artifacts):
        built = {column.lower() for column in entry["columns"]}
        stale += [
            f"{node['name']}.{column}"
            for column in _documented_columns(node)
            if column not in built
        ]
    assert stale == [], "YAML documents columns the model does not produce"


def test_every_sql_mart_has_an_enforced_contract_with_typed_columns(artifacts: Artifacts):
    marts = [
        model
        for model in artifacts.nodes("model")
        if model["fqn"][1] == "marts" and model["language"] == "sql"
    ]
    assert marts
    for mart in marts:
        assert mart["config"]["contract"]["enforced"], f"{mart['name']}: contract not enforced"
        untyped = [name for name, column in mart["columns"].items() if not column.get("data_type")]
        assert untyped == [], f"{mart['name']}: columns without data_type"


def test_every_table_mart_is_written_in_a_defined_order(artifacts: Artifacts):
    """An export of a mart with no ORDER BY is the same bytes on every build (rank, then key)."""
    tables = [
        model
        for model in artifacts.nodes("model")
        if model["fqn"][1] == "marts"
        and model["language"] == "sql"
        and model["config"]["materialized"] == "table"
    ]
    assert tables
    unordered = [
        model["name"]
        for model in tables
        if not re.search(r"\border\s+by\b[^()]*$", model["raw_code"].strip(), re.IGNORECASE)
    ]
    assert unordered == [], "marts whose final select has no ORDER BY"


def test_every_mart_waits_for_the_quality_gate(artifacts: Artifacts):
    """A build the gate stops publishes no mart and no snapshot: each has the gate upstream."""
    nodes = artifacts.manifest["nodes"]
    gate = next(uid for uid, node in nodes.items() if node["name"] == "int_customers__quality_gate")

    def upstream(uid: str, seen: set[str]) -> set[str]:
        for parent in nodes.get(uid, {}).get("depends_on", {}).get("nodes", []):
            if parent not in seen:
                seen.add(parent)
                upstream(parent, seen)
        return seen

    published = [
        node
        for node in nodes.values()
        if node["package_name"] == PACKAGE
        and (node["resource_type"] == "snapshot" or node["fqn"][1:2] == ["marts"])
        and node["resource_type"] in ("model", "snapshot")
    ]
    assert published
    early = [node["name"] for node in published if gate not in upstream(node["unique_id"], set())]
    assert early == [], "marts that a failed quality gate would still rebuild"


def _enforced_table_marts(artifacts: Artifacts) -> list[dict]:
    return [
        model
        for model in artifacts.nodes("model")
        if model["config"]["contract"]["enforced"] and model["config"]["materialized"] == "table"
    ]


def test_a_rule_a_constraint_enforces_is_not_also_a_data_test(artifacts: Artifacts):
    """DuckDB checks not_null and primary keys while it writes the table: a data test of the same
    rule would scan the table again on every build for nothing."""
    marts = {mart["unique_id"]: mart for mart in _enforced_table_marts(artifacts)}
    duplicated = []
    for test in artifacts.nodes("test"):
        name = test.get("test_metadata", {}).get("name")
        mart = marts.get(test.get("attached_node"))
        if mart is None or name not in ("not_null", "unique"):
            continue
        column = mart["columns"].get(test["column_name"], {})
        kinds = {constraint["type"] for constraint in column.get("constraints", [])}
        if "primary_key" in kinds or (name == "not_null" and "not_null" in kinds):
            duplicated.append(f"{name} on {mart['name']}.{test['column_name']}")
    assert duplicated == []


def test_the_warehouse_enforces_every_declared_constraint(artifacts: Artifacts):
    """Each not_null, check and primary key the YAML declares on a table mart is in DuckDB's
    catalog, so it holds for every row written, not only when a test looks."""
    declared = set()
    for mart in _enforced_table_marts(artifacts):
        for name, column in mart["columns"].items():
            for constraint in column.get("constraints", []):
                if constraint["type"] in ("not_null", "primary_key"):
                    declared.add((mart["name"], "NOT NULL", (name,)))
                elif constraint["type"] == "check":
                    declared.add((mart["name"], "CHECK", (name,)))
        for constraint in mart.get("constraints", []):
            if constraint["type"] == "primary_key":
                declared.add((mart["name"], "PRIMARY KEY", tuple(constraint["columns"])))
    assert declared
    enforced = set()
    for table, kind, columns in artifacts.run.query(
        "select table_name, constraint_type, constraint_column_names "
        "from duckdb_constraints() where schema_name = 'main'"
    ):
        if kind == "CHECK":
            # DuckDB lists every column a check's expression reads (a = b names two)
            enforced.update((table, kind, (column,)) for column in columns)
        else:
            enforced.add((table, kind, tuple(columns)))
    assert declared - enforced == set()


def test_report_exposure_declares_every_table_the_report_reads(artifacts: Artifacts):
    [exposure] = [
        e for e in artifacts.manifest["exposures"].values() if e["package_name"] == PACKAGE
    ]
    resources = {**artifacts.manifest["nodes"], **artifacts.manifest["sources"]}
    declared = {resources[uid]["name"] for uid in exposure["depends_on"]["nodes"]}
    models = {model["name"] for model in artifacts.nodes("model")}
    source = "\n".join(path.read_text() for path in sorted(REPORT_PACKAGE.glob("*.py")))
    read = set(re.findall(r"\b(?:from|join)\s+([a-z_][a-z0-9_]*)", source))
    read_models = read & models
    assert read_models, "found no table the report reads"
    assert read_models <= declared, f"the report reads undeclared models: {read_models - declared}"
    # of the models, only marts; besides them the build log, a source the hooks write
    assert all(
        resources[uid]["fqn"][1] == "marts"
        for uid in exposure["depends_on"]["nodes"]
        if uid.startswith("model.")
    )
    assert "build_log" in declared


def test_every_analysis_compiles_and_returns_rows(artifacts: Artifacts):
    analyses = artifacts.nodes("analysis")
    assert analyses, "analyses/ holds no example query"
    with duckdb.connect(str(artifacts.run.db_path), read_only=True) as con:
        for analysis in analyses:
            sql = analysis.get("compiled_code")
            assert sql, f"{analysis['name']} did not compile"
            rows = con.execute(sql).fetchall()
            assert rows, f"{analysis['name']} returns no row on a warehouse with every mart filled"


def test_readme_shows_every_example_query():
    readme = README.read_text()
    for query in sorted((PROJECT_DIR / "analyses").glob("*.sql")):
        assert f"analyses/{query.name}" in readme, f"README does not show analyses/{query.name}"


def _readme_rows() -> dict[str, str]:
    """The README's table rows, keyed by each back-quoted name in their first cell."""
    rows = {}
    for line in README.read_text().splitlines():
        if line.startswith("|"):
            first_cell = line.split("|")[1]
            for name in re.findall(r"`([^`]+)`", first_cell):
                rows[name] = line
    return rows


def test_readme_documents_every_var_with_its_default():
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    rows = _readme_rows()
    for name, default in project["vars"].items():
        assert name in rows, f"var {name} is missing from README's configuration table"
        values = default.items() if isinstance(default, dict) else [(None, default)]
        if isinstance(default, list):  # a list of named entries (score_factors): their names
            values = [(None, entry["name"]) for entry in default]
        for key, value in values:
            assert str(value) in rows[name], f"README gives no default {value} for var {name}"
            if key is not None:
                assert str(key) in rows[name], f"README does not name {name}.{key}"


def test_readme_sql_examples_run_on_the_warehouse(artifacts: Artifacts):
    blocks = re.findall(r"```sql\n(.*?)```", README.read_text(), flags=re.DOTALL)
    assert blocks, "README shows no SQL example"
    with duckdb.connect(str(artifacts.run.db_path), read_only=True) as con:
        for sql in blocks:
            assert con.execute(sql).fetchall(), f"README example returns no row:\n{sql}"
