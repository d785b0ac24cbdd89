{#-
  Placed before a CTE's body (`name as {{ inline_cte() }} (...)`) that is read twice: asks the
  database to compute it where it is used instead of materialising every row and column of it.
  DuckDB materialises such CTEs by default, which at 10 million rows spills the whole input to disk.
-#}
{% macro inline_cte() %}
  {{ return(adapter.dispatch('inline_cte', 'credit_segments')()) }}
{% endmacro %}

{% macro default__inline_cte() -%}
{%- endmacro %}

{% macro duckdb__inline_cte() -%}
    not materialized
{%- endmacro %}
