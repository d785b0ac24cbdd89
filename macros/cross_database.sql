{#-
  SQL that differs between engines, one dispatched macro each. The duckdb__ version is the one
  this project runs and tests; default__ is standard SQL where there is one; snowflake__ and
  databricks__ versions are written from those engines' documentation and are not run here
  (see docs/scaling.md).
-#}

{#- True for a finite number; false for NaN and +/-infinity; null for null. -#}
{% macro is_finite(value) %}
  {{ return(adapter.dispatch('is_finite', 'credit_segments')(value)) }}
{% endmacro %}

{% macro duckdb__is_finite(value) -%}
    isfinite({{ value }})
{%- endmacro %}

{#- NaN compares above every number (DuckDB, Postgres, Snowflake, Spark), so it falls outside too. -#}
{% macro default__is_finite(value) -%}
    ({{ value }} between -1.7976931348623157e308 and 1.7976931348623157e308)
{%- endmacro %}


{#- Number of elements of an array (list) column. -#}
{% macro array_size(array) %}
  {{ return(adapter.dispatch('array_size', 'credit_segments')(array)) }}
{% endmacro %}

{% macro duckdb__array_size(array) -%}
    len({{ array }})
{%- endmacro %}

{% macro default__array_size(array) -%}
    cardinality({{ array }})
{%- endmacro %}

{% macro snowflake__array_size(array) -%}
    array_size({{ array }})
{%- endmacro %}

{% macro databricks__array_size(array) -%}
    size({{ array }})
{%- endmacro %}


{#- `relation.*` without the given columns. -#}
{% macro star_exclude(relation_alias, columns) %}
  {{ return(adapter.dispatch('star_exclude', 'credit_segments')(relation_alias, columns)) }}
{% endmacro %}

{% macro default__star_exclude(relation_alias, columns) -%}
    {{ relation_alias }}.* exclude ({{ columns | join(', ') }})
{%- endmacro %}

{% macro databricks__star_exclude(relation_alias, columns) -%}
    {{ relation_alias }}.* except ({{ columns | join(', ') }})
{%- endmacro %}


{#-
  A join clause that turns each element of an array column into a row: columns value_name and,
  when given, position_name, which orders the elements as in the array. Standard SQL
  (unnest ... with ordinality) by default.
-#}
{% macro cross_join_unnest(array, alias, value_name, position_name=none) %}
  {{ return(adapter.dispatch('cross_join_unnest', 'credit_segments')(array, alias, value_name, position_name)) }}
{% endmacro %}

{% macro default__cross_join_unnest(array, alias, value_name, position_name) -%}
    {%- if position_name -%}
    cross join unnest({{ array }}) with ordinality as {{ alias }} ({{ value_name }}, {{ position_name }})
    {%- else -%}
    cross join unnest({{ array }}) as {{ alias }} ({{ value_name }})
    {%- endif -%}
{%- endmacro %}

{% macro snowflake__cross_join_unnest(array, alias, value_name, position_name) -%}
    cross join lateral (
        select flattened.value::varchar as {{ value_name }}
        {%- if position_name %}, flattened.index + 1 as {{ position_name }}{% endif %}
        from table(flatten(input => {{ array }})) as flattened
    ) as {{ alias }}
{%- endmacro %}

{% macro databricks__cross_join_unnest(array, alias, value_name, position_name) -%}
    {%- if position_name -%}
    lateral view posexplode({{ array }}) {{ alias }} as {{ position_name }}, {{ value_name }}
    {%- else -%}
    lateral view explode({{ array }}) {{ alias }} as {{ value_name }}
    {%- endif -%}
{%- endmacro %}
