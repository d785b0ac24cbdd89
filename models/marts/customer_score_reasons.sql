{%- set weights = valid_var('score_weights') %}
{%- set reason_slots = range(1, sql_number('reason_code_limit') + 1) %}
{%- set loss_columns = [] %}
{%- for factor in weights %}{% do loss_columns.append(factor ~ '_points_lost') %}{% endfor %}
{%- set slot_fields = [
    ('reason_code', 'code'), ('reason_text', 'text'), ('points_lost', 'points_lost'),
] %}

{#- A view: reasons are a function of the points in customer_segments, so a lookup computes them
    for the customers it reads instead of every build writing them out for every customer. -#}
{{ config(materialized='view') }}

with

customer_segments as (

    select * from {{ ref('customer_segments') }}

),

reason_codes as (

    select * from {{ ref('score_reason_codes') }}

),

factor_codes as (

    -- the seed as one row, so each customer needs no join; tie_order breaks equal losses in
    -- reason-code order
    -- sqlfluff misreads the indentation of a loop that ends a select list
    -- noqa: disable=LT02
    select
        {%- for factor in weights %}
            any_value(reason_code) filter (where factor_name = '{{ factor }}')
                as {{ factor }}_reason_code,
            any_value(reason_text) filter (where factor_name = '{{ factor }}')
                as {{ factor }}_reason_text,
            any_value(tie_order) filter (where factor_name = '{{ factor }}')
                as {{ factor }}_tie_order
            {{- "," if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02

    from (
        select
            *,
            row_number() over (order by reason_code) as tie_order
        from reason_codes
    ) as ordered_reason_codes

),

points_lost as (

    -- a perfect factor (1) earns fico_points(weight, 1), so the losses add up to 850 - score;
    -- only the bounded 300-850 scale has a perfect score to lose points against
    select
        {%- for factor, weight in weights.items() %}
            {{ as_points(fico_points(weight, 1) ~ ' - ' ~ factor ~ '_points') }}
                as {{ factor }}_points_lost,
        {%- endfor %}
        customer_id,
        credit_score

    from customer_segments
    where score_method = 'fico'

),

losses_and_codes as (

    select
        points_lost.*,
        factor_codes.*

    from points_lost
    cross join factor_codes

),

ranked as (

    -- each factor's place among the five, costliest first (equal losses in reason-code order):
    -- 1 + how many factors come before it. Plain comparisons, not a sorted list per customer,
    -- which cost several times more at millions of customers.
    -- noqa: disable=LT02
    select
        *,
        {%- for factor in weights %}
            1
            {%- for other in weights if other != factor %}
                + case
                    when
                        {{ other }}_points_lost > {{ factor }}_points_lost
                        or (
                            {{ other }}_points_lost = {{ factor }}_points_lost
                            and {{ other }}_tie_order < {{ factor }}_tie_order
                        )
                        then 1
                    else 0
                end
            {%- endfor %} as {{ factor }}_reason_rank,
        {%- endfor %}
        {%- for factor in weights %}
            ({{ factor }}_points_lost > 0)::integer
            {{- " +" if not loop.last else " as losing_factor_count" }}
        {%- endfor %}
    -- noqa: enable=LT02

    from losses_and_codes

),

final as (

    -- a factor that loses nothing ranks after every one that does, so the slots fill from the
    -- first, and a slot is empty once the losing factors run out
    -- noqa: disable=LT02
    select
        customer_id,
        credit_score,
        {{ as_points(loss_columns | join(' + ')) }} as points_below_perfect,
        {%- for factor in weights %}
            {{ factor }}_points_lost,
        {%- endfor %}
        least(losing_factor_count, {{ sql_number('reason_code_limit') }})::integer as reason_count,
        {%- for slot in reason_slots %}
            {%- for field, suffix in slot_fields %}
            case
                {%- for factor in weights %}
                    when {{ factor }}_reason_rank = {{ slot }} and {{ factor }}_points_lost > 0
                        then {{ factor }}_{{ field }}
                {%- endfor %}
            end as reason_{{ slot }}_{{ suffix }}
            {{- "," if not (loop.last and slot == reason_slots | last) }}
            {%- endfor %}
        {%- endfor %}
    -- noqa: enable=LT02

    from ranked

)

select * from final
