{#- Fairness view: how each group of a protected characteristic spreads over the segments, and the
    adverse impact ratio of reaching the favourable (top) segments, against the most favoured group. -#}
{%- set favourable_max_rank = sql_number('fairness_favourable_max_rank') -%}
{%- set impact_threshold = sql_number('adverse_impact_threshold') -%}

with

customer_segments as (

    select * from {{ ref('customer_segments') }}

),

-- the segments in use, whichever segmentation made them (score ranges or the five factors)
segment_summary as (

    select * from {{ ref('segment_summary') }}

),

age_bands as (

    select * from {{ ref('age_bands') }}

),

banded as (

    select
        customer_segments.segment_rank,
        customer_segments.gender,
        customer_segments.marital_status,
        case
            when customer_segments.age_years is null then 'Unknown'
            else coalesce(age_bands.age_band, 'Outside age bands')
        end as age_band,
        age_bands.age_band_order

    from customer_segments
    left join age_bands
        on
            customer_segments.age_years >= age_bands.min_age_years
            and (
                age_bands.max_age_years is null
                or customer_segments.age_years < age_bands.max_age_years
            )

),

-- one row per customer and characteristic; a missing value is a group of its own, never dropped
customer_groups as (

    select
        'gender' as characteristic,
        1 as characteristic_order,
        coalesce(gender, 'Unknown') as group_value,
        cast(null as integer) as band_order,
        segment_rank
    from banded

    union all

    select
        'marital_status' as characteristic,
        2 as characteristic_order,
        coalesce(marital_status, 'Unknown') as group_value,
        cast(null as integer) as band_order,
        segment_rank
    from banded

    union all

    select
        'age_band' as characteristic,
        3 as characteristic_order,
        age_band as group_value,
        age_band_order as band_order,
        segment_rank
    from banded

),

group_outcomes as (

    select
        characteristic,
        characteristic_order,
        group_value,
        min(band_order) as band_order,
        count(*) as group_customer_count,
        count(*) filter (where segment_rank <= {{ favourable_max_rank }})
            as favourable_customer_count,
        count(*) filter (where segment_rank <= {{ favourable_max_rank }})
        / count(*) as favourable_rate,
        group_value not in ('Unknown', 'Outside age bands') as is_known_group

    from customer_groups
    group by characteristic, characteristic_order, group_value

),

-- the most favoured group: highest favourable rate among groups with a known value, ties broken
-- by the larger group, then by name, so the choice is deterministic
ranked_groups as (

    select
        *,
        row_number() over (
            partition by characteristic
            order by
                is_known_group desc,
                favourable_rate desc,
                group_customer_count desc,
                group_value asc
        ) as favour_position,
        row_number() over (
            partition by characteristic
            order by not is_known_group, band_order nulls last, group_value
        ) as group_sort_order

    from group_outcomes

),

reference_groups as (

    select
        characteristic,
        group_value as reference_group_value,
        favourable_rate as reference_favourable_rate

    from ranked_groups
    where favour_position = 1 and is_known_group

),

rated_groups as (

    select
        ranked_groups.characteristic,
        ranked_groups.characteristic_order,
        ranked_groups.group_value,
        ranked_groups.group_sort_order,
        ranked_groups.group_customer_count,
        ranked_groups.favourable_customer_count,
        ranked_groups.favourable_rate,
        reference_groups.reference_group_value,
        reference_groups.reference_favourable_rate,
        -- undefined (null) when no known group reaches a favourable segment at all
        ranked_groups.favourable_rate
        / nullif(reference_groups.reference_favourable_rate, 0) as adverse_impact_ratio,
        coalesce(ranked_groups.group_value = reference_groups.reference_group_value, false)
            as is_reference_group

    from ranked_groups
    left join reference_groups
        on ranked_groups.characteristic = reference_groups.characteristic

),

group_segment_counts as (

    select
        characteristic,
        group_value,
        segment_rank,
        count(*) as customer_count

    from customer_groups
    group by characteristic, group_value, segment_rank

),

-- every group x every segment, so a group's shares add up to 1 and an empty cell shows as 0
final as (

    select
        rated_groups.characteristic,
        rated_groups.characteristic_order,
        rated_groups.group_value,
        rated_groups.group_sort_order,
        segment_summary.segment_rank,
        segment_summary.segment_label,
        coalesce(group_segment_counts.customer_count, 0) as customer_count,
        rated_groups.group_customer_count,
        coalesce(group_segment_counts.customer_count, 0)
        / rated_groups.group_customer_count as share_of_group,
        rated_groups.favourable_customer_count,
        rated_groups.favourable_rate,
        rated_groups.reference_group_value,
        rated_groups.reference_favourable_rate,
        rated_groups.adverse_impact_ratio,
        rated_groups.is_reference_group,
        {{ favourable_max_rank }} as favourable_max_rank,
        cast({{ impact_threshold }} as double) as adverse_impact_threshold,
        coalesce(rated_groups.adverse_impact_ratio < {{ impact_threshold }}, false)
            as is_below_impact_threshold

    from rated_groups
    cross join segment_summary
    left join group_segment_counts
        on
            rated_groups.characteristic = group_segment_counts.characteristic
            and rated_groups.group_value = group_segment_counts.group_value
            and segment_summary.segment_rank = group_segment_counts.segment_rank

)

select * from final
order by characteristic_order, group_sort_order, segment_rank
