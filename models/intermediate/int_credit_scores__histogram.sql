{#- A table of distinct scores, not of customers: K-Means, segment assignment, the quality metrics
    and the quintile and band comparison all need only how many customers hold each score. -#}
{{ config(materialized='table') }}

with

scored as (

    select * from {{ ref('int_customers__scored') }}

),

fico_bands as (

    select * from {{ ref('fico_bands') }}

),

band_ranges as (

    select
        band_rank,
        band_label,
        min_score,
        -- a band ends where the next better one starts
        lead(min_score) over (order by min_score) as next_min_score

    from fico_bands

),

counted as (

    select
        credit_score,
        score_method,
        count(*) as customer_count

    from scored
    group by credit_score, score_method

),

accumulated as (

    select
        *,
        -- customers at or below this score (peers included), so equal scores share a quintile
        cast(sum(customer_count) over (
            order by credit_score rows between unbounded preceding and current row
        ) as bigint) as customers_at_or_below,
        cast(sum(customer_count) over () as bigint) as total_customer_count

    from counted

),

with_quintile as (

    select
        *,
        -- ceil(5 x share at or below) in integers: exact, and 1 = lowest 20 %, 5 = highest
        (5 * customers_at_or_below + total_customer_count - 1)
        // total_customer_count as score_quintile

    from accumulated

),

final as (

    select
        with_quintile.credit_score,
        with_quintile.score_method,
        with_quintile.customer_count,
        with_quintile.customers_at_or_below,
        with_quintile.score_quintile,
        band_ranges.band_rank as fico_band_rank,
        band_ranges.band_label as fico_band_label

    from with_quintile
    -- the fixed FICO bands apply to the 300-850 scale only; seed-method scores get none
    left join band_ranges
        on
            with_quintile.score_method = 'fico'
            and with_quintile.credit_score >= band_ranges.min_score
            and (
                band_ranges.next_min_score is null
                or with_quintile.credit_score < band_ranges.next_min_score
            )

)

select * from final
