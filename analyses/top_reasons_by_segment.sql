-- For each segment, how often each reason code is a customer's first (costliest) reason, and the
-- mean points it costs them: what holds each segment back.
with

customer_segments as (

    select * from {{ ref('customer_segments') }}

),

customer_score_reasons as (

    select * from {{ ref('customer_score_reasons') }}

),

final as (

    select
        customer_segments.segment_rank,
        customer_segments.segment_label,
        customer_score_reasons.reason_1_code as reason_code,
        customer_score_reasons.reason_1_text as reason_text,
        count(*) as customer_count,
        round(avg(customer_score_reasons.reason_1_points_lost), 2) as mean_points_lost

    from customer_score_reasons
    inner join customer_segments
        on customer_score_reasons.customer_id = customer_segments.customer_id
    where customer_score_reasons.reason_1_code is not null
    group by
        customer_segments.segment_rank,
        customer_segments.segment_label,
        customer_score_reasons.reason_1_code,
        customer_score_reasons.reason_1_text

)

select * from final
order by segment_rank asc, customer_count desc, reason_code asc
