{{ config(materialized='table') }}

{%- set raw_columns = [
    'raw_customer_id', 'raw_age', 'raw_gender', 'raw_marital_status', 'raw_education_level',
    'raw_employment_status', 'raw_credit_utilization_ratio', 'raw_payment_history',
    'raw_number_of_credit_accounts', 'raw_loan_amount', 'raw_interest_rate', 'raw_loan_term',
    'raw_loan_type',
] %}

with

customers as (

    select * from {{ ref('int_customers__encoded') }}

),

with_row_reasons as {{ inline_cte() }} (

    select
        *,
        {{ non_null_list([
            value_reasons('payment_history', 'payment_history', 'raw_payment_history',
                out_of_range='payment_history < 0 or payment_history > ' ~ var('payment_history_max'),
                required=true),
            value_reasons('credit_utilization', 'credit_utilization_ratio', 'raw_credit_utilization_ratio',
                out_of_range='credit_utilization_ratio < 0 or credit_utilization_ratio > 1',
                required=true),
            value_reasons('credit_accounts', 'number_of_credit_accounts', 'raw_number_of_credit_accounts',
                out_of_range='number_of_credit_accounts < 1',
                required=true),
            "case when " ~ is_finite('number_of_credit_accounts') ~ " and number_of_credit_accounts >= 1
                and number_of_credit_accounts != floor(number_of_credit_accounts)
                then 'credit_accounts_not_whole' end",
            category_reasons('education_level', 'raw_education_level', 'education_code'),
            category_reasons('employment_status', 'raw_employment_status', 'employment_code'),
            value_reasons('age', 'age_years', 'raw_age',
                out_of_range='age_years < ' ~ var('age_min') ~ ' or age_years > ' ~ var('age_max')),
            value_reasons('loan_amount', 'loan_amount', 'raw_loan_amount',
                out_of_range='loan_amount < 0'),
            value_reasons('interest_rate', 'interest_rate_pct', 'raw_interest_rate',
                out_of_range='interest_rate_pct < 0'),
            value_reasons('loan_term', 'loan_term_months', 'raw_loan_term',
                out_of_range='loan_term_months <= 0'),
        ]) }} as row_reason_codes

    from customers

),

repeated_customer_ids as (

    -- a repeated customer id keeps its first usable row in file order (else its first row);
    -- an aggregate over the ids, not a window over whole rows: cheap when nothing repeats
    select
        customer_id,
        coalesce(
            min(case when {{ array_size('row_reason_codes') }} = 0 then source_row_number end),
            min(source_row_number)
        ) as kept_source_row_number

    from with_row_reasons
    group by customer_id
    having count(*) > 1

),

with_all_reasons as (

    select
        with_row_reasons.*,
        case
            when with_row_reasons.source_row_number != repeated_customer_ids.kept_source_row_number
                then {{ dbt.array_append(
                    'with_row_reasons.row_reason_codes', "'duplicate_customer_id'"
                ) }}
            else with_row_reasons.row_reason_codes
        end as rejection_reason_codes,
        {{ array_size('with_row_reasons.row_reason_codes') }} = 0
        and with_row_reasons.source_row_number
        = coalesce(repeated_customer_ids.kept_source_row_number, with_row_reasons.source_row_number)
            as is_valid

    from with_row_reasons
    left join repeated_customer_ids
        on with_row_reasons.customer_id = repeated_customer_ids.customer_id

),

final as (

    select
        -- only rejected rows need their raw text (for the quarantine): storing it for every row
        -- would write the whole file out a second time
        {%- for raw_column in raw_columns %}
            case when not with_all_reasons.is_valid then {{ raw_column }} end as {{ raw_column }},
        {%- endfor %}
        {{ star_exclude('with_all_reasons', ['row_reason_codes'] + raw_columns) }}

    from with_all_reasons

)

select * from final
