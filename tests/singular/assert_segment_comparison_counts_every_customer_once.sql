-- Each comparison scheme counts every segmented customer exactly once (fico_band only on the fico scale).
with

customers as (

    select
        count(*) as customer_count,
        count(*) filter (where score_method = 'fico') as fico_customer_count
    from {{ ref('customer_segments') }}

),

per_scheme as (

    select
        comparison_scheme,
        sum(customer_count) as customer_count
    from {{ ref('segment_comparison') }}
    group by comparison_scheme

)

select
    per_scheme.comparison_scheme,
    per_scheme.customer_count,
    customers.customer_count as expected_customer_count
from per_scheme
cross join customers
where per_scheme.customer_count != case
    when per_scheme.comparison_scheme = 'fico_band' then customers.fico_customer_count
    else customers.customer_count
end
