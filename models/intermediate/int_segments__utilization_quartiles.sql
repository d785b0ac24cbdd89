{#- The five-number summary of the credit utilization ratio per segment, exactly as min,
    percentile_cont(0.25 / 0.5 / 0.75) and max give it, computed from a histogram of the values.
    percentile_cont holds every customer's value in memory at once, which DuckDB cannot spill to
    disk; a group-by and a window can (docs/scaling.md). -#}
with

customer_segments as (

    select * from {{ ref('customer_segments') }}

),

value_counts as (

    select
        segment_rank,
        credit_utilization_ratio,
        count(*) as customer_count

    from customer_segments
    where credit_utilization_ratio is not null
    group by segment_rank, credit_utilization_ratio

),

cumulative_counts as (

    select
        segment_rank,
        credit_utilization_ratio,
        sum(customer_count) over (
            partition by segment_rank
            order by credit_utilization_ratio
            rows between unbounded preceding and current row
        ) as customers_at_or_below,
        sum(customer_count) over (partition by segment_rank) as segment_customer_count

    from value_counts

),

quartiles as (

    select 0.25 as quartile
    union all
    select 0.5 as quartile
    union all
    select 0.75 as quartile

),

positions as (

    -- percentile_cont interpolates between the sorted values at 0-based positions floor(h) and
    -- floor(h) + 1, where h = (n - 1) * quartile
    select distinct
        cumulative_counts.segment_rank,
        quartiles.quartile,
        (cumulative_counts.segment_customer_count - 1) * quartiles.quartile as quartile_position

    from cumulative_counts
    cross join quartiles

),

bracketing_values as (

    -- the value at position p is the smallest value with more than p customers at or below it
    select
        positions.segment_rank,
        positions.quartile,
        positions.quartile_position - floor(positions.quartile_position) as fraction,
        min(
            case
                when cumulative_counts.customers_at_or_below > floor(positions.quartile_position)
                    then cumulative_counts.credit_utilization_ratio
            end
        ) as lower_value,
        min(
            case
                when
                    cumulative_counts.customers_at_or_below
                    > floor(positions.quartile_position) + 1
                    then cumulative_counts.credit_utilization_ratio
            end
        ) as upper_value

    from positions
    inner join cumulative_counts
        on positions.segment_rank = cumulative_counts.segment_rank
    group by positions.segment_rank, positions.quartile, positions.quartile_position

),

interpolated as (

    -- at the last position there is no next value, and the fraction is 0
    select
        segment_rank,
        quartile,
        lower_value
        + fraction * (coalesce(upper_value, lower_value) - lower_value) as quartile_value

    from bracketing_values

),

extremes as (

    select
        segment_rank,
        min(credit_utilization_ratio) as min_credit_utilization_ratio,
        max(credit_utilization_ratio) as max_credit_utilization_ratio

    from value_counts
    group by segment_rank

),

final as (

    select
        extremes.segment_rank,
        extremes.min_credit_utilization_ratio,
        max(case when interpolated.quartile = 0.25 then interpolated.quartile_value end)
            as p25_credit_utilization_ratio,
        max(case when interpolated.quartile = 0.5 then interpolated.quartile_value end)
            as median_credit_utilization_ratio,
        max(case when interpolated.quartile = 0.75 then interpolated.quartile_value end)
            as p75_credit_utilization_ratio,
        extremes.max_credit_utilization_ratio

    from extremes
    inner join interpolated
        on extremes.segment_rank = interpolated.segment_rank
    group by
        extremes.segment_rank,
        extremes.min_credit_utilization_ratio,
        extremes.max_credit_utilization_ratio

)

select * from final
