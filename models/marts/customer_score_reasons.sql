{%- set weights = var('score_weights') %}
{%- set reason_slots = range(1, var('reason_code_limit') + 1) %}
{%- set loss_columns = [] %}
{%- for factor in weights %}{% do loss_columns.append(factor ~ '_points_lost') %}{% endfor %}

with

scored as (

    select * from {{ ref('int_customers__scored') }}

),

reason_codes as (

    select * from {{ ref('score_reason_codes') }}

),

factor_codes as (

    -- the seed as one row, so each customer needs no join
    -- sqlfluff misreads the indentation of a loop that ends a select list
    -- noqa: disable=LT02
    select
        {%- for factor in weights %}
            any_value(reason_code) filter (where factor_name = '{{ factor }}')
                as {{ factor }}_reason_code,
            any_value(reason_text) filter (where factor_name = '{{ factor }}')
                as {{ factor }}_reason_text
            {{- "," if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02

    from reason_codes

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

    from scored
    where score_method = 'fico'

),

ranked as (

    -- factors that lose points, most costly first; equal losses in reason-code order (struct
    -- fields sort left to right)
    select
        points_lost.*,
        list_sort(list_filter(
            [
                {%- for factor in weights %}
                    {
                        'points_lost_negated': -points_lost.{{ factor }}_points_lost,
                        'reason_code': factor_codes.{{ factor }}_reason_code,
                        'reason_text': factor_codes.{{ factor }}_reason_text,
                        'points_lost': points_lost.{{ factor }}_points_lost
                    }
                    {{- "," if not loop.last }}
                {%- endfor %}
            ],
            lambda reason: reason.points_lost > 0  -- noqa: RF01
        )) as reasons

    from points_lost
    cross join factor_codes

),

final as (

    select
        customer_id,
        credit_score,
        {{ as_points(loss_columns | join(' + ')) }} as points_below_perfect,
        {%- for factor in weights %}
            {{ factor }}_points_lost,
        {%- endfor %}
        least(len(reasons), {{ var('reason_code_limit') }})::integer as reason_count,
        -- noqa: disable=LT02
        {%- for slot in reason_slots %}
            reasons[{{ slot }}].reason_code as reason_{{ slot }}_code,
            reasons[{{ slot }}].reason_text as reason_{{ slot }}_text,
            reasons[{{ slot }}].points_lost as reason_{{ slot }}_points_lost
            {{- "," if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02

    from ranked

)

select * from final
