{#- The one pass over the input: every row parsed (through the staging view, which DuckDB inlines
    here), encoded and validated in one statement, into a typed table that every later model reads
    instead of the text. The text as read is kept only where someone needs it, on rejected rows. -#}
{{ config(materialized='table') }}
{%- set inputs = credit_input_columns() %}
{%- set encoded_inputs = inputs | selectattr('seed') | list %}

with

customers as {{ inline_cte() }} (

    select * from {{ ref('stg_credit__customers') }}

),

{% for input in encoded_inputs -%}
    {{ input.seed }} as (

        select * from {{ ref(input.seed) }}

    ),

{% endfor -%}

encoded as {{ inline_cte() }} (

    -- each category in its seed's spelling when known, else as normalised
    select
        {%- for input in encoded_inputs %}
            coalesce({{ input.seed }}.{{ input.column }}, customers.{{ input.column }})
                as {{ input.column }},
            {%- for seed_column in input.seed_columns %}
                {{ input.seed }}.{{ seed_column }},
            {%- endfor %}
        {%- endfor %}
        {{ star_exclude('customers', encoded_inputs | map(attribute='column') | list) }}

    -- sqlfluff misreads the indentation of joins written in a loop
    -- noqa: disable=LT02
    from customers
    -- case-insensitive, so 'phd' and 'PHD' both take the seed's spelling 'PhD'
    {%- for input in encoded_inputs %}
    left join {{ input.seed }}
        on lower(customers.{{ input.column }}) = lower({{ input.seed }}.{{ input.column }})
    {%- endfor %}
    -- noqa: enable=LT02

),

with_row_reasons as {{ inline_cte() }} (

    select
        *,
        -- a line that did not split into columns has no values to check
        case
            when malformed_line is not null
                then {{ dbt.array_construct(
                    [sql_string(malformed_line_reason())], 'varchar'
                ) }}
            else {{ row_rejection_reasons() }}
        end as row_reason_codes

    from encoded

),

repeated_ids as (

    -- ids on more than one row, usually none: a group-by of the ids alone. Derived ids (row-<n>)
    -- differ from each other, but one may equal an id given in the file
    select customer_id
    from customers
    group by customer_id
    having count(*) > 1

),

kept_rows as (

    -- the row that keeps a repeated id: the first one in file order without reasons of its own,
    -- else the first one. Only the rows with a repeated id are read again here
    select
        customer_id,
        coalesce(
            min(case when {{ array_size('row_reason_codes') }} = 0 then source_row_number end),
            min(source_row_number)
        ) as kept_source_row_number

    from with_row_reasons
    where customer_id in (select repeated_ids.customer_id from repeated_ids)
    group by customer_id

),

validated as (

    select
        with_row_reasons.*,
        case
            when with_row_reasons.source_row_number != kept_rows.kept_source_row_number
                then {{ dbt.array_append(
                    'with_row_reasons.row_reason_codes', sql_string(duplicate_customer_id_reason())
                ) }}
            else with_row_reasons.row_reason_codes
        end as rejection_reason_codes,
        {{ array_size('with_row_reasons.row_reason_codes') }} = 0
        and with_row_reasons.source_row_number
        = coalesce(kept_rows.kept_source_row_number, with_row_reasons.source_row_number) as is_valid

    from with_row_reasons
    left join kept_rows
        on with_row_reasons.customer_id = kept_rows.customer_id

),

final as (

    select
        source_row_number,
        {%- for input in inputs %}
            {{ input.column }},
            {%- if input.type == 'id' %}
                is_customer_id_derived,
            {%- endif %}
            {%- for seed_column in input.seed_columns or [] %}
                {{ seed_column }},
            {%- endfor %}
        {%- endfor %}
        rejection_reason_codes,
        is_valid,
        -- the text as read, for the quarantine: null on the valid rows, which have typed values
        {%- for input in inputs %}
            case when not is_valid then {{ input.raw_column }} end as {{ input.raw_column }},
        {%- endfor %}
        source_line_number,
        malformed_line

    from validated

)

select * from final
