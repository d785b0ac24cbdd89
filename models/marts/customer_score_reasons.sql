{%- set weights = var('score_weights') %}
{%- set reason_slots = range(1, var('reason_code_limit') + 1) %}

with

points_lost as (

    select * from {{ ref('int_customers__points_lost') }}

),

final as (

    select
        customer_id,
        any_value(credit_score) as credit_score,
        {{ as_points('sum(points_lost)') }} as points_below_perfect,
        {%- for factor in weights %}
        {{ as_points("sum(points_lost) filter (where factor_name = '" ~ factor ~ "')") }} as {{ factor }}_points_lost,
        {%- endfor %}
        count(*) filter (where is_reported_reason) as reason_count,
        {%- for slot in reason_slots %}
        any_value(reason_code) filter (where is_reported_reason and loss_rank = {{ slot }}) as reason_{{ slot }}_code,
        any_value(reason_text) filter (where is_reported_reason and loss_rank = {{ slot }}) as reason_{{ slot }}_text,
        any_value(points_lost) filter (where is_reported_reason and loss_rank = {{ slot }}) as reason_{{ slot }}_points_lost{{ "," if not loop.last }}
        {%- endfor %}

    from points_lost
    group by customer_id

)

select * from final
