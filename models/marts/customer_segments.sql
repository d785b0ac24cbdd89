with

scored as (

    select * from {{ ref('int_customers__scored') }}

),

segments as (

    select * from {{ ref('int_segments__kmeans') }}

),

distinct_scores as (

    -- its own read of the view: a second reference to the CTE scored would make the database
    -- materialise every column of it
    select distinct credit_score from {{ ref('int_customers__scored') }}

),

score_segments as (

    -- segments are contiguous score ranges, so a range join is exact nearest-centroid assignment;
    -- it runs on the distinct scores only, and customers then join by equality (a hash join)
    select
        distinct_scores.credit_score,
        segments.segment_rank,
        segments.segment_label

    from distinct_scores
    inner join segments
        on distinct_scores.credit_score >= segments.score_lower_bound
        and (segments.score_upper_bound is null or distinct_scores.credit_score < segments.score_upper_bound)

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
        score_segments.segment_rank,
        score_segments.segment_label

    from scored
    inner join score_segments
        on scored.credit_score = score_segments.credit_score

)

select * from assigned
