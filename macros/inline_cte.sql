{#-
  Placed before a CTE's body (`name as {{ inline_cte() }} (...)`) that is read twice: asks the
  database to compute it where it is used instead of materialising every row and column of it.
  DuckDB materialises such CTEs by default, which for a CTE over the input writes the whole input
  to disk (docs/scaling.md).
-#}
{% macro inline_cte() %}
  {{ return(adapter.dispatch('inline_cte', 'credit_segments')()) }}
{% endmacro %}

{% macro default__inline_cte() -%}
{%- endmacro %}

{% macro duckdb__inline_cte() -%}
    not materialized
{%- endmacro %}

{#-
  The opposite, for a CTE read by a test that compares its columns with each other: without it,
  DuckDB may inline each column's expression at every use and compute it many times over.
-#}
{% macro materialized_cte() %}
  {{ return(adapter.dispatch('materialized_cte', 'credit_segments')()) }}
{% endmacro %}

{% macro default__materialized_cte() -%}
{%- endmacro %}

{% macro duckdb__materialized_cte() -%}
    materialized
{%- endmacro %}

{#- Postgres 12+ knows the keyword too. -#}
{% macro postgres__materialized_cte() -%}
    materialized
{%- endmacro %}
