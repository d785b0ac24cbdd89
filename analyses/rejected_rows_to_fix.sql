-- Rows that were quarantined, most-hit reason first: what to fix in the source file.
with

rejected_customers as (

    select * from {{ ref('rejected_customers') }}

),

data_quality_summary as (

    select * from {{ ref('data_quality_summary') }}

),

final as (

    select
        data_quality_summary.reason_code,
        data_quality_summary.rejected_row_count,
        rejected_customers.source_row_number,
        rejected_customers.raw_customer_id,
        rejected_customers.rejection_reasons

    from data_quality_summary
    inner join rejected_customers
        on list_contains(
            rejected_customers.rejection_reason_codes, data_quality_summary.reason_code
        )

)

select * from final
order by rejected_row_count desc, reason_code asc, source_row_number asc
