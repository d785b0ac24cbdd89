{{ config(materialized='table') }}

with

customers as (

    select * from {{ ref('int_customers__encoded') }}

),

with_row_reasons as (

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
            "case when isfinite(number_of_credit_accounts) and number_of_credit_accounts >= 1
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

ranked_by_customer as (

    select
        *,
        -- a repeated customer id keeps its first usable row in file order; the others are rejected
        row_number() over (
            partition by customer_id
            order by len(row_reason_codes) = 0 desc, source_row_number
        ) as customer_id_occurrence

    from with_row_reasons

),

final as (

    select
        * exclude (row_reason_codes, customer_id_occurrence),
        case
            when customer_id_occurrence > 1
                then list_append(row_reason_codes, 'duplicate_customer_id')
            else row_reason_codes
        end as rejection_reason_codes,
        len(row_reason_codes) = 0 and customer_id_occurrence = 1 as is_valid

    from ranked_by_customer

)

select * from final
