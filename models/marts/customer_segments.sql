{%- set by_factors = valid_var('segmentation_features') == 'factors' %}
{%- set segment_ranks = range(1, sql_number('segment_count') + 1) %}

with

scored as (

    select * from {{ ref('int_customers__scored') }}

),

{% if by_factors -%}
factor_segments as (

    -- K-Means of the score's 0-1 factors: a segment per customer, not a score range
    select
        customer_id,
        segment_rank,
        segment_label
    from {{ ref('int_customers__factor_segments') }}

),
{%- else -%}
    segment_bounds as (

    -- one row: the lowest score of each rank's range and the rank's label
        select
            {%- for rank in segment_ranks %}
                max(case when segment_rank = {{ rank }} then score_lower_bound end)
                    as rank_{{ rank }}_lower_bound,
                max(case when segment_rank = {{ rank }} then segment_label end)
                    as rank_{{ rank }}_label,
            {%- endfor %}
            count(*) as fitted_segment_count
        from {{ ref('int_segments__kmeans') }}

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
        {%- for factor in score_factors() %}
            struct_extract(scored.factor_points, '{{ factor.name }}') as {{ factor.name }}_points,
        {%- endfor %}
        scored.credit_score,
        {% if by_factors -%}
            factor_segments.segment_rank,
            factor_segments.segment_label
        {%- else -%}
            -- segments are contiguous score ranges, best first: a customer takes the first range
            -- whose lower bound the score reaches. Comparisons, not a join on the score, which
            -- is slower (docs/scaling.md).
            case
                {%- for rank in segment_ranks %}
                    when scored.credit_score >= segment_bounds.rank_{{ rank }}_lower_bound
                        then {{ rank }}
                {%- endfor %}
            end as segment_rank,
            case
                {%- for rank in segment_ranks %}
                    when scored.credit_score >= segment_bounds.rank_{{ rank }}_lower_bound
                        then segment_bounds.rank_{{ rank }}_label
                {%- endfor %}
            end as segment_label
        {%- endif %}

    from scored
    {% if by_factors -%}
        inner join factor_segments
            on scored.customer_id = factor_segments.customer_id
    {%- else -%}
        cross join segment_bounds
    {%- endif %}

)

select * from assigned
-- file order: joins do not keep it, and a plain export of the table must not vary by build
order by source_row_number
