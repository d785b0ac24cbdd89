-- How each segment's loans split by type: customers, total and mean loan amount per type.
select
    segment_rank,
    segment_label,
    loan_type,
    count(*) as customer_count,
    sum(loan_amount) as total_loan_amount,
    round(avg(loan_amount), 0) as mean_loan_amount,
    round(avg(interest_rate_pct), 2) as mean_interest_rate_pct

from {{ ref('customer_segments') }}
group by segment_rank, segment_label, loan_type
order by segment_rank asc, customer_count desc
