with

source as (

    select * from {{ source('raw', 'credit_customers') }}

),

renamed as (

    select
        source_row_number,
        source_line_number,
        coalesce(
            nullif(trim("Customer ID"), ''),
            'row-' || cast(source_row_number as {{ dbt.type_string() }})
        ) as customer_id,
        nullif(trim("Customer ID"), '') is null as is_customer_id_derived,

        {{ parse_number('"Age"') }} as age_years,
        {{ normalize_category('"Gender"') }} as gender,
        {{ normalize_category('"Marital Status"') }} as marital_status,
        {{ normalize_category('"Education Level"') }} as education_level,
        {{ normalize_category('"Employment Status"') }} as employment_status,
        {{ parse_number('"Credit Utilization Ratio"') }}
        / {{ sql_number('credit_utilization_scale') }} as credit_utilization_ratio,
        {{ parse_number('"Payment History"') }} as payment_history,
        {{ parse_number('"Number of Credit Accounts"') }} as number_of_credit_accounts,
        {{ parse_number('"Loan Amount"') }} as loan_amount,
        {{ parse_number('"Interest Rate"') }} as interest_rate_pct,
        {{ parse_number('"Loan Term"') }} as loan_term_months,
        {{ normalize_category('"Type of Loan"') }} as loan_type,

        -- the text as read, kept for the quarantine
        "Customer ID" as raw_customer_id,
        "Age" as raw_age,
        "Gender" as raw_gender,
        "Marital Status" as raw_marital_status,
        "Education Level" as raw_education_level,
        "Employment Status" as raw_employment_status,
        "Credit Utilization Ratio" as raw_credit_utilization_ratio,
        "Payment History" as raw_payment_history,
        "Number of Credit Accounts" as raw_number_of_credit_accounts,
        "Loan Amount" as raw_loan_amount,
        "Interest Rate" as raw_interest_rate,
        "Loan Term" as raw_loan_term,
        "Type of Loan" as raw_loan_type,
        malformed_line

    from source

)

select * from renamed
