-- The segments, best to worst: how many customers each holds and the score range it covers.
select
    segment_rank,
    segment_label,
    customer_count,
    round(100 * customer_share, 1) as customer_share_pct,
    min_credit_score,
    max_credit_score,
    round(mean_credit_score, 1) as mean_credit_score

from {{ ref('segment_summary') }}
order by segment_rank
