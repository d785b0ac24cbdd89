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

-- equal for two builds only when the file holds the same rows in the same order: the condition
-- for derived ids (row-<n>) to name the same customers. It hashes the parsed values (validated
-- keeps the raw text of rejected rows only) plus that raw text. DuckDB's hash() is fast (md5 took
-- 16x longer) but may change between DuckDB versions, so the version is part of the fingerprint:
-- after an upgrade, derived ids are not matched once, which errs on the safe side (Left and New,
-- never a wrong match).
input_fingerprint as (

    select
        'duckdb ' || version() || ': ' || cast(bit_xor(hash(
            source_row_number,
            customer_id,
            age_years,
            gender,
            marital_status,
            education_level,
            employment_status,
            credit_utilization_ratio,
            payment_history,
            number_of_credit_accounts,
            loan_amount,
            interest_rate_pct,
            loan_term_months,
            loan_type,
            raw_age,
            raw_education_level,
            raw_employment_status,
            raw_credit_utilization_ratio,
            raw_payment_history,
            raw_number_of_credit_accounts,
            raw_loan_amount,
            raw_interest_rate,
            raw_loan_term
        )) as varchar) as input_fingerprint

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
