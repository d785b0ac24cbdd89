{#- The text as a double, or null when it is empty or does not parse ('n/a', '1,5'). -#}
{% macro parse_number(column) %}
  {{ return(adapter.dispatch('parse_number', 'credit_segments')(column)) }}
{% endmacro %}

{#- dbt.safe_cast is a plain cast on adapters without a safe cast, so it would fail, not null. -#}
{% macro duckdb__parse_number(column) -%}
    try_cast(nullif(trim({{ column }}), '') as double)
{%- endmacro %}

{% macro default__parse_number(column) -%}
    {{ dbt.safe_cast("nullif(trim(" ~ column ~ "), '')", api.Column.translate_type("float")) }}
{%- endmacro %}
