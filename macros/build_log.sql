{#-
  The build log, source('warehouse', 'build_log'): one row per dbt invocation that runs hooks
  (build, run, test, seed, snapshot; not compile, show or docs). on-run-start records the row as
  'running'; on-run-end completes it from dbt's `results`. A row still 'running' is an invocation
  that never reached its end: killed, or still going. The report reads the log to name the build
  its tables come from.

  A run that stops in an earlier on-run-start hook (a bad var or input file: one `error:` line,
  no model run, no table changed) raises before record_build_start and leaves no row, since dbt
  runs no on-run-end hook after an exception in on-run-start.
-#}

{% macro build_log_relation() %}
  {%- set source_node = graph.sources['source.' ~ project_name ~ '.warehouse.build_log'] -%}
  {{ return(api.Relation.create(
      database=source_node.database, schema=source_node.schema, identifier=source_node.identifier)) }}
{% endmacro %}

{#- on-run-start: creates the log when missing and records this invocation as running. -#}
{% macro record_build_start() %}
  {%- if not execute -%}{{ return('') }}{%- endif -%}
  {%- set log = build_log_relation() -%}
  {%- do run_query(build_log_ddl(log)) -%}
  {%- set selection = [] -%}
  {#- selector main_job (make build) builds every model, seed and snapshot: the whole project -#}
  {%- for flag in ['select', 'exclude', 'selector'] if invocation_args_dict.get(flag)
      and not (flag == 'selector' and invocation_args_dict.get(flag) == 'main_job') -%}
    {%- set value = invocation_args_dict.get(flag) -%}
    {%- do selection.append('--' ~ flag ~ ' ' ~ (value if value is string else value | join(' '))) -%}
  {%- endfor -%}
  insert into {{ log }} (
      invocation_id, dbt_command, node_selection, is_empty_build, status, started_at, input_path,
      as_of, score_method, segment_count, segmentation_features
  )
  values (
      {{ sql_literal(invocation_id) }},
      {{ sql_literal(invocation_args_dict.get('which')) }},
      {{ sql_literal(selection | join(' ') or none) }},
      {{ sql_literal(invocation_args_dict.get('empty', false) is sameas true) }},
      'running',
      cast({{ sql_literal(run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f')) }} as {{ dbt.type_timestamp() }}),
      {{ sql_literal(input_path()) }},
      {{ snapshot_as_of() }},
      {{ sql_literal(valid_var('score_method')) }},
      {{ sql_number('segment_count') }},
      {{ sql_literal(valid_var('segmentation_features')) }}
  )
{% endmacro %}

{#- Portable types (dbt's cross-database macros) and no constraints, which not every engine enforces. -#}
{% macro build_log_ddl(log) %}
  {%- set text, stamp = dbt.type_string(), dbt.type_timestamp() -%}
  create table if not exists {{ log }} (
      invocation_id {{ text }},
      dbt_command {{ text }},
      node_selection {{ text }},
      is_empty_build {{ dbt.type_boolean() }},
      status {{ text }},
      started_at {{ stamp }},
      finished_at {{ stamp }},
      input_path {{ text }},
      as_of {{ stamp }},
      score_method {{ text }},
      segment_count {{ dbt.type_int() }},
      segmentation_features {{ text }},
      input_row_count {{ dbt.type_bigint() }},
      segmented_row_count {{ dbt.type_bigint() }},
      rejected_row_count {{ dbt.type_bigint() }},
      rebuilt_marts {{ text }},
      failed_nodes {{ text }},
      error_message {{ text }}
  )
{% endmacro %}

{#- on-run-end: completes this invocation's row from dbt's results. The row counts come from
    the models this invocation built: the quality gate's counts, else (the gate failed) the
    rejected rows and the input, and customer_segments; null for what it did not build. -#}
{% macro record_build_end(results) %}
  {%- if not execute -%}{{ return('') }}{%- endif -%}
  {#- when an on-run-start hook's SQL failed, dbt still runs this hook but record_build_start may
      not have run: create the table, and the update then finds no row -#}
  {%- do run_query(build_log_ddl(build_log_relation())) -%}
  {%- set failed = [] -%}
  {%- set failed_nodes = [] -%}
  {%- set built = [] -%}
  {%- set rebuilt_marts = [] -%}
  {%- for result in results -%}
    {%- if result.status in ['error', 'fail', 'runtime error'] -%}
      {%- do failed.append(result) -%}
      {%- do failed_nodes.append(result.node.resource_type ~ ' ' ~ result.node.name) -%}
    {%- elif result.status == 'success' -%}
      {%- do built.append(result.node.unique_id) -%}
      {%- if result.node.resource_type == 'snapshot'
          or (result.node.resource_type == 'model' and result.node.fqn[1] == 'marts') -%}
        {%- do rebuilt_marts.append(result.node.name) -%}
      {%- endif -%}
    {%- endif -%}
  {%- endfor -%}
  {%- set gate = build_log_model_relation('int_customers__quality_gate') -%}
  {%- set rejected = build_log_model_relation('int_customers__rejected') -%}
  {%- set validated = build_log_model_relation('int_customers__validated') -%}
  {%- set segments = build_log_model_relation('customer_segments') -%}
  {%- if gate.unique_id in built -%}
    {%- set input_rows = '(select input_row_count from ' ~ gate.relation ~ ')' -%}
    {%- set rejected_rows = '(select rejected_row_count from ' ~ gate.relation ~ ')' -%}
  {%- elif rejected.unique_id in built -%}
    {#- the gate stopped the build: count what it counted, on the typed table (not the file again) -#}
    {%- set input_rows = '(select count(*) from ' ~ validated.relation ~ ')' -%}
    {%- set rejected_rows = '(select count(*) from ' ~ rejected.relation ~ ')' -%}
  {%- else -%}
    {%- set input_rows, rejected_rows = 'null', 'null' -%}
  {%- endif -%}
  {%- set segmented_rows = '(select count(*) from ' ~ segments.relation ~ ')'
      if segments.unique_id in built else 'null' -%}
  {%- set first_failure = failed | first -%}
  update {{ build_log_relation() }}
  set
      status = {{ sql_literal('failed' if failed else 'success') }},
      finished_at = cast({{ sql_literal(
          modules.datetime.datetime.now(modules.pytz.utc).strftime('%Y-%m-%d %H:%M:%S.%f')
      ) }} as {{ dbt.type_timestamp() }}),
      input_row_count = {{ input_rows }},
      segmented_row_count = {{ segmented_rows }},
      rejected_row_count = {{ rejected_rows }},
      rebuilt_marts = {{ sql_literal(rebuilt_marts | sort | join(', ') or none) }},
      failed_nodes = {{ sql_literal(failed_nodes | join(', ') or none) }},
      error_message = {{ sql_literal(first_failure.message if first_failure else none) }}
  where invocation_id = {{ sql_literal(invocation_id) }}
{% endmacro %}

{#- The unique id and relation of one of this project's models. -#}
{% macro build_log_model_relation(name) %}
  {%- set unique_id = 'model.' ~ project_name ~ '.' ~ name -%}
  {%- set node = graph.nodes[unique_id] -%}
  {{ return({'unique_id': unique_id, 'relation': api.Relation.create(
      database=node.database, schema=node.schema, identifier=node.alias)}) }}
{% endmacro %}
