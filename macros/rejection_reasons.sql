{#-
  Reason codes (see seed rejection_reasons) for one input value. Each expression is null when the
  check passes, so every reason that applies is kept, not only the first.
-#}
{% macro value_reasons(reason_prefix, value, raw_value, out_of_range, required=false) -%}
    {%- set present = "nullif(trim(" ~ raw_value ~ "), '') is not null" -%}
    {%- set reasons = [] -%}
    {%- if required -%}
        {%- do reasons.append("case when not (" ~ present ~ ") then '" ~ reason_prefix ~ "_missing' end") -%}
    {%- endif -%}
    {%- do reasons.append("case when " ~ present ~ " and " ~ value ~ " is null then '" ~ reason_prefix ~ "_not_numeric' end") -%}
    {%- do reasons.append("case when not " ~ is_finite(value) ~ " then '" ~ reason_prefix ~ "_not_finite' end") -%}
    {%- do reasons.append("case when " ~ is_finite(value) ~ " and (" ~ out_of_range ~ ") then '" ~ reason_prefix ~ "_out_of_range' end") -%}
    {{ return(reasons | join(',\n            ')) }}
{%- endmacro %}

{#- A required category: missing, or not found in its encoding seed. -#}
{% macro category_reasons(reason_prefix, raw_value, code) -%}
    {{ return(
        "case when nullif(trim(" ~ raw_value ~ "), '') is null then '" ~ reason_prefix ~ "_missing' end,\n            "
        ~ "case when nullif(trim(" ~ raw_value ~ "), '') is not null and " ~ code ~ " is null then '" ~ reason_prefix ~ "_unknown' end"
    ) }}
{%- endmacro %}

{#- A list of the expressions that are not null, in order. -#}
{% macro non_null_list(expressions) %}
  {{ return(adapter.dispatch('non_null_list', 'credit_segments')(expressions)) }}
{% endmacro %}

{% macro duckdb__non_null_list(expressions) -%}
    list_filter(
        [
            {{ expressions | join(',\n            ') }}
        ],
        lambda reason: reason is not null
    )
{%- endmacro %}

{#- Postgres-style; Snowflake and Databricks have their own array functions. -#}
{% macro default__non_null_list(expressions) -%}
    array_remove(
        array[
            {{ expressions | join(',\n            ') }}
        ],
        null
    )
{%- endmacro %}

{% macro snowflake__non_null_list(expressions) -%}
    array_compact(
        array_construct(
            {{ expressions | join(',\n            ') }}
        )
    )
{%- endmacro %}

{% macro databricks__non_null_list(expressions) -%}
    filter(
        array(
            {{ expressions | join(',\n            ') }}
        ),
        reason -> reason is not null
    )
{%- endmacro %}

{#-
  Every reason (seed rejection_reasons) that the row's own values give for not scoring it, in check
  order: a list, empty when the row is valid. Reads the columns of int_customers__encoded.
-#}
{% macro row_rejection_reasons() -%}
    {{ non_null_list([
        value_reasons('payment_history', 'payment_history', 'raw_payment_history',
            out_of_range='payment_history < 0 or payment_history > ' ~ sql_number('payment_history_max'),
            required=true),
        value_reasons('credit_utilization', 'credit_utilization_ratio', 'raw_credit_utilization_ratio',
            out_of_range='credit_utilization_ratio < 0 or credit_utilization_ratio > 1',
            required=true),
        value_reasons('credit_accounts', 'number_of_credit_accounts', 'raw_number_of_credit_accounts',
            out_of_range='number_of_credit_accounts < 1',
            required=true),
        "case when " ~ is_finite('number_of_credit_accounts') ~ " and number_of_credit_accounts >= 1
            and number_of_credit_accounts != floor(number_of_credit_accounts)
            then 'credit_accounts_not_whole' end",
        category_reasons('education_level', 'raw_education_level', 'education_code'),
        category_reasons('employment_status', 'raw_employment_status', 'employment_code'),
        value_reasons('age', 'age_years', 'raw_age',
            out_of_range='age_years < ' ~ sql_number('age_min') ~ ' or age_years > ' ~ sql_number('age_max')),
        value_reasons('loan_amount', 'loan_amount', 'raw_loan_amount',
            out_of_range='loan_amount < 0'),
        value_reasons('interest_rate', 'interest_rate_pct', 'raw_interest_rate',
            out_of_range='interest_rate_pct < 0'),
        value_reasons('loan_term', 'loan_term_months', 'raw_loan_term',
            out_of_range='loan_term_months <= 0'),
    ]) }}
{%- endmacro %}
