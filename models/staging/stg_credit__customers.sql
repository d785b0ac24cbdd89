{#- The columns come from the one schema, macro credit_input_columns(). A view, read only by
    int_customers__validated, so the file is parsed once, inside that table's statement. -#}
with

source as (

    select * from {{ source('raw', 'credit_customers') }}

),

renamed as (

    select
        source_row_number,
        source_line_number,
        {%- for input in credit_input_columns() %}
            {%- set header = adapter.quote(input.header) %}
            {%- if input.type == 'id' %}
                coalesce(
                    nullif(trim({{ header }}), ''),
                    'row-' || cast(source_row_number as {{ dbt.type_string() }})
                ) as {{ input.column }},
                nullif(trim({{ header }}), '') is null as is_customer_id_derived,
            {%- elif input.type == 'number' and input.scale_var %}
                {{ parse_number(header) }} / {{ sql_number(input.scale_var) }}
                    as {{ input.column }},
            {%- elif input.type == 'number' %}
                {{ parse_number(header) }} as {{ input.column }},
            {%- else %}
                {{ normalize_category(header) }} as {{ input.column }},
            {%- endif %}
        {%- endfor %}

        -- the text as read, kept for the quarantine
        {%- for input in credit_input_columns() %}
            {{ adapter.quote(input.header) }} as {{ input.raw_column }},
        {%- endfor %}
        malformed_line

    from source

)

select * from renamed
