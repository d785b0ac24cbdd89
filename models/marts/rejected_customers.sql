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
        -- a code missing from the seed shows as itself rather than vanishing
        {{ dbt.listagg(
            'coalesce(reasons.reason_message, reason.reason_code)', "'; '", 'order by reason.position'
        ) }} as rejection_reasons

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
        {%- for input in credit_input_columns() %}
            rejected.{{ input.raw_column }},
        {%- endfor %}
        rejected.source_line_number,
        rejected.malformed_line

    from rejected
    inner join reason_messages
        on rejected.source_row_number = reason_messages.source_row_number

)

select * from final
order by source_row_number
