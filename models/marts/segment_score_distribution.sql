{#- The report's score histogram, stacked by segment: small at any input size, so the report
    never reads customer_segments row by row. -#}
{%- set bin_width = sql_number('score_bin_width') %}

with

customer_segments as (

    select * from {{ ref('customer_segments') }}

),

binned as (

    select
        segment_rank,
        segment_label,
        floor(credit_score / {{ bin_width }}) * {{ bin_width }} as score_bin_lower_bound

    from customer_segments

),

final as (

    select
        segment_rank,
        segment_label,
        cast(score_bin_lower_bound as double) as score_bin_lower_bound,
        cast({{ bin_width }} as double) as score_bin_width,
        count(*) as customer_count

    from binned
    group by segment_rank, segment_label, score_bin_lower_bound

)

select * from final
order by segment_rank, score_bin_lower_bound
