{{ config(materialized='table') }}

{%- set weights = var('score_weights') %}

with

scored as (

    select * from {{ ref('int_customers__scored') }}

),

reason_codes as (

    select * from {{ ref('score_reason_codes') }}

),

points_by_factor as (

    -- one row per customer and factor; a perfect factor (1) earns exactly fico_points(weight, 1)
    {%- for factor, weight in weights.items() %}
    select
        customer_id,
        credit_score,
        '{{ factor }}' as factor_name,
        {{ fico_points(weight, 1) }} as max_factor_points,
        {{ factor }}_points as factor_points

    from scored
    -- points lost against a perfect score only mean something on the bounded 300-850 scale
    where score_method = 'fico'
    {%- if not loop.last %}

    union all
    {% endif %}
    {%- endfor %}

),

with_loss as (

    select
        points_by_factor.customer_id,
        points_by_factor.credit_score,
        points_by_factor.factor_name,
        reason_codes.reason_code,
        reason_codes.reason_text,
        points_by_factor.max_factor_points,
        points_by_factor.factor_points,
        points_by_factor.max_factor_points - points_by_factor.factor_points as points_lost

    from points_by_factor
    left join reason_codes
        on points_by_factor.factor_name = reason_codes.factor_name

),

ranked as (

    select
        *,
        -- most costly first; equal losses in reason-code order, so the ranking never depends on row order
        row_number() over (
            partition by customer_id
            order by points_lost desc, reason_code
        ) as loss_rank

    from with_loss

),

final as (

    select
        customer_id,
        credit_score,
        factor_name,
        reason_code,
        reason_text,
        max_factor_points,
        factor_points,
        points_lost,
        loss_rank,
        -- a factor that costs nothing is never given as a reason
        points_lost > 0 and loss_rank <= {{ var('reason_code_limit') }} as is_reported_reason

    from ranked

)

select * from final
