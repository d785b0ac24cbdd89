{#- The moment a build's customer_segments describe, as a SQL timestamp literal: var as_of (a date
    or timestamp, e.g. 2026-10-31 for October's book), else the run's start time (UTC), so that by
    default every build is a snapshot of its own. -#}
{% macro snapshot_as_of() %}
  {%- set as_of = var('as_of', none) -%}
  {%- if as_of is none or (as_of | string | trim) == '' -%}
    {%- set text = run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') -%}
  {%- else -%}
    {%- set text = as_of | string | trim -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?)?$', text) -%}
      {{ exceptions.raise_compiler_error(
        "var as_of must be a date or timestamp such as 2026-10-31 or '2026-10-31 18:00:00' (no time zone); got '"
        ~ text ~ "'. It names the moment the input file describes, e.g. the month-end of a monthly book.") }}
    {%- endif -%}
  {%- endif -%}
  {{ return("cast('" ~ text ~ "' as timestamp)") }}
{% endmacro %}
