-- Every reason code the SQL can give a row (macro rejection_reason_codes: the checks built from
-- the input schema, and the malformed-line and duplicate-id reasons) is in seed
-- rejection_reasons, and every code of the seed is one the SQL can give: a code without a message
-- would reach the quarantine unexplained, a message without a code is dead policy.
-- render() reads the seed whole even in `dbt build --empty`, which empties every other ref.
{{ config(tags=['policy']) }}  -- a check of the seeds: make test runs it, not the main job
with

seeded as (

    select reason_code from {{ ref('rejection_reasons').render() }}

),

emitted as (

    {%- for code in rejection_reason_codes() %}
        select {{ sql_string(code) }} as reason_code
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

final as (

    select
        coalesce(emitted.reason_code, seeded.reason_code) as reason_code,
        case
            when seeded.reason_code is null then 'given by the SQL, missing from the seed'
            else 'in the seed, never given by the SQL'
        end as problem

    from emitted
    full outer join seeded
        on emitted.reason_code = seeded.reason_code
    where emitted.reason_code is null or seeded.reason_code is null

)

select * from final
