-- Every factor in var score_weights has a reason code: customer_score_reasons breaks ties between
-- equally costly factors by code, and a factor without one would never be given as a reason.
-- render() reads the seed whole even in `dbt build --empty`, which empties every other ref.
{{ config(tags=['policy']) }}  -- a check of the seeds: make test runs it, not the main job
with

reason_codes as (

    select * from {{ ref('score_reason_codes').render() }}

),

factors as (

    {%- for factor in valid_var('score_weights') %}
        select '{{ factor }}' as factor_name
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

)

select factors.factor_name
from factors
left join reason_codes
    on factors.factor_name = reason_codes.factor_name
where reason_codes.factor_name is null
