-- Band 1 must hold the highest scores: a better band (lower rank) always starts at a higher score.
{{ config(tags=['policy']) }}  -- a check of the seeds: make test runs it, not the main job
select
    band_rank,
    band_label,
    min_score
from (
    select
        band_rank,
        band_label,
        min_score,
        lag(min_score) over (order by band_rank) as better_band_min_score
    from {{ ref('fico_bands') }}
) as bands
where better_band_min_score <= min_score
