{#- The period a build closes, as a SQL timestamp: var as_of (a date or timestamp, e.g. 2026-10-31
    for October's book), or null for an ad-hoc build, which records no history. -#}
{% macro snapshot_as_of() %}
  {%- set as_of = valid_var('as_of') -%}
  {{ return("cast(" ~ sql_literal(as_of) ~ " as " ~ dbt.type_timestamp() ~ ")") }}
{% endmacro %}

{#- Stops the build before the snapshot runs when var as_of is earlier than the latest snapshot
    already recorded: the timestamp strategy would record only the customers it has never seen,
    under the old date, and leave a half snapshot behind. -#}
{% macro assert_as_of_moves_forward(snapshot_name) %}
  {%- if not execute -%}{{ return('') }}{%- endif -%}
  {#- graph has no nodes in a unit test's context -#}
  {%- set nodes = (graph.get('nodes') or {}).values() | selectattr('resource_type', 'equalto', 'snapshot')
      | selectattr('name', 'equalto', snapshot_name) | list -%}
  {%- if nodes | length == 0 or valid_var('as_of') is none -%}{{ return('') }}{%- endif -%}
  {%- set relation = adapter.get_relation(
      database=nodes[0].database, schema=nodes[0].schema, identifier=nodes[0].alias) -%}
  {%- if relation is none -%}{{ return('') }}{%- endif -%}
  {%- set as_of = snapshot_as_of() -%}
  {%- set result = run_query(
      "select cast(max(snapshot_as_of) as varchar), cast(" ~ as_of ~ " as varchar), "
      ~ "coalesce(max(snapshot_as_of) > " ~ as_of ~ ", false) from " ~ relation) -%}
  {%- set latest, requested, is_backwards = result.rows[0][0], result.rows[0][1], result.rows[0][2] -%}
  {%- if is_backwards -%}
    {{ exceptions.raise_compiler_error(
      "var as_of (" ~ requested ~ ") is earlier than the latest snapshot in " ~ relation ~ " (" ~ latest
      ~ "): segment history is recorded forward only. Build with an as_of after " ~ latest
      ~ ", or rebuild the history in date order.") }}
  {%- endif -%}
  {{ return('') }}
{% endmacro %}
