# Every task of the project. `make help` lists them.
#
# A value given to make (INPUT=..., VARS=..., on the command line or in the environment) is text,
# never code, whatever characters it holds: no recipe pastes one into a command line. Each goes
# to its program in the environment, as "$$NAME" in a recipe, which the shell expands without
# parsing it again; and make reads each with $(value ...), which runs no make function in it.
override SHELL := /bin/bash
override .SHELLFLAGS := -c
.DEFAULT_GOAL := help

# make exports a variable set on its command line to every recipe, expanding it first, so a
# `$(shell ...)` in one would run even when no recipe uses it: keep its value as written instead.
define as_text
$(eval override $(1) := $$(value $(1)))$(eval export $(1))
endef
$(foreach name,$(.VARIABLES),$(if $(filter command line,$(origin $(name))),$(call as_text,$(name))))
# The variables a user sets (`make help` lists them), likewise when they come from the environment
USER_VARIABLES := INPUT VARS REPORT Q CREDIT_SEGMENTS_DB CHROMIUM PYTHON BENCH_LARGE
$(foreach name,$(USER_VARIABLES),$(if $(filter environment%,$(origin $(name))),$(call as_text,$(name))))

override DEFAULT_INPUT := data/credit_scoring_sample.csv
INPUT ?= $(DEFAULT_INPUT)
VARS ?=
REPORT ?= reports/credit_segments.html
Q ?= segment_overview
PYTHON ?= python3.11
# The profile's own default, as written: an absolute path here would make every plain `dbt` command
# after a make one re-parse the whole project (dbt keys its saved parse on the rendered profile).
CREDIT_SEGMENTS_DB ?= credit_segments.duckdb
# The report's browser test drives this Chromium (Debian's package), never a downloaded one.
CHROMIUM ?= /usr/bin/chromium
# Recipes read these as "$$INPUT", "$$VARS", ... (the CLI's --input= and --vars=, and so on).
export INPUT VARS REPORT Q PYTHON CREDIT_SEGMENTS_DB CHROMIUM
# The input file reaches dbt in the environment, not as a var, so a new file keeps dbt's partial parse.
export CREDIT_SEGMENTS_INPUT := $(INPUT)
export DBT_PROFILES_DIR := $(CURDIR)

# Fixed: `override` ignores a value given on the command line. Relative paths, since recipes run
# in this directory, so the checkout's own path never reaches a shell either.
override VENV := .venv
override BIN := $(VENV)/bin
override INSTALLED := $(VENV)/.installed
override DBT := $(BIN)/dbt
override BUILD = $(BIN)/python -m credit_segments.cli build --input="$$INPUT" --vars="$$VARS"
# Lint and parse compile the project without touching the warehouse, so they run beside a build.
override LINT_ENV := CREDIT_SEGMENTS_DB=:memory:
override SQL_DIRS := models tests analyses
override PY_DIRS := python tests

.PHONY: help install install-spark java run build report test test-unit lint fix browser sample docs show bench clean

help: ## List every task
	@grep -E '^[a-zA-Z_-]+:.*## ' Makefile | awk 'BEGIN {FS = ":.*## "} {printf "  make %-10s %s\n", $$1, $$2}'
	@echo "  Variables: INPUT=path/to/file.csv|.parquet (default $(DEFAULT_INPUT)), VARS='{segment_count: 4}' (more dbt vars),"
	@echo "    CREDIT_SEGMENTS_DB, REPORT, Q, CHROMIUM, PYTHON, BENCH_LARGE. Each is taken as plain text, never run."

$(INSTALLED): pyproject.toml
	@command -v "$$PYTHON" >/dev/null || { echo "error: $$PYTHON not found; install Python 3.11 or run make PYTHON=/path/to/python3.11"; exit 1; }
	"$$PYTHON" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(INSTALLED) ## Create .venv and install the pinned dependencies

# The Spark target's extra packages (pyspark, dbt-spark), kept out of the default install.
override INSTALLED_SPARK := $(VENV)/.installed-spark
$(INSTALLED_SPARK): pyproject.toml $(INSTALLED)
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	@touch $@

install-spark: $(INSTALLED_SPARK) java ## Add the Spark target to .venv (pyspark, dbt-spark; Java 17): dbt --target spark

java: ## Install Debian's OpenJDK 17 for the Spark target, when no Java 17+ is on PATH
	@version="$$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)"; \
	if [ -n "$$version" ] && [ "$$version" -ge 17 ]; then \
		echo "java $$version found"; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "installing openjdk-17-jre-headless (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless; \
	elif command -v sudo >/dev/null; then \
		echo "installing openjdk-17-jre-headless (sudo apt-get)"; \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless; \
	else \
		echo "error: Spark needs Java 17 or later (found: $${version:-none}). Run: apt-get install openjdk-17-jre-headless"; \
		exit 1; \
	fi

run: build report ## Score and segment INPUT, then write the report (the main job)

build: $(INSTALLED) ## dbt build on INPUT: seeds, models and data tests (one-line errors)
	@$(BUILD)

report: $(INSTALLED) ## Write the HTML report from the warehouse
	$(BIN)/python -m credit_segments.report --out="$$REPORT"

test: $(INSTALLED) lint browser ## Run every check: lint, then pytest (dbt builds, report in Chromium)
	$(BIN)/python -m pytest

test-unit: $(INSTALLED) ## Only the pure-logic tests (pytest -m unit): seconds, no dbt
	$(BIN)/python -m pytest -m unit

lint: $(INSTALLED) ## Lint SQL (sqlfluff) and Python (ruff); dbt parse must give no warning
	@echo "== sqlfluff lint $(SQL_DIRS)"
	$(LINT_ENV) $(BIN)/sqlfluff lint $(SQL_DIRS)
	@echo "== ruff"
	$(BIN)/ruff check $(PY_DIRS)
	$(BIN)/ruff format --check $(PY_DIRS)
	@echo "== dbt parse (any warning, deprecations included, is an error)"
	$(LINT_ENV) $(DBT) --warn-error parse --no-partial-parse

fix: $(INSTALLED) ## Rewrite SQL and Python to the lint rules (sqlfluff fix, ruff format)
	$(LINT_ENV) $(BIN)/sqlfluff fix $(SQL_DIRS)
	$(BIN)/ruff check --fix $(PY_DIRS)
	$(BIN)/ruff format $(PY_DIRS)

browser: ## Install Debian's chromium for the report's browser test, when missing
	@if [ -x "$$CHROMIUM" ]; then \
		echo "chromium found at $$CHROMIUM"; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "installing chromium (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; \
	elif command -v sudo >/dev/null; then \
		echo "installing chromium (sudo apt-get)"; \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; \
	else \
		echo "error: no Chromium at $$CHROMIUM. Install Debian's chromium package, or run make CHROMIUM=/path/to/chromium"; \
		exit 1; \
	fi

sample: $(INSTALLED) ## Regenerate the 1,000-row demo sample in data/
	$(BIN)/python -m credit_segments.sample_data --rows 1000 --seed 42 --out data/credit_scoring_sample.csv

docs: $(INSTALLED) ## Build the dbt docs site (builds the warehouse first if missing) and serve it on :8080
	@[ -f "$$CREDIT_SEGMENTS_DB" ] || $(BUILD)
	$(DBT) docs generate --static
	@echo "docs: target/static_index.html opens with no server; serving http://localhost:8080 (Ctrl-C stops)"
	$(DBT) docs serve --port 8080 --no-browser

show: $(INSTALLED) ## Run an example query from analyses/ on the warehouse (Q=segment_overview)
	$(DBT) show --select="$$Q" --limit 50

bench: $(INSTALLED) ## Benchmark the main job against the notebook pipeline (BENCH_LARGE=1 adds 1e8 rows)
	$(BIN)/python bench/run.py $(if $(BENCH_LARGE),--large)

clean: ## Remove generated files (warehouse, report, dbt target); keeps .venv
	rm -rf target logs reports/*.html reports/screenshots credit_segments.duckdb credit_segments.duckdb.wal
