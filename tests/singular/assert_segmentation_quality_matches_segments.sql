-- The exact score row in use describes the segments actually built: same k, same within-cluster SS.
with

segments as (

    select
        count(*) as segment_count,
        sum(within_cluster_sum_of_squares) as within_cluster_sum_of_squares
    from {{ ref('int_segments__kmeans') }}

),

quality_in_use as (

    select
        k,
        within_cluster_sum_of_squares
    from {{ ref('segmentation_quality') }}
    where
        segmentation_features = 'score'
        and k = (select segments.segment_count from segments)

)

select
    segments.segment_count,
    segments.within_cluster_sum_of_squares as segments_within_ss,
    quality_in_use.within_cluster_sum_of_squares as quality_within_ss
from segments
left join quality_in_use on true
where
    segments.segment_count >= {{ sql_number('quality_k_min') }}
    and segments.segment_count <= {{ sql_number('quality_k_max') }}
    and (
        quality_in_use.k is null
        or abs(
            quality_in_use.within_cluster_sum_of_squares - segments.within_cluster_sum_of_squares
        )
        > 1e-9 * greatest(1, segments.within_cluster_sum_of_squares)
    )
