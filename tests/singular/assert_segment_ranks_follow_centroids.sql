-- Rank 1 has the highest centroid, and score segments' ranges do not overlap.
with

segments as (

    select * from {{ ref('segment_summary') }}

),

with_next_better as (

    select
        segment_rank,
        segment_label,
        centroid_score,
        min_credit_score,
        lag(centroid_score) over (order by segment_rank) as better_centroid_score,
        lag(min_credit_score) over (order by segment_rank) as better_min_credit_score,
        max_credit_score
    from segments

)

select *
from with_next_better
where
    better_centroid_score <= centroid_score
    {% if valid_var('segmentation_features') == 'score' %}
        -- score segments are disjoint score ranges; factor segments (segmentation_features) overlap
        or better_min_credit_score <= max_credit_score
    {% endif %}
