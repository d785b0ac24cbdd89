{%- set factors = score_factors() %}
{%- set reason_slots = range(1, sql_number('reason_code_limit') + 1) %}

{#- A view: reasons are a function of the points in customer_segments, so a lookup computes them
    for the customers it reads instead of every build writing them out for every customer. -#}
{{ config(materialized='view') }}

with

customer_segments as (

    select * from {{ ref('customer_segments') }}

),

points_lost as (

    -- a perfect factor (1) earns fico_points(weight, 1), so the losses add up to 850 - score;
    -- only the bounded 300-850 scale has a perfect score to lose points against
    select
        {%- for factor in factors %}
            {{ as_points(fico_points(factor.weight, 1) ~ ' - ' ~ factor.name ~ '_points') }}
                as {{ factor.name }}_points_lost,
        {%- endfor %}
        customer_id,
        credit_score

    from customer_segments
    where score_method = 'fico'

),

ranked as (

    -- each factor's place among the others, costliest first (equal losses in reason-code order,
    -- each factor's tie_order): 1 + how many factors come before it. Plain comparisons, not a
    -- sorted list per customer, which is much slower (docs/scaling.md).
    -- noqa: disable=LT02
    select
        *,
        {%- for factor in factors %}
            1
            {%- for other in factors if other.name != factor.name %}
                + case
                    when
                        {{ other.name }}_points_lost
                        {{ '>=' if other.tie_order < factor.tie_order else '>' }}
                        {{ factor.name }}_points_lost
                        then 1
                    else 0
                end
            {%- endfor %} as {{ factor.name }}_reason_rank,
        {%- endfor %}
        {%- for factor in factors %}
            ({{ factor.name }}_points_lost > 0)::integer
            {{- " +" if not loop.last else " as losing_factor_count" }}
        {%- endfor %}
    -- noqa: enable=LT02

    from points_lost

),

final as (

    -- a factor that loses nothing ranks after every one that does, so the slots fill from the
    -- first, and a slot is empty once the losing factors run out; codes and texts are var
    -- score_factors', as literals
    -- noqa: disable=LT02
    select
        customer_id,
        credit_score,
        {{ as_points(sum_over_factors('%s_points_lost')) }} as points_below_perfect,
        {%- for factor in factors %}
            {{ factor.name }}_points_lost,
        {%- endfor %}
        least(losing_factor_count, {{ sql_number('reason_code_limit') }})::integer as reason_count,
        {%- for slot in reason_slots %}
            {%- for suffix in ['code', 'text', 'points_lost'] %}
            case
                {%- for factor in factors %}
                    when
                        {{ factor.name }}_reason_rank = {{ slot }}
                        and {{ factor.name }}_points_lost > 0
                        then {{ factor.name ~ '_points_lost' if suffix == 'points_lost'
                            else sql_string(factor['reason_' ~ suffix]) }}
                {%- endfor %}
            end as reason_{{ slot }}_{{ suffix }}
            {{- "," if not (loop.last and slot == reason_slots | last) }}
            {%- endfor %}
        {%- endfor %}
    -- noqa: enable=LT02

    from ranked

)

select * from final
