with

scored as (

    select * from {{ ref('int_customers__scored') }}

),

segments as (

    select * from {{ ref('int_segments__kmeans') }}

),

assigned as (

    select
        scored.customer_id,
        scored.source_row_number,
        scored.is_customer_id_derived,
        scored.age_years,
        scored.gender,
        scored.marital_status,
        scored.education_level,
        scored.employment_status,
        scored.credit_utilization_ratio,
        scored.payment_history,
        scored.number_of_credit_accounts,
        scored.loan_amount,
        scored.interest_rate_pct,
        scored.loan_term_months,
        scored.loan_type,
        scored.score_method,
        scored.payment_history_points,
        scored.credit_utilization_points,
        scored.credit_accounts_points,
        scored.education_points,
        scored.employment_points,
        scored.credit_score,
        segments.segment_rank,
        segments.segment_label

    from scored
    -- segments are contiguous score ranges, so a range join is exact nearest-centroid assignment
    inner join segments
        on
            scored.credit_score >= segments.score_lower_bound
            and (
                segments.score_upper_bound is null
                or scored.credit_score < segments.score_upper_bound
            )

)

select * from assigned
