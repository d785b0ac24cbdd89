-- The 20 lowest-scoring customers of the worst segment, with the points each factor earned:
-- the factor furthest below its maximum is where the score was lost.
with

customer_segments as (

    select * from {{ ref('customer_segments') }}

),

worst_segment as (

    select max(segment_rank) as segment_rank from customer_segments

),

final as (

    select
        customer_segments.customer_id,
        customer_segments.segment_label,
        customer_segments.credit_score,
        customer_segments.payment_history_points,
        customer_segments.credit_utilization_points,
        customer_segments.credit_accounts_points,
        customer_segments.education_points,
        customer_segments.employment_points

    from customer_segments
    inner join worst_segment
        on customer_segments.segment_rank = worst_segment.segment_rank

)

select * from final
order by credit_score, customer_id
limit 20
