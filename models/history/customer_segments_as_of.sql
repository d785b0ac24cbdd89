{#- What the snapshot customer_segments_snapshot records from a build: ephemeral, because a YAML
    snapshot takes its rows from a ref and this only stamps customer_segments. Only a build that
    closes a period (var as_of set) records anything: ad-hoc builds and demo runs would otherwise
    append every customer to the history each time. With no rows, the snapshot keeps what it has. -#}
{{ config(materialized='ephemeral') }}
{{ assert_as_of_moves_forward('customer_segments_snapshot') }}

with

customer_segments as (

    select * from {{ ref('customer_segments') }}

),

raw_customers as (

    select * from {{ source('raw', 'credit_customers') }}

),

-- equal for two builds only when the file holds the same rows in the same order: the condition
-- for derived ids (row-<n>) to name the same customers. It hashes the text as read, so it costs a
-- read of the file but no parsing. DuckDB's hash() is fast (docs/scaling.md) but may change
-- between DuckDB versions, so the version is part of the fingerprint: after an upgrade, derived
-- ids are not matched once, which errs on the safe side (Left and New, never a wrong match).
input_fingerprint as (

    -- sqlfluff misreads the indentation of a loop inside a function call
    -- noqa: disable=LT02
    select
        'duckdb ' || version() || ': ' || cast(bit_xor(hash(
            source_row_number,
            {%- for column in credit_input_columns() %}
            {{ adapter.quote(column.header) }},
            {%- endfor %}
            malformed_line
        )) as varchar) as input_fingerprint
    -- noqa: enable=LT02

    from raw_customers

),

stamped as (

    select
        customer_segments.customer_id,
        customer_segments.is_customer_id_derived,
        customer_segments.source_row_number,
        customer_segments.credit_score,
        customer_segments.segment_rank,
        customer_segments.segment_label,
        {{ snapshot_as_of() }} as snapshot_as_of,
        {{ sql_string(input_path()) }} as input_path,
        input_fingerprint.input_fingerprint

    from customer_segments
    cross join input_fingerprint
    where {{ 'true' if valid_var('as_of') is not none else 'false' }}

)

select * from stamped
