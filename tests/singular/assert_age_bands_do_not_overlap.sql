-- Pairs of age bands that share an age: a customer would count in both bands of the fairness view.
{{ config(tags=['policy']) }}  -- a check of the seeds: make test runs it, not the main job
with

age_bands as (

    select * from {{ ref('age_bands') }}

),

overlapping as (

    select
        earlier.age_band as band,
        later.age_band as overlapping_band

    from age_bands as earlier
    inner join age_bands as later
        on
            earlier.age_band < later.age_band
            and earlier.min_age_years < coalesce(later.max_age_years, 'infinity'::double)
            and later.min_age_years < coalesce(earlier.max_age_years, 'infinity'::double)

)

select * from overlapping
