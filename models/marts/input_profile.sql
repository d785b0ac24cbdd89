{#- The notebook's describe() step: one row per column of the input schema (macro
    credit_input_columns) but the id, in file order, over every input row that split into columns. -#}
{%- set profiled_columns = credit_input_columns() | rejectattr('type', 'equalto', 'id') | list -%}

-- waits for the quality gate, so that a build the gate stops publishes none of the marts
-- depends_on: {{ ref('int_customers__quality_gate') }}
with

customers as (

    -- the parsed input, valid or not: the profile describes every row as read, but for the
    -- malformed lines, which have no columns to describe
    select * from {{ ref('int_customers__validated') }}
    where malformed_line is null

),

-- one scan of the input computes every column's statistics
aggregated as (

    select
        {%- for profiled in profiled_columns %}
            count({{ profiled.column }}) as {{ profiled.column }}__count,
            count(distinct {{ profiled.column }}) as {{ profiled.column }}__distinct,
            cast(min({{ profiled.column }}) as {{ dbt.type_string() }})
                as {{ profiled.column }}__min,
            cast(max({{ profiled.column }}) as {{ dbt.type_string() }})
                as {{ profiled.column }}__max,
            {%- if profiled.type == 'number' %}
                {{ deterministic_avg(profiled.column, finite_only=true) }}
                    as {{ profiled.column }}__mean,
            {%- else %}
                cast(null as double) as {{ profiled.column }}__mean,
            {%- endif %}
        {%- endfor %}
        count(*) as row_count

    from customers

),

unpivoted as (

    {%- for profiled in profiled_columns %}
        select
            {{ loop.index }} as column_position,
            {{ sql_string(profiled.header) }} as input_column,
            '{{ profiled.column }}' as column_name,
            {{ profiled.type == 'number' }} as is_numeric,
            row_count,
            {{ profiled.column }}__count as non_null_count,
            row_count - {{ profiled.column }}__count as null_count,
            {{ profiled.column }}__distinct as distinct_count,
            {{ profiled.column }}__min as min_value,
            {{ profiled.column }}__max as max_value,
            {{ profiled.column }}__mean as mean_value
        from aggregated
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}

)

select * from unpivoted
order by column_position
