{#- The input schema (macro credit_input_columns) as a table, so that the report and people read
    its labels, units and domains from the warehouse instead of writing them again. -#}
-- waits for the quality gate, so that a build the gate stops publishes none of the marts
-- depends_on: {{ ref('int_customers__quality_gate') }}
with

declared_columns as (

    {%- for input in credit_input_columns() %}
        select
            {{ loop.index }} as column_position,
            {{ sql_string(input.header) }} as input_column,
            {{ sql_string(input.column) }} as column_name,
            {{ sql_string(input.type) }} as column_type,
            {{ input_column_is_required(input) }} as is_required,
            {{ sql_string(input.label) }} as column_label,
            {{ sql_literal(input.unit) }} as unit,
            {{ input.get('min', 'null') }} as domain_min,
            {{ input.get('max', 'null') }} as domain_max,
            {{ input.get('min_is_exclusive', false) }} as is_domain_min_exclusive,
            {{ input.get('is_whole', false) }} as is_whole_number,
            {{ sql_literal(input.get('seed')) }} as encoding_seed,
            {{ sql_literal(input.get('reason_prefix')) }} as reason_code_prefix
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

final as (

    select
        cast(column_position as integer) as column_position,
        input_column,
        column_name,
        column_type,
        is_required,
        column_label,
        unit,
        cast(domain_min as double) as domain_min,
        cast(domain_max as double) as domain_max,
        is_domain_min_exclusive,
        is_whole_number,
        encoding_seed,
        reason_code_prefix

    from declared_columns

)

select * from final
order by column_position
