{#- What the snapshot customer_segments_snapshot records from each build: ephemeral, because a
    YAML snapshot takes its rows from a ref and this only stamps customer_segments. -#}
{{ config(materialized='ephemeral') }}
{{ assert_as_of_moves_forward('customer_segments_snapshot') }}

with

customer_segments as (

    select * from {{ ref('customer_segments') }}

),

validated as (

    select * from {{ ref('int_customers__validated') }}

),

-- equal for two builds only when the file holds the same rows in the same order: the condition for
-- derived ids (row-<n>) to name the same customers. md5 rather than hash(), which may change
-- between DuckDB versions; chr(0) marks a null so that null and '' differ.
input_fingerprint as (

    select
        lower(hex(bit_xor(md5_number(concat_ws(chr(31),
            source_row_number,
            coalesce(raw_customer_id, chr(0)),
            coalesce(raw_age, chr(0)),
            coalesce(raw_gender, chr(0)),
            coalesce(raw_marital_status, chr(0)),
            coalesce(raw_education_level, chr(0)),
            coalesce(raw_employment_status, chr(0)),
            coalesce(raw_credit_utilization_ratio, chr(0)),
            coalesce(raw_payment_history, chr(0)),
            coalesce(raw_number_of_credit_accounts, chr(0)),
            coalesce(raw_loan_amount, chr(0)),
            coalesce(raw_interest_rate, chr(0)),
            coalesce(raw_loan_term, chr(0)),
            coalesce(raw_loan_type, chr(0))
        ))))) as input_fingerprint

    from validated

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
        '{{ var("input_path") | string | replace("'", "''") }}' as input_path,
        input_fingerprint.input_fingerprint

    from customer_segments
    cross join input_fingerprint

)

select * from stamped
