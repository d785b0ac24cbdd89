with

customer_segments as (

    select * from {{ ref('customer_segments') }}

),

score_histogram as (

    select * from {{ ref('int_credit_scores__histogram') }}

),

fico_bands as (

    select * from {{ ref('fico_bands') }}

),

segment_scores as (

    -- one pass over the customers; quintile and band are properties of the score
    select
        segment_rank,
        segment_label,
        credit_score,
        count(*) as customer_count

    from customer_segments
    group by segment_rank, segment_label, credit_score

),

customer_groups as (

    -- each customer once per scheme; groups ranked 1 = best like segments
    select
        segment_scores.segment_rank,
        segment_scores.segment_label,
        segment_scores.customer_count,
        'score_quintile' as comparison_scheme,
        (6 - score_histogram.score_quintile)::integer as group_rank,
        'Q' || score_histogram.score_quintile as group_label

    from segment_scores
    inner join score_histogram
        on segment_scores.credit_score = score_histogram.credit_score

    union all

    select
        segment_scores.segment_rank,
        segment_scores.segment_label,
        segment_scores.customer_count,
        'fico_band' as comparison_scheme,
        score_histogram.fico_band_rank::integer as group_rank,
        score_histogram.fico_band_label as group_label

    from segment_scores
    inner join score_histogram
        on segment_scores.credit_score = score_histogram.credit_score
    where score_histogram.fico_band_rank is not null

),

segments as (

    select distinct
        segment_rank,
        segment_label

    from segment_scores

),

groups as (

    select
        'score_quintile' as comparison_scheme,
        (6 - quintiles.quintile)::integer as group_rank,
        'Q' || quintiles.quintile as group_label
    from range(1, 6) as quintiles (quintile)

    union all

    select
        'fico_band' as comparison_scheme,
        band_rank::integer as group_rank,
        band_label as group_label
    from fico_bands
    -- seed-method scores are not on the FICO scale, so they get no band comparison
    where
        exists (
            select customer_groups.group_rank from customer_groups
            where customer_groups.comparison_scheme = 'fico_band'
        )

),

counted as (

    select
        comparison_scheme,
        segment_rank,
        group_rank,
        sum(customer_count)::bigint as customer_count

    from customer_groups
    group by comparison_scheme, segment_rank, group_rank

),

grid as (

    -- every segment x group cell, zeros included, so the table reads as a full cross-tab
    select
        groups.comparison_scheme,
        segments.segment_rank,
        segments.segment_label,
        groups.group_rank,
        groups.group_label,
        coalesce(counted.customer_count, 0) as customer_count

    from segments
    cross join groups
    left join counted
        on
            groups.comparison_scheme = counted.comparison_scheme
            and segments.segment_rank = counted.segment_rank
            and groups.group_rank = counted.group_rank

),

final as (

    select
        *,
        customer_count
        / nullif(sum(customer_count) over (partition by comparison_scheme, segment_rank), 0)
            as share_of_segment,
        customer_count
        / nullif(sum(customer_count) over (partition by comparison_scheme, group_rank), 0)
            as share_of_group

    from grid

)

select * from final
order by comparison_scheme, segment_rank, group_rank
