{#-
  (Re)creates the view raw.credit_customers over the file named by macro input_path(), the project's
  only source: over the file itself when it is a single Parquet file, else over a copy of it loaded
  into raw.credit_customers_loaded. Every column is exposed as text, so a bad value is quarantined
  downstream instead of failing the read. Structural problems stop the run here, with one message
  that names the fix.
-#}
{% macro create_raw_input_view() %}
  {%- if not execute -%}{{ return('') }}{%- endif -%}
  {%- set path = input_path() -%}
  {%- set quoted_path = sql_string(path) -%}
  {%- set fix = "Point INPUT (make run INPUT=..., or var input_path) at a file in the credit_scoring.csv schema." -%}

  {%- set lowered = path | lower -%}
  {%- if lowered.endswith('.csv') or lowered.endswith('.csv.gz') -%}
    {%- set reader = "read_csv(" ~ quoted_path ~ ", header = true, all_varchar = true)" -%}
  {%- elif lowered.endswith('.parquet') -%}
    {%- set reader = "read_parquet(" ~ quoted_path ~ ")" -%}
  {%- else -%}
    {{ exceptions.raise_compiler_error(
      "Input file '" ~ path ~ "' is not CSV or Parquet: the name must end in .csv, .csv.gz or .parquet. "
      ~ "Export the data as CSV or Parquet.") }}
  {%- endif -%}

  {%- set matches = run_query("select count(*) from glob(" ~ quoted_path ~ ")").columns[0].values()[0] -%}
  {%- if matches == 0 -%}
    {{ exceptions.raise_compiler_error("Input file '" ~ path ~ "' does not exist. " ~ fix) }}
  {%- endif -%}

  {%- set bytes = run_query("select coalesce(sum(size), 0) from read_blob(" ~ quoted_path ~ ")").columns[0].values()[0] -%}
  {%- if bytes == 0 -%}
    {{ exceptions.raise_compiler_error(
      "Input file '" ~ path ~ "' is empty (0 bytes). Export the customers again, with a header row, "
      ~ "or point INPUT (make run INPUT=...) at another file.") }}
  {%- endif -%}

  {%- set described = run_query("describe select * from " ~ reader) -%}
  {%- set actual_by_key = {} -%}
  {%- for actual in described.columns[0].values() -%}
    {%- do actual_by_key.update({actual | trim | lower: actual}) -%}
  {%- endfor -%}

  {#- DuckDB falls back to one column when rows disagree on their number of fields -#}
  {%- set only_column = described.columns[0].values() | first -%}
  {%- if described.columns[0].values() | length == 1 and (',' in only_column or ';' in only_column) -%}
    {{ exceptions.raise_compiler_error(
      "Input file '" ~ path ~ "' cannot be split into columns: its rows do not all have as many fields "
      ~ "as the header. Look for a value with an unquoted comma, or a row with a field too many or "
      ~ "too few, and fix or quote it.") }}
  {%- endif -%}

  {%- set missing = [] -%}
  {%- for column in credit_input_columns() if column.required and column.name | lower not in actual_by_key -%}
    {%- do missing.append(column.name) -%}
  {%- endfor -%}
  {%- if missing -%}
    {%- set expected = credit_input_columns() | selectattr('required') | map(attribute='name') | join("', '") -%}
    {{ exceptions.raise_compiler_error(
      "Input file '" ~ path ~ "' has no column '" ~ missing | join("', '") ~ "'. "
      ~ "The score needs '" ~ expected ~ "' (the credit_scoring.csv schema, see README). "
      ~ "Found: '" ~ actual_by_key.values() | join("', '") ~ "'.") }}
  {%- endif -%}

  {%- set first_row = run_query("select count(*) from (select 1 from " ~ reader ~ " limit 1)") -%}
  {%- if first_row.columns[0].values()[0] == 0 -%}
    {{ exceptions.raise_compiler_error(
      "Input file '" ~ path ~ "' has a header but no data rows. Export the customers again, "
      ~ "or point INPUT (make run INPUT=...) at another file.") }}
  {%- endif -%}

  {%- set text_columns -%}
    {%- for column in credit_input_columns() %}
        {%- set actual = actual_by_key.get(column.name | lower) %}
        {% if actual is none %}cast(null as varchar){% else %}cast({{ adapter.quote(actual) }} as varchar){% endif %} as {{ adapter.quote(column.name) }}{{ "," if not loop.last }}
    {%- endfor %}
  {%- endset -%}

  {#- Rows are numbered in file order. A single Parquet file numbers its own rows, so the view reads
      it directly and in parallel. Other files are loaded once into a table and numbered by rowid,
      which follows the file while DuckDB keeps insertion order (on for the load, whatever the
      profile says): row_number() over () on the file would run every later step of each of the
      several reads of it on one thread. -#}
  {%- if lowered.endswith('.parquet') and matches == 1 and 'file_row_number' not in actual_by_key -%}
    {%- set row_number, columns = "file_row_number + 1", text_columns -%}
    {%- set rows = "read_parquet(" ~ quoted_path ~ ", file_row_number = true)" -%}
    {%- set load_sql = "drop table if exists raw.credit_customers_loaded;" -%}
  {%- else -%}
    {%- set row_number, columns, rows = "rowid + 1", "*", "raw.credit_customers_loaded" -%}
    {%- set kept_order = run_query("select current_setting('preserve_insertion_order')").columns[0].values()[0] -%}
    {%- set load_sql -%}
    set preserve_insertion_order = true;
    create or replace table raw.credit_customers_loaded as
    select
        {{ text_columns }}
    from {{ reader }};
    set preserve_insertion_order = {{ kept_order }};
    {%- endset -%}
  {%- endif -%}

  {%- set view_sql -%}
    create schema if not exists raw;
    {{ load_sql }}
    create or replace view raw.credit_customers as
    select
        -- file order; the id of customers whose file has no Customer ID column
        {{ row_number }} as source_row_number,
        {{ columns }}
    from {{ rows }}
  {%- endset -%}
  {%- do run_query(view_sql) -%}
  {{ return('') }}
{% endmacro %}
