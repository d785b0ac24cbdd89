{#- The notebook's describe() step: one row per input column, over every input row that split
    into columns. -#}
{%- set profiled_columns = [
    {'input_column': 'Age', 'column': 'age_years', 'is_numeric': true},
    {'input_column': 'Gender', 'column': 'gender', 'is_numeric': false},
    {'input_column': 'Marital Status', 'column': 'marital_status', 'is_numeric': false},
    {'input_column': 'Education Level', 'column': 'education_level', 'is_numeric': false},
    {'input_column': 'Employment Status', 'column': 'employment_status', 'is_numeric': false},
    {'input_column': 'Credit Utilization Ratio', 'column': 'credit_utilization_ratio', 'is_numeric': true},
    {'input_column': 'Payment History', 'column': 'payment_history', 'is_numeric': true},
    {'input_column': 'Number of Credit Accounts', 'column': 'number_of_credit_accounts', 'is_numeric': true},
    {'input_column': 'Loan Amount', 'column': 'loan_amount', 'is_numeric': true},
    {'input_column': 'Interest Rate', 'column': 'interest_rate_pct', 'is_numeric': true},
    {'input_column': 'Loan Term', 'column': 'loan_term_months', 'is_numeric': true},
    {'input_column': 'Type of Loan', 'column': 'loan_type', 'is_numeric': false},
] -%}

-- waits for the quality gate, so that a build the gate stops publishes none of the marts
-- depends_on: {{ ref('int_customers__quality_gate') }}
with

customers as (

    -- the parsed input, before validation: the profile describes every row as read, but for the
    -- malformed lines, which have no columns to describe
    select * from {{ ref('int_customers__encoded') }}
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
            {%- if profiled.is_numeric %}
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
            '{{ profiled.input_column }}' as input_column,
            '{{ profiled.column }}' as column_name,
            {{ profiled.is_numeric }} as is_numeric,
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
