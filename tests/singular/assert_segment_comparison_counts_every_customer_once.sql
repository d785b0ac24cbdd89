-- Each comparison scheme counts every segmented customer once (fico_band: those on the fico scale).
with

customers as (

    select
        count(*) as customer_count,
        count(*) filter (where score_method = 'fico') as fico_customer_count
    from {{ ref('customer_segments') }}

),

expected as (

    select
        'score_quintile' as comparison_scheme,
        customer_count
    from customers
    union all
    select
        'fico_band' as comparison_scheme,
        fico_customer_count as customer_count
    from customers

),

per_scheme as (

    select
        comparison_scheme,
        sum(customer_count) as customer_count
    from {{ ref('segment_comparison') }}
    group by comparison_scheme

)

select
    expected.comparison_scheme,
    expected.customer_count as expected_customer_count,
    per_scheme.customer_count
from expected
full outer join per_scheme
    on expected.comparison_scheme = per_scheme.comparison_scheme
where coalesce(per_scheme.customer_count, 0) != coalesce(expected.customer_count, 0)
