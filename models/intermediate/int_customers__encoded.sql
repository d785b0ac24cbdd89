with

customers as (

    select * from {{ ref('stg_credit__customers') }}

),

education_levels as (

    select * from {{ ref('education_levels') }}

),

employment_statuses as (

    select * from {{ ref('employment_statuses') }}

),

encoded as (

    select
        {{ star_exclude('customers', ['education_level', 'employment_status']) }},
        coalesce(education_levels.education_level, customers.education_level) as education_level,
        education_levels.education_code,
        education_levels.education_factor,
        coalesce(employment_statuses.employment_status, customers.employment_status)
            as employment_status,
        employment_statuses.employment_code,
        employment_statuses.employment_factor

    from customers
    -- case-insensitive, so 'phd' and 'PHD' both take the seed's spelling 'PhD'
    left join education_levels
        on lower(customers.education_level) = lower(education_levels.education_level)
    left join employment_statuses
        on lower(customers.employment_status) = lower(employment_statuses.employment_status)

)

select * from encoded
