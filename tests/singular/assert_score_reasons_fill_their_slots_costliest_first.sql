-- Reasons are listed most costly first (equal losses in reason-code order) and fill their slots
-- from the first. The slots are computed once, in a materialised CTE: read straight from the view,
-- each comparison below would recompute the ranking it is built from.
{%- set slots = range(1, sql_number('reason_code_limit') + 1) | list %}

with

reasons as {{ materialized_cte() }} (

    -- sqlfluff misreads the indentation of a loop that ends a select list
    -- noqa: disable=LT02
    select
        customer_id,
        reason_count,
        {%- for slot in slots %}
            reason_{{ slot }}_code,
            reason_{{ slot }}_points_lost{{ "," if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02

    from {{ ref('customer_score_reasons') }}

)

select *
from reasons
where
    not (
        (reason_1_code is not null or reason_count = 0)
        {%- for slot in slots[:-1] %}
            {%- set this, next = 'reason_' ~ slot, 'reason_' ~ (slot + 1) %}
            and coalesce(
                {{ this }}_points_lost > {{ next }}_points_lost
                or (
                    {{ this }}_points_lost = {{ next }}_points_lost
                    and {{ this }}_code < {{ next }}_code
                ),
                {{ next }}_code is null
            )
        {%- endfor %}
    )
