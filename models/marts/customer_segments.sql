{%- set by_factors = var('segmentation_features') == 'factors' %}

with

scored as (

    select * from {{ ref('int_customers__scored') }}

),

{% if by_factors -%}
segment_assignments as (

    -- K-Means of the five factors: a segment per customer, not a score range
    select
        customer_id,
        segment_rank,
        segment_label
    from {{ ref('int_customers__factor_segments') }}

),
{%- else -%}
    distinct_scores as (

        select credit_score from {{ ref('int_credit_scores__histogram') }}

    ),

    segment_assignments as (

    -- segments are contiguous score ranges, so a range join is exact nearest-centroid assignment;
    -- it runs on the distinct scores only, and customers then join by equality (a hash join)
        select
            distinct_scores.credit_score,
            segments.segment_rank,
            segments.segment_label

        from distinct_scores
        inner join {{ ref('int_segments__kmeans') }} as segments
            on
                distinct_scores.credit_score >= segments.score_lower_bound
                and (
                    segments.score_upper_bound is null
                    or distinct_scores.credit_score < segments.score_upper_bound
                )

    ),
{%- endif %}

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
        segment_assignments.segment_rank,
        segment_assignments.segment_label

    from scored
    inner join segment_assignments
    {% if by_factors -%}
            on scored.customer_id = segment_assignments.customer_id
        {%- else -%}
            on scored.credit_score = segment_assignments.credit_score
    {%- endif %}

)

select * from assigned
