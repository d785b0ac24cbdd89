with

customers as (

    select source_row_number from {{ ref('stg_credit__customers') }}

),

rejected as (

    select * from {{ ref('int_customers__rejected') }}

),

reasons as (

    select * from {{ ref('rejection_reasons') }}

),

-- counted here, not read from the quality gate, so this table is built even when the gate stops
-- the build: it is where a user looks to see why
input_rows as (

    select count(*) as input_row_count from customers

),

reason_counts as (

    select
        reason.reason_code,
        count(*) as rejected_row_count

    from rejected
    {{ cross_join_unnest('rejected.rejection_reason_codes', 'reason', 'reason_code') }}
    group by reason.reason_code

),

final as (

    select
        reasons.reason_code,
        reasons.reason_message,
        coalesce(reason_counts.rejected_row_count, 0) as rejected_row_count,
        coalesce(reason_counts.rejected_row_count, 0)
        / nullif(input_rows.input_row_count, 0) as share_of_input_rows

    from reasons
    cross join input_rows
    left join reason_counts
        on reasons.reason_code = reason_counts.reason_code

)

select * from final
order by reason_code
