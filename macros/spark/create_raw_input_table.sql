{#-
  The input hook on Spark (dbt-spark; dbt-databricks falls back to it): (re)creates the table
  raw.credit_customers from the file named by macro input_path(), read with Spark's own readers,
  in the shape of DuckDB's view (macros/create_raw_input_view.sql): source_row_number, every
  input column as text, source_line_number and malformed_line. The same file gives the same
  source_row_number on both engines. Reached through the dispatch line docs/spark.md gives.

  Rows are numbered in parallel, never by one global window over the file: each split of a file
  (input_file_block_start) counts its lines, a running sum over the splits gives each one's
  offset, and the position inside a split comes from monotonically_increasing_id, which follows
  the read order within a task.
-#}
{% macro spark__create_raw_input_view() %}
  {%- if not execute -%}{{ return('') }}{%- endif -%}
  {%- set path = input_path() -%}
  {%- set literal = spark_string_literal(path) -%}
  {%- set lowered = path | lower -%}
  {%- set is_csv = lowered.endswith('.csv') or lowered.endswith('.csv.gz') -%}
  {%- if not is_csv and not lowered.endswith('.parquet') -%}
    {{ exceptions.raise_compiler_error(
      "Input file '" ~ path ~ "' is not CSV or Parquet: the name must end in .csv, .csv.gz or .parquet. "
      ~ "Export the data as CSV or Parquet.") }}
  {%- endif -%}

  {%- set files = spark_input_files(path) -%}
  {%- if files.count == 0 -%}
    {{ exceptions.raise_compiler_error("Input file '" ~ path ~ "' does not exist. "
      ~ "Point INPUT (make run INPUT=..., or var input_path) at a file in the credit_scoring.csv schema.") }}
  {%- endif -%}
  {%- if files.count > 1 and is_csv -%}
    {{ exceptions.raise_compiler_error(
      "Input '" ~ path ~ "' matches " ~ files.count ~ " CSV files; the input is one CSV file, or Parquet "
      ~ "files (a glob of them is one input, numbered in file order). Combine the CSV files into one, "
      ~ "or export them as Parquet.") }}
  {%- endif -%}
  {%- if files.bytes == 0 -%}
    {{ exceptions.raise_compiler_error(
      "Input file '" ~ path ~ "' is empty (0 bytes). Export the customers again, with a header row, "
      ~ "or point INPUT (make run INPUT=...) at another file.") }}
  {%- endif -%}

  {%- do run_query("create schema if not exists raw") -%}
  {%- if is_csv -%}
    {%- do run_query("create or replace temporary view credit_customers_lines using text options (path "
        ~ literal ~ ")") -%}
    {%- set header = run_query("select value from credit_customers_lines where input_file_block_start() = 0 "
        ~ "and value != '' limit 1").columns[0].values() -%}
    {%- set separator = csv_separator(header[0] if header else '') -%}
    {%- do run_query("create or replace temporary view credit_customers_header using csv options (path "
        ~ literal ~ ", header 'true', sep " ~ spark_string_literal(separator) ~ ")") -%}
    {%- set names = run_query("describe credit_customers_header").columns[0].values() -%}
  {%- else -%}
    {%- do run_query("create or replace temporary view credit_customers_parquet using parquet options (path "
        ~ literal ~ ")") -%}
    {%- set names = run_query("describe credit_customers_parquet").columns[0].values() -%}
  {%- endif -%}
  {%- do raise_on_missing_input_columns(path, names) -%}

  {%- do run_query("drop table if exists raw.credit_customers") -%}
  {%- if is_csv -%}
    {%- do run_query(spark_csv_input_sql(names, separator)) -%}
  {%- else -%}
    {%- do run_query(spark_parquet_input_sql(names)) -%}
  {%- endif -%}

  {%- set counts = run_query("select count(*) - count(malformed_line), count(malformed_line), "
      ~ "min(case when malformed_line like '%\\uFFFD%' then source_line_number end) "
      ~ "from raw.credit_customers").rows[0] -%}
  {%- if counts[2] is not none -%}
    {{ exceptions.raise_compiler_error(
      "Input file '" ~ path ~ "' cannot be read: line " ~ counts[2] ~ " is not utf-8 encoded. "
      ~ "Save the file as UTF-8, then run again.") }}
  {%- endif -%}
  {%- if counts[0] == 0 -%}
    {{ raise_no_data_rows(path, names | length, counts[1] > 0) }}
  {%- endif -%}
  {{ return('') }}
{% endmacro %}

{#- Text as a Spark SQL string literal: Spark reads a backslash in a literal as an escape. -#}
{% macro spark_string_literal(text) %}
  {{ return("'" ~ text | string | replace("\\", "\\\\") | replace("'", "\\'") ~ "'") }}
{% endmacro %}

{#- How many files the path matches and their bytes. The binaryFile reader lists them without
    reading them; a glob in the file name goes to pathGlobFilter, so no match is a count of 0,
    not Spark's PATH_NOT_FOUND (which a missing directory still raises). -#}
{% macro spark_input_files(path) %}
  {%- set directory, name = (path.rsplit('/', 1) if '/' in path else ['.', path]) -%}
  {%- if modules.re.search('[*?\\[{]', directory) -%}
    {%- set options = "path " ~ spark_string_literal(path) -%}
  {%- else -%}
    {%- set options = "path " ~ spark_string_literal(directory or '/') ~ ", pathGlobFilter " ~ spark_string_literal(name) -%}
  {%- endif -%}
  {%- do run_query("create or replace temporary view credit_customers_files using binaryFile options ("
      ~ options ~ ")") -%}
  {%- set row = run_query("select count(*), coalesce(sum(length), 0) from credit_customers_files").rows[0] -%}
  {{ return({'count': row[0], 'bytes': row[1]}) }}
{% endmacro %}

{#- The separator that splits the header line into the most fields, as DuckDB's sniffer would. -#}
{% macro csv_separator(header_line) %}
  {%- set unquoted = modules.re.sub('"[^"]*"', '', header_line) -%}
  {%- set ns = namespace(best=',', fields=unquoted.count(',')) -%}
  {%- for candidate in [';', '\t', '|'] if unquoted.count(candidate) > ns.fields -%}
    {%- set ns.best, ns.fields = candidate, unquoted.count(candidate) -%}
  {%- endfor -%}
  {{ return(ns.best) }}
{% endmacro %}

{#- Stops the run when the file has no header, or a required column (macro credit_input_columns)
    is not among its column names. -#}
{% macro raise_on_missing_input_columns(path, names) %}
  {%- if not names -%}
    {{ exceptions.raise_compiler_error(
      "Input file '" ~ path ~ "' cannot be read: its first line is not a header of column names. "
      ~ "It must be a UTF-8 CSV file with a header row, or a Parquet file (.parquet).") }}
  {%- endif -%}
  {%- set actual = names | map('trim') | map('lower') | list -%}
  {%- set missing = [] -%}
  {%- for column in credit_input_columns() if column.required and column.name | lower not in actual -%}
    {%- do missing.append(column.name) -%}
  {%- endfor -%}
  {%- if missing -%}
    {%- set expected = credit_input_columns() | selectattr('required') | map(attribute='name') | join("', '") -%}
    {{ exceptions.raise_compiler_error(
      "Input file '" ~ path ~ "' has no column '" ~ missing | join("', '") ~ "'. "
      ~ "The score needs '" ~ expected ~ "' (the credit_scoring.csv schema, see README). "
      ~ "Found: '" ~ names | join("', '") ~ "'.") }}
  {%- endif -%}
{% endmacro %}

{#- Each input column as text, from the file's column at its position ({position} and {column},
    quoted, in the template); null when the file has no such column. -#}
{% macro spark_input_columns(names, template) %}
  {%- set position_by_key = {} -%}
  {%- for name in names -%}{%- do position_by_key.update({name | trim | lower: loop.index0}) -%}{%- endfor -%}
  {%- set columns = [] -%}
  {%- for column in credit_input_columns() -%}
    {%- set position = position_by_key.get(column.name | lower) -%}
    {%- if position is none -%}
      {%- set value = "cast(null as string)" -%}
    {%- else -%}
      {%- set value = template | replace('{position}', position | string) | replace('{column}', adapter.quote(names[position])) -%}
    {%- endif -%}
    {%- do columns.append(value ~ " as " ~ adapter.quote(column.name)) -%}
  {%- endfor -%}
  {{ return(columns | join(",\n        ")) }}
{% endmacro %}

{#- CTEs that number the rows of relation `source` (a file read by Spark) in file order:
    line_position counts every row, row_position only those where `counted` holds. -#}
{% macro spark_file_order(source, counted) %}
  {%- set sql -%}
    read_rows as (
        select
            *,
            input_file_name() as file_name,
            input_file_block_start() as block_start,
            monotonically_increasing_id() as read_position
        from {{ source }}
    ),
    blocks as (
        select
            file_name,
            block_start,
            count(*) as line_count,
            count_if({{ counted }}) as counted_count
        from read_rows
        group by file_name, block_start
    ),
    block_offsets as (
        select
            file_name,
            block_start,
            coalesce(sum(line_count) over preceding_blocks, 0) as lines_before,
            coalesce(sum(counted_count) over preceding_blocks, 0) as counted_before
        from blocks
        window preceding_blocks as (
            order by file_name, block_start rows between unbounded preceding and 1 preceding
        )
    ),
    numbered as (
        select
            read_rows.*,
            block_offsets.lines_before + row_number() over in_block as line_position,
            block_offsets.counted_before + count_if({{ counted }}) over in_block as row_position
        from read_rows
        inner join block_offsets
            on read_rows.file_name = block_offsets.file_name
            and read_rows.block_start = block_offsets.block_start
        window in_block as (
            partition by read_rows.file_name, read_rows.block_start
            order by read_rows.read_position
            rows between unbounded preceding and current row
        )
    )
  {%- endset -%}
  {{ return(sql) }}
{% endmacro %}

{#- A CSV file read line by line (text reader), each line split with from_csv. A line whose
    number of fields (separators outside quotes) differs from the header's, or with a quote left
    open, is a malformed line, as DuckDB's store_rejects sets aside. Blank lines are skipped and
    take no row number, as in DuckDB; the header is the first line that is not blank. -#}
{% macro spark_csv_input_sql(names, separator) %}
  {%- set schema -%}
    {%- for name in names -%}field_{{ loop.index0 }} string{{ ", " if not loop.last }}{%- endfor -%}
  {%- endset -%}
  {%- set sql -%}
    create table raw.credit_customers using parquet as
    with {{ spark_file_order('credit_customers_lines', "value != ''") }},
    data_lines as (
        select
            row_position - 1 as source_row_number,
            line_position as source_line_number,
            value as line,
            regexp_replace(value, '"[^"]*"', '') as unquoted
        from numbered
        where value != '' and row_position > 1
    ),
    parsed as (
        select
            source_row_number,
            source_line_number,
            line,
            size(split(unquoted, {{ spark_string_literal('[' ~ separator ~ ']') }}, -1)) != {{ names | length }}
                or instr(unquoted, '"') > 0 as is_malformed,
            from_csv(
                line, {{ spark_string_literal(schema) }},
                map('sep', {{ spark_string_literal(separator) }}, 'escape', '"')
            ) as fields
        from data_lines
    )
    select
        source_row_number,
        {{ spark_input_columns(names, "case when not is_malformed then fields.field_{position} end") }},
        case when is_malformed then source_line_number end as source_line_number,
        case when is_malformed then line end as malformed_line
    from parsed
  {%- endset -%}
  {{ return(sql) }}
{% endmacro %}

{#- A Parquet file, or a glob of them numbered in file-name order, its columns cast to text. -#}
{% macro spark_parquet_input_sql(names) %}
  {%- set sql -%}
    create table raw.credit_customers using parquet as
    with {{ spark_file_order('credit_customers_parquet', 'true') }}
    select
        row_position as source_row_number,
        {{ spark_input_columns(names, "cast({column} as string)") }},
        cast(null as bigint) as source_line_number,
        cast(null as string) as malformed_line
    from numbered
  {%- endset -%}
  {{ return(sql) }}
{% endmacro %}
