{#- A table: its data tests and both parts of segment_comparison read it, and as a view each would
    recompute the window over every customer. -#}
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

customers_ranked as (

    select
        customer_id,
        credit_score,
        score_method,
        -- customers at or below this score (peers included), so equal scores share a quintile
        count(*) over (order by credit_score) as customers_at_or_below,
        count(*) over () as customer_count

    from scored

),

with_quintile as (

    select
        *,
        -- ceil(5 x share at or below) in integers: exact, and 1 = lowest 20 %, 5 = highest
        (5 * customers_at_or_below + customer_count - 1) // customer_count as score_quintile

    from customers_ranked

),

final as (

    select
        with_quintile.customer_id,
        with_quintile.credit_score,
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
