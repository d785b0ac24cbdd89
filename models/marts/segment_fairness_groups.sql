{#- The fairness view one row per group: the group-level columns of segment_fairness, which repeat
    there on each of the group's segment rows, in the order a reader goes through them. -#}
with

segment_fairness as (

    select * from {{ ref('segment_fairness') }}

),

final as (

    select distinct
        characteristic,
        characteristic_order,
        group_value,
        group_sort_order,
        group_customer_count,
        favourable_customer_count,
        favourable_rate,
        reference_group_value,
        reference_favourable_rate,
        adverse_impact_ratio,
        is_reference_group,
        favourable_max_rank,
        adverse_impact_threshold,
        is_below_impact_threshold

    from segment_fairness

)

select * from final
order by characteristic_order, group_sort_order
