{#- Pearson correlations between the numeric inputs (of macro credit_input_columns, in file order)
    and the score, one row per ordered pair, for the report's heatmap. Each pair uses the customers
    that have both values. -#}
{%- set numeric_inputs = input_columns_of_type('number') | map(attribute='column') | list %}
{%- set columns = numeric_inputs + ['credit_score'] %}
{%- set computed_pairs = [] %}
{%- for a in columns %}
    {%- for b in columns[loop.index0:] %}
        {%- do computed_pairs.append((a, b)) %}
    {%- endfor %}
{%- endfor %}
{%- set nan = "cast('NaN' as double)" %}

with

customer_segments as (

    select * from {{ ref('customer_segments') }}

),

pair_correlations as (

    -- every pair in one pass. count(a * b) counts the rows where both are present. A column with
    -- itself is 1 unless it is constant, so it needs no corr() (corr() is NaN on a constant).
    select
        {%- for a, b in computed_pairs %}
            {%- set pair = a ~ '__' ~ b %}
            {%- if a == b %}
                case when min({{ a }}) < max({{ a }}) then 1.0 end as {{ pair }},
                count({{ a }}) as {{ pair }}__count,
            {%- else %}
                nullif(corr({{ a }}, {{ b }}), {{ nan }}) as {{ pair }},
                count({{ a }} * {{ b }}) as {{ pair }}__count,
            {%- endif %}
        {%- endfor %}
        count(*) as customer_count

    from customer_segments

),

ordered_pairs as (

    -- both orders of each pair, so the rows of one column_a list every column_b
    {%- for a in columns %}
        {%- set a_position = loop.index %}
        {%- for b in columns %}
            {%- set pair = (a ~ '__' ~ b) if a_position <= loop.index else (b ~ '__' ~ a) %}
            select
                '{{ a }}' as column_a,
                {{ a_position }} as column_a_position,
                '{{ b }}' as column_b,
                {{ loop.index }} as column_b_position,
                {{ pair }} as pair_correlation,
                {{ pair }}__count as pair_customer_count
            from pair_correlations
            {% if not (loop.last and a_position == columns | length) %}union all{% endif %}
        {%- endfor %}
    {%- endfor %}

),

final as (

    select
        column_a,
        cast(column_a_position as integer) as column_a_position,
        column_b,
        cast(column_b_position as integer) as column_b_position,
        cast(pair_correlation as double) as pearson_correlation,
        pair_customer_count as customer_count

    from ordered_pairs

)

select * from final
order by column_a_position, column_b_position
