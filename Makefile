# Every task of the project. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
INSTALLED := $(VENV)/.installed

INPUT ?= data/credit_scoring_sample.csv
REPORT ?= reports/credit_segments.html
export DBT_PROFILES_DIR := $(CURDIR)
export CREDIT_SEGMENTS_DB ?= $(CURDIR)/credit_segments.duckdb

DBT := $(BIN)/dbt
DBT_VARS := --vars '{"input_path": "$(INPUT)"}'

.PHONY: help install run build report test sample docs clean bench

help: ## List every task
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-10s %s\n", $$1, $$2}'
	@echo "  Variables: INPUT=path/to/file.csv|.parquet (default $(INPUT)), CREDIT_SEGMENTS_DB, REPORT"

$(INSTALLED): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or run make PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(INSTALLED) ## Create .venv and install the pinned dependencies

run: build report ## Score and segment INPUT, then write the report (the main job)

build: $(INSTALLED) ## dbt build on INPUT: seeds, models and data tests
	$(DBT) build $(DBT_VARS) --exclude-resource-type unit_test

report: $(INSTALLED) ## Write the HTML report from the warehouse
	$(BIN)/python -m credit_segments.report --out $(REPORT)

test: $(INSTALLED) ## Run every test
	$(BIN)/python -m pytest

sample: $(INSTALLED) ## Regenerate the 1,000-row demo sample in data/
	$(BIN)/python -m credit_segments.sample_data --rows 1000 --seed 42 --out data/credit_scoring_sample.csv

docs: $(INSTALLED) ## Build the dbt docs site and serve it on http://localhost:8080
	$(DBT) docs generate $(DBT_VARS)
	$(DBT) docs serve --port 8080

bench: $(INSTALLED) ## Benchmark the main job against the notebook pipeline (BENCH_LARGE=1 adds 1e8 rows)
	$(BIN)/python bench/run.py $(if $(BENCH_LARGE),--large)

clean: ## Remove generated files (warehouse, report, dbt target); keeps .venv
	rm -rf target logs reports/*.html credit_segments.duckdb credit_segments.duckdb.wal
