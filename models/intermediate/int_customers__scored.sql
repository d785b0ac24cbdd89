{%- set factors = score_factors() %}
{%- set method = valid_var('score_method') %}

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

points as (

    -- each factor's points: see macro factor_points (fico: the factor on its fixed 0-1 domain,
    -- never the file's own min/max, so a score does not depend on who else is in the file)
    select
        *,
        {%- for factor in factors %}
            {{ factor_points(factor, method) }} as {{ factor.name }}_points,
        {%- endfor %}
        {{ as_points(0 if method == 'seed' else 300) }} as base_points

    from valid_customers

),

final as (

    -- one struct of the 0-1 factors and one of the points, keyed by factor name, so the factors of
    -- var score_factors need no column of their own here
    -- noqa: disable=LT02
    select
        * exclude (
            {%- for factor in factors %}
                {{ factor.name }}_points{{ "," if not loop.last }}
            {%- endfor %}
        ),
        {
            {%- for factor in factors %}
                '{{ factor.name }}': cast(
                    {{ factor_value(factor) }} as double
                ){{ "," if not loop.last }}
            {%- endfor %}
        } as factor_values,
        {
            {%- for factor in factors %}
                '{{ factor.name }}': {{ factor.name }}_points{{ "," if not loop.last }}
            {%- endfor %}
        } as factor_points,
        {{ sql_string(method) }} as score_method,
        -- one type whatever the number of factors: each + widens a decimal by a digit
        cast(base_points + {{ sum_over_factors('%s_points') }} as decimal(17, 4)) as credit_score
    -- noqa: enable=LT02

    from points

)

select * from final
