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
    {#- a line that does not split into the header's columns is set aside (store_rejects), not fatal -#}
    {%- set reader = "read_csv(" ~ quoted_path ~ ", header = true, all_varchar = true, store_rejects = true, "
        ~ "rejects_table = 'credit_customers_load_errors', rejects_scan = 'credit_customers_load_scans')" -%}
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
  {#- rows, and the lines set aside as malformed, are numbered within one file -#}
  {%- if matches > 1 and not lowered.endswith('.parquet') -%}
    {{ exceptions.raise_compiler_error(
      "Input '" ~ path ~ "' matches " ~ matches ~ " CSV files; the input is one CSV file, or Parquet "
      ~ "files (a glob of them is one input, numbered in file order). Combine the CSV files into one, "
      ~ "or export them as Parquet.") }}
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

  {#- names DuckDB makes up (column0, ...) when the first line holds no names: binary, or no header -#}
  {%- set named = [] -%}
  {%- for name in described.columns[0].values() if not modules.re.fullmatch('column[0-9]+', name) -%}
    {%- do named.append(name) -%}
  {%- endfor -%}
  {%- if not named -%}
    {{ exceptions.raise_compiler_error(
      "Input file '" ~ path ~ "' cannot be read: its first line is not a header of column names. "
      ~ "It must be a UTF-8 CSV file with a header row, or a Parquet file (.parquet).") }}
  {%- endif -%}

  {#- DuckDB falls back to one column when rows disagree on their number of fields -#}
  {%- set only_column = described.columns[0].values() | first -%}
  {%- if described.columns[0].values() | length == 1 and (',' in only_column or ';' in only_column) -%}
    {{ exceptions.raise_compiler_error(
      "Input file '" ~ path ~ "' cannot be split into columns: its rows do not all have as many fields "
      ~ "as the header. Look for a value with an unquoted comma, or a row with a field too many or "
      ~ "too few, and fix or quote it.") }}
  {%- endif -%}

  {%- set missing = [] -%}
  {%- for column in required_input_columns() if column.header | lower not in actual_by_key -%}
    {%- do missing.append(column.header) -%}
  {%- endfor -%}
  {%- if missing -%}
    {%- set expected = required_input_columns() | map(attribute='header') | join("', '") -%}
    {{ exceptions.raise_compiler_error(
      "Input file '" ~ path ~ "' has no column '" ~ missing | join("', '") ~ "'. "
      ~ "The score needs '" ~ expected ~ "' (the credit_scoring.csv schema, see README). "
      ~ "Found: '" ~ actual_by_key.values() | join("', '") ~ "'.") }}
  {%- endif -%}

  {%- set is_csv = not lowered.endswith('.parquet') -%}
  {%- if is_csv -%}{%- do run_query(forget_malformed_lines()) -%}{%- endif -%}
  {%- set first_row = run_query("select count(*) from (select 1 from " ~ reader ~ " limit 1)") -%}
  {%- if first_row.columns[0].values()[0] == 0 -%}
    {{ raise_no_data_rows(path, actual_by_key | length,
        is_csv and run_query(last_scan_malformed_lines()).columns[0].values() | length > 0) }}
  {%- endif -%}

  {%- set text_columns -%}
    {%- for column in credit_input_columns() %}
        {%- set actual = actual_by_key.get(column.header | lower) %}
        {% if actual is none %}cast(null as varchar){% else %}cast({{ adapter.quote(actual) }} as varchar){% endif %} as {{ adapter.quote(column.header) }}{{ "," if not loop.last }}
    {%- endfor %}
  {%- endset -%}

  {#- Rows are numbered in file order. A single Parquet file numbers its own rows, so the view reads
      it directly and in parallel. Other files are loaded once into a table and numbered by rowid,
      which follows the file while DuckDB keeps insertion order (on for the load, whatever the
      profile says): row_number() over () on the file would run every later step of each of the
      several reads of it on one thread. -#}
  {%- if not is_csv and matches == 1 and 'file_row_number' not in actual_by_key -%}
    {%- set row_number, columns = "file_row_number + 1 as source_row_number,", text_columns -%}
    {%- set rows = "read_parquet(" ~ quoted_path ~ ", file_row_number = true)" -%}
    {%- set load_sql = "drop table if exists raw.credit_customers_loaded;" -%}
  {%- else -%}
    {%- set row_number, columns, rows = "rowid + 1 as source_row_number,", "*", "raw.credit_customers_loaded" -%}
    {%- set kept_order = run_query("select current_setting('preserve_insertion_order')").columns[0].values()[0] -%}
    {%- set load_sql -%}
    {{ forget_malformed_lines() }}
    set preserve_insertion_order = true;
    create or replace table raw.credit_customers_loaded as
    select
        {{ text_columns }}
    from {{ reader }};
    set preserve_insertion_order = {{ kept_order }};
    {%- endset -%}
  {%- endif -%}

  {#- Lines that did not split into the header's columns: the load's rejects, one row per line. A
      data line's position is its line number less the header (and any lines the reader skipped). -#}
  {%- set malformed_sql -%}
    create or replace table raw.credit_customers_malformed as
    {% if is_csv -%}
    {{ last_scan_malformed_lines() }}
    {%- else -%}
    select
        cast(null as bigint) as source_row_number,
        cast(null as bigint) as source_line_number,
        cast(null as varchar) as malformed_line
    limit 0
    {%- endif %}
  {%- endset -%}
  {%- do run_query("create schema if not exists raw; " ~ load_sql ~ malformed_sql) -%}

  {#- a file in another encoding than UTF-8 is the file's problem, not a few lines' -#}
  {%- if is_csv -%}
    {%- set encoding_error_line = run_query(
      "select min(line) from credit_customers_load_errors where error_type = 'INVALID ENCODING'"
    ).columns[0].values()[0] -%}
    {%- if encoding_error_line is not none -%}
      {{ exceptions.raise_compiler_error(
        "Input file '" ~ path ~ "' cannot be read: line " ~ encoding_error_line ~ " is not utf-8 encoded. "
        ~ "Save the file as UTF-8, then run again.") }}
    {%- endif -%}
  {%- endif -%}

  {#- The rows that parsed fill the positions between the malformed lines: the row after j malformed
      lines moves j places down. Only then is the loaded table rewritten, with its numbers. -#}
  {%- set malformed_count = run_query("select count(*) from raw.credit_customers_malformed").columns[0].values()[0] -%}
  {%- if malformed_count > 0 -%}
    {%- do run_query(renumber_loaded_rows_around_malformed_lines()) -%}
    {%- set row_number = "" -%}
  {%- endif -%}

  {%- set null_columns -%}
    {%- for column in credit_input_columns() %}
        cast(null as varchar) as {{ adapter.quote(column.header) }},
    {%- endfor %}
  {%- endset -%}

  {%- set view_sql -%}
    create or replace view raw.credit_customers as
    select
        -- file order; the id of customers whose file has no Customer ID column
        {{ row_number }}
        {{ columns }},
        cast(null as bigint) as source_line_number,
        cast(null as varchar) as malformed_line
    from {{ rows }}
    union all
    select
        source_row_number,
        {{ null_columns }}
        source_line_number,
        malformed_line
    from raw.credit_customers_malformed
  {%- endset -%}
  {%- do run_query(view_sql) -%}
  {{ return('') }}
{% endmacro %}

{#- The load's rejects tables are temporary and collect every scan of the connection: start afresh. -#}
{% macro forget_malformed_lines() %}
  {{ return("drop table if exists credit_customers_load_errors; drop table if exists credit_customers_load_scans;") }}
{% endmacro %}

{#- The lines the latest CSV scan of this connection set aside, one row each: its position among the
    data lines, its line number in the file, its text. -#}
{% macro last_scan_malformed_lines() %}
  {%- set sql -%}
    select
        cast(errors.line - scans.skip_rows - 1 as bigint) as source_row_number,
        cast(errors.line as bigint) as source_line_number,
        any_value(errors.csv_line) as malformed_line
    from credit_customers_load_errors as errors
    inner join credit_customers_load_scans as scans
        on errors.scan_id = scans.scan_id and errors.file_id = scans.file_id
    where errors.scan_id = (select max(scan_id) from credit_customers_load_scans)
    group by errors.line, scans.skip_rows
  {%- endset -%}
  {{ return(sql) }}
{% endmacro %}

{#- raw.credit_customers_loaded with source_row_number: the loaded row r (rowid from 0) comes after
    every malformed line with at most r parsed rows before it. -#}
{% macro renumber_loaded_rows_around_malformed_lines() %}
  {%- set sql -%}
    create or replace table raw.credit_customers_loaded as
    with malformed as (
        select
            source_row_number,
            row_number() over (order by source_row_number) as malformed_so_far
        from raw.credit_customers_malformed
    ),
    gaps as (
        select
            source_row_number - malformed_so_far as parsed_rows_before,
            max(malformed_so_far) as malformed_so_far
        from malformed
        group by source_row_number - malformed_so_far
    )
    select
        cast(loaded.rowid + 1 + coalesce(gaps.malformed_so_far, 0) as bigint) as source_row_number,
        loaded.*
    from raw.credit_customers_loaded as loaded
    asof left join gaps
        on loaded.rowid >= gaps.parsed_rows_before
  {%- endset -%}
  {{ return(sql) }}
{% endmacro %}

{#- A file with a header and no row to read, on any engine: the header does not match the rows
    (every line was malformed), or there are no rows. -#}
{% macro raise_no_data_rows(path, header_column_count, has_malformed_lines) %}
  {%- if has_malformed_lines -%}
    {{ exceptions.raise_compiler_error(
      "Input file '" ~ path ~ "' has a header of " ~ header_column_count ~ " columns, but none of its "
      ~ "lines splits into as many fields. Check the header line: a column name missing or too many, "
      ~ "or another separator than in the rows.") }}
  {%- endif -%}
  {{ exceptions.raise_compiler_error(
    "Input file '" ~ path ~ "' has a header but no data rows. Export the customers again, "
    ~ "or point INPUT (make run INPUT=...) at another file.") }}
{% endmacro %}
