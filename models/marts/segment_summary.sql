with

customer_segments as (

    select * from {{ ref('customer_segments') }}

),

segments as (

    {% if valid_var('segmentation_features') == 'factors' %}
        -- factor segments are not score ranges: no bounds, and the centroid shown is the mean score
        select
            segment_rank,
            any_value(segment_label) as segment_label,
            avg(credit_score)::double as centroid_score,
            null::decimal(12, 4) as score_lower_bound,
            null::decimal(12, 4) as score_upper_bound

        from customer_segments
        group by segment_rank
    {% else %}
        select * from {{ ref('int_segments__kmeans') }}
    {% endif %}

),

utilization_quartiles as (

    -- the report's box plot: exact quartiles that do not hold every value in memory
    select * from {{ ref('int_segments__utilization_quartiles') }}

),

profiled as (

    -- deterministic_avg: a rebuild of the same file gives byte-identical means
    select
        segment_rank,
        count(*) as customer_count,
        min(credit_score) as min_credit_score,
        max(credit_score) as max_credit_score,
        avg(credit_score) as mean_credit_score,
        {{ deterministic_avg('age_years') }} as mean_age_years,
        {{ deterministic_avg('credit_utilization_ratio') }} as mean_credit_utilization_ratio,
        {{ deterministic_avg('payment_history') }} as mean_payment_history,
        {{ deterministic_avg('number_of_credit_accounts') }} as mean_number_of_credit_accounts,
        {{ deterministic_avg('loan_amount') }} as mean_loan_amount,
        {{ deterministic_avg('interest_rate_pct') }} as mean_interest_rate_pct,
        {{ deterministic_avg('loan_term_months') }} as mean_loan_term_months

    from customer_segments
    group by segment_rank

),

final as (

    select
        segments.segment_rank,
        segments.segment_label,
        profiled.customer_count,
        profiled.customer_count / sum(profiled.customer_count) over () as customer_share,
        segments.centroid_score,
        segments.score_lower_bound,
        segments.score_upper_bound,
        profiled.min_credit_score,
        profiled.max_credit_score,
        profiled.mean_credit_score,
        profiled.mean_age_years,
        profiled.mean_credit_utilization_ratio,
        profiled.mean_payment_history,
        profiled.mean_number_of_credit_accounts,
        profiled.mean_loan_amount,
        profiled.mean_interest_rate_pct,
        profiled.mean_loan_term_months,
        utilization_quartiles.min_credit_utilization_ratio,
        utilization_quartiles.p25_credit_utilization_ratio,
        utilization_quartiles.median_credit_utilization_ratio,
        utilization_quartiles.p75_credit_utilization_ratio,
        utilization_quartiles.max_credit_utilization_ratio

    from segments
    inner join profiled
        on segments.segment_rank = profiled.segment_rank
    inner join utilization_quartiles
        on segments.segment_rank = utilization_quartiles.segment_rank

)

select * from final
order by segment_rank
