-- waits for the quality gate, so that a build the gate stops publishes none of the marts
-- depends_on: {{ ref('int_customers__quality_gate') }}
with

rejected as (

    select * from {{ ref('int_customers__rejected') }}

),

reasons as (

    select * from {{ ref('rejection_reasons') }}

),

reason_messages as (

    select
        rejected.source_row_number,
        {{ dbt.listagg('reasons.reason_message', "'; '", 'order by reason.position') }}
            as rejection_reasons

    from rejected
    {{ cross_join_unnest('rejected.rejection_reason_codes', 'reason', 'reason_code', 'position') }}
    left join reasons
        on reason.reason_code = reasons.reason_code
    group by rejected.source_row_number

),

final as (

    select
        rejected.source_row_number,
        -- the given id, or null when the file has none for this row
        case when not rejected.is_customer_id_derived then rejected.customer_id end as customer_id,
        rejected.rejection_reason_codes,
        reason_messages.rejection_reasons,
        {{ array_size('rejected.rejection_reason_codes') }} as reason_count,
        rejected.raw_customer_id,
        rejected.raw_age,
        rejected.raw_gender,
        rejected.raw_marital_status,
        rejected.raw_education_level,
        rejected.raw_employment_status,
        rejected.raw_credit_utilization_ratio,
        rejected.raw_payment_history,
        rejected.raw_number_of_credit_accounts,
        rejected.raw_loan_amount,
        rejected.raw_interest_rate,
        rejected.raw_loan_term,
        rejected.raw_loan_type,
        rejected.source_line_number,
        rejected.malformed_line

    from rejected
    inner join reason_messages
        on rejected.source_row_number = reason_messages.source_row_number

)

select * from final
order by source_row_number
