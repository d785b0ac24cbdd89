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
