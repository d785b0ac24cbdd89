{#-
  The customer file. `make run INPUT=...` (python -m credit_segments.cli build --input) passes it in
  the environment variable CREDIT_SEGMENTS_INPUT: a new file then changes no dbt var, so dbt keeps
  its partial parse and re-parses only the files that read the path. `--vars '{input_path: ...}'`
  still works and takes precedence, at the cost of a full re-parse whenever it changes.
-#}
{% macro input_path() %}
  {{ return(var('input_path', env_var('CREDIT_SEGMENTS_INPUT', 'data/credit_scoring_sample.csv')) | string) }}
{% endmacro %}
