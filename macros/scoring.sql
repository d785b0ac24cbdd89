{#- Points are exact decimals, so a score is exactly the sum of its factors' points. -#}
{% macro as_points(expression) -%}
    cast({{ expression }} as decimal(12, 4))
{%- endmacro %}

{#- FICO-style points: the factor's share of the 550-point range above the 300 floor, to 0.01. -#}
{% macro fico_points(weight, factor) -%}
    {{ as_points('round(550 * ' ~ weight ~ ' * ' ~ factor ~ ', 2)') }}
{%- endmacro %}

{#- Aborts the query with message (a SQL string expression) when condition holds; else true. -#}
{% macro fail_if(condition, message) %}
  {{ return(adapter.dispatch('fail_if', 'credit_segments')(condition, message)) }}
{% endmacro %}

{% macro duckdb__fail_if(condition, message) -%}
    case when {{ condition }} then error({{ message }}) else true end
{%- endmacro %}

{#- A failed cast stops the query, and engines quote the value they could not cast: the message. -#}
{% macro default__fail_if(condition, message) -%}
    case when {{ condition }} then cast({{ message }} as boolean) else true end
{%- endmacro %}

{% macro databricks__fail_if(condition, message) -%}
    case when {{ condition }} then raise_error({{ message }}) is null else true end
{%- endmacro %}
