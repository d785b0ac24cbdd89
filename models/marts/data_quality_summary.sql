with

-- the gate's counts: this table, like every mart, is published only once the gate passes
quality_gate as (

    select * from {{ ref('int_customers__quality_gate') }}

),

rejected as (

    select * from {{ ref('int_customers__rejected') }}

),

reasons as (

    select * from {{ ref('rejection_reasons') }}

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
        coalesce(reasons.reason_code, reason_counts.reason_code) as reason_code,
        -- a code the SQL gives but the seed lacks is counted, not dropped (a policy test flags it)
        coalesce(
            reasons.reason_message, 'Not in seed rejection_reasons: add the code there'
        ) as reason_message,
        coalesce(reason_counts.rejected_row_count, 0) as rejected_row_count,
        coalesce(reason_counts.rejected_row_count, 0)
        / nullif(quality_gate.input_row_count, 0) as share_of_input_rows

    from reasons
    full outer join reason_counts
        on reasons.reason_code = reason_counts.reason_code
    cross join quality_gate

)

select * from final
order by reason_code
