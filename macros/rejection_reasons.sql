{#-
  The rejection checks, from the input schema (macro credit_input_columns): one per reason code
  of seed rejection_reasons, each a code and the condition (on the columns of
  stg_credit__customers and the encoding seeds) under which a row gets it. Per column, in the
  file's column order:
    <prefix>_missing         a required column's cell is empty
    <prefix>_not_numeric     a number's text does not parse
    <prefix>_not_finite      it parses to infinity or NaN
    <prefix>_out_of_range    outside the column's min and max
    <prefix>_not_whole       a whole-number column holds a fraction
    <prefix>_unknown         a category is not in its encoding seed
-#}
{% macro row_rejection_checks(every_column_required=false) %}
  {%- set checks = [] -%}
  {%- for input in credit_input_columns() if input.reason_prefix -%}
    {%- set prefix, value = input.reason_prefix, input.column -%}
    {%- set present = "nullif(trim(" ~ input.raw_column ~ "), '') is not null" -%}
    {%- if every_column_required or input_column_is_required(input) -%}
      {%- do checks.append({'code': prefix ~ '_missing', 'condition': 'not (' ~ present ~ ')'}) -%}
    {%- endif -%}
    {%- if input.type == 'number' -%}
      {%- set finite = is_finite(value) -%}
      {%- set below = (value ~ ' <= ' ~ input.min) if input.min_is_exclusive else (value ~ ' < ' ~ input.min) -%}
      {%- set outside = [] -%}
      {%- if input.get('min') is not none -%}{%- do outside.append(below) -%}{%- endif -%}
      {%- if input.get('max') is not none -%}{%- do outside.append(value ~ ' > ' ~ input.max) -%}{%- endif -%}
      {%- do checks.append({'code': prefix ~ '_not_numeric', 'condition': present ~ ' and ' ~ value ~ ' is null'}) -%}
      {%- do checks.append({'code': prefix ~ '_not_finite', 'condition': 'not ' ~ finite}) -%}
      {%- if outside -%}
        {%- do checks.append({'code': prefix ~ '_out_of_range',
            'condition': finite ~ ' and (' ~ outside | join(' or ') ~ ')'}) -%}
      {%- endif -%}
      {%- if input.is_whole -%}
        {%- do checks.append({'code': prefix ~ '_not_whole',
            'condition': finite ~ ' and not (' ~ (outside | join(' or ') or 'false') ~ ') and ' ~ value ~ ' != floor(' ~ value ~ ')'}) -%}
      {%- endif -%}
    {%- elif input.seed -%}
      {%- do checks.append({'code': prefix ~ '_unknown',
          'condition': present ~ ' and ' ~ input.seed_columns[0] ~ ' is null'}) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(checks) }}
{% endmacro %}

{#- Reasons that come from the file rather than from a row's values. -#}
{% macro malformed_line_reason() %}{{ return('malformed_line') }}{% endmacro %}
{% macro duplicate_customer_id_reason() %}{{ return('duplicate_customer_id') }}{% endmacro %}

{#- Every reason code the SQL can give a row, whatever columns the scorecard makes required: what
    seed rejection_reasons must list. -#}
{% macro rejection_reason_codes() %}
  {{ return(row_rejection_checks(every_column_required=true) | map(attribute='code') | list
      + [malformed_line_reason(), duplicate_customer_id_reason()]) }}
{% endmacro %}

{#- A list of the expressions that are not null, in order. -#}
{% macro non_null_list(expressions) %}
  {{ return(adapter.dispatch('non_null_list', 'credit_segments')(expressions)) }}
{% endmacro %}

{% macro duckdb__non_null_list(expressions) -%}
    list_filter(
        [
            {{ expressions | join(',\n            ') }}
        ],
        lambda reason: reason is not null
    )
{%- endmacro %}

{#- Postgres-style; Snowflake and Databricks have their own array functions. -#}
{% macro default__non_null_list(expressions) -%}
    array_remove(
        array[
            {{ expressions | join(',\n            ') }}
        ],
        null
    )
{%- endmacro %}

{% macro snowflake__non_null_list(expressions) -%}
    array_compact(
        array_construct(
            {{ expressions | join(',\n            ') }}
        )
    )
{%- endmacro %}

{% macro databricks__non_null_list(expressions) -%}
    filter(
        array(
            {{ expressions | join(',\n            ') }}
        ),
        reason -> reason is not null
    )
{%- endmacro %}

{#-
  Every reason (seed rejection_reasons) that the row's own values give for not scoring it, in check
  order: a list, empty when the row is valid. The list is built only for a row that fails a check:
  building it is the costly part of the pass, and most rows pass (docs/scaling.md).
-#}
{% macro row_rejection_reasons() -%}
    {%- set reasons, conditions = [], [] -%}
    {%- for check in row_rejection_checks() -%}
        {%- do conditions.append("(" ~ check.condition ~ ")") -%}
        {%- do reasons.append("case when " ~ check.condition ~ " then '" ~ check.code ~ "' end") -%}
    {%- endfor -%}
    case
        when {{ conditions | join('\n            or ') }}
            then {{ non_null_list(reasons) }}
        else {{ dbt.array_construct([], 'varchar') }}
    end
{%- endmacro %}
