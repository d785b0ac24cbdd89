{#- The text as a double, or null when it is empty or does not parse ('n/a', '1,5'). Adding 0 turns
    '-0' into 0 (IEEE 754), so a value is never stored as -0.0. -#}
{% macro parse_number(column) %}
  {{ return(adapter.dispatch('parse_number', 'credit_segments')(column)) }}
{% endmacro %}

{#- dbt.safe_cast is a plain cast on adapters without a safe cast, so it would fail, not null. -#}
{% macro duckdb__parse_number(column) -%}
    (try_cast(nullif(trim({{ column }}), '') as double) + 0)
{%- endmacro %}

{% macro default__parse_number(column) -%}
    ({{ dbt.safe_cast("nullif(trim(" ~ column ~ "), '')", api.Column.translate_type("float")) }} + 0)
{%- endmacro %}
