{#- A view: writing out every input row again cost more than re-reading the file in each of the
    few models that read this one (docs/scaling.md). -#}
with

customers as (

    select * from {{ ref('int_customers__encoded') }}

),

repeated_customer_ids as (

    select * from {{ ref('int_customers__repeated_ids') }}

),

with_row_reasons as (

    select
        *,
        -- a line that did not split into columns has no values to check
        case
            when malformed_line is not null
                then {{ dbt.array_construct(["'malformed_line'"], 'varchar') }}
            else {{ row_rejection_reasons() }}
        end as row_reason_codes

    from customers

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

    select {{ star_exclude('with_all_reasons', ['row_reason_codes']) }}
    from with_all_reasons

)

select * from final
