{%- set weights = valid_var('score_weights') %}

with

validated as (

    select * from {{ ref('int_customers__validated') }}

),

quality_gate as (

    -- fails the build when too many rows were rejected, before anything is scored
    select * from {{ ref('int_customers__quality_gate') }}

),

valid_customers as (

    select
        validated.customer_id,
        validated.source_row_number,
        validated.is_customer_id_derived,
        validated.age_years,
        validated.gender,
        validated.marital_status,
        validated.education_level,
        validated.education_code,
        validated.education_factor,
        validated.employment_status,
        validated.employment_code,
        validated.employment_factor,
        validated.credit_utilization_ratio,
        validated.payment_history,
        validated.number_of_credit_accounts,
        validated.loan_amount,
        validated.interest_rate_pct,
        validated.loan_term_months,
        validated.loan_type

    from validated
    cross join quality_gate
    where validated.is_valid and quality_gate.is_within_threshold

),

factors as (

    -- each factor on a fixed 0-1 domain, 1 = best
    select
        *,
        payment_history / {{ sql_number('payment_history_max') }} as payment_history_factor,
        1 - credit_utilization_ratio as credit_utilization_factor,
        (least(number_of_credit_accounts, {{ sql_number('credit_accounts_cap') }}) - 1)
        / ({{ sql_number('credit_accounts_cap') }} - 1) as credit_accounts_factor

    from valid_customers

),

points as (

    select
        *,
        {% if valid_var('score_method') == 'seed' %}
            -- the original notebook's formula on raw values; see README for why it is not the default
            {{ as_points('0.35 * payment_history') }} as payment_history_points,
            {{ as_points('0.30 * credit_utilization_ratio') }} as credit_utilization_points,
            {{ as_points('0.15 * number_of_credit_accounts') }} as credit_accounts_points,
            {{ as_points('0.10 * education_code') }} as education_points,
            {{ as_points('0.10 * employment_code') }} as employment_points,
            {{ as_points(0) }} as base_points
        {% else %}
            {{ fico_points(weights.payment_history, 'payment_history_factor') }}
                as payment_history_points,
            {{ fico_points(weights.credit_utilization, 'credit_utilization_factor') }}
                as credit_utilization_points,
            {{ fico_points(weights.credit_accounts, 'credit_accounts_factor') }}
                as credit_accounts_points,
            {{ fico_points(weights.education, 'education_factor') }} as education_points,
            {{ fico_points(weights.employment, 'employment_factor') }} as employment_points,
            {{ as_points(300) }} as base_points
        {% endif %}

    from factors

),

final as (

    select
        *,
        {{ sql_string(valid_var('score_method')) }} as score_method,
        base_points
        + payment_history_points
        + credit_utilization_points
        + credit_accounts_points
        + education_points
        + employment_points as credit_score

    from points

)

select * from final
