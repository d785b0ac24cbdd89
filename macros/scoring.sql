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

{#- The scorecard (var score_factors) as models use it: each factor with its kind (linear or
    category), a linear domain's ends as numbers (an end that names a var reads it) and its
    tie_order, the place of its reason code among the codes (equal losses go in code order). -#}
{% macro score_factors() %}
  {%- set factors = valid_var('score_factors') -%}
  {%- set codes = factors | map(attribute='reason_code') | sort | list -%}
  {%- set result = [] -%}
  {%- for factor in factors -%}
    {%- set entry = dict(factor, kind='linear' if 'domain' in factor else 'category',
        tie_order=codes.index(factor.reason_code) + 1) -%}
    {%- if entry.kind == 'linear' -%}
      {%- set ends = [] -%}
      {%- for end in factor.domain -%}
        {%- do ends.append(sql_number(end) if end is string else end) -%}
      {%- endfor -%}
      {%- do entry.update({'lowest': ends[0], 'highest': ends[1]}) -%}
    {%- endif -%}
    {%- do result.append(entry) -%}
  {%- endfor -%}
  {{ return(result) }}
{% endmacro %}

{#- The input columns the score reads: a file must carry them, and a row missing one cannot be
    scored. -#}
{% macro score_input_columns() %}
  {{ return(valid_var('score_factors') | map(attribute='column') | list) }}
{% endmacro %}

{#- A factor on 0-1, 1 = best. Linear: the input clipped to its domain, then scaled so that the
    best end is 1. Category: the factor its encoding seed gives. -#}
{% macro factor_value(factor) -%}
    {%- if factor.kind == 'category' -%}
        {{ factor.factor_column }}
    {%- else -%}
        {%- set clipped = 'least(greatest(' ~ factor.column ~ ', ' ~ factor.lowest ~ '), ' ~ factor.highest ~ ')' -%}
        {%- set span = factor.highest - factor.lowest -%}
        {%- if factor.best == 'high' -%}
            ({{ clipped }} - {{ factor.lowest }}) / {{ span }}
        {%- else -%}
            ({{ factor.highest }} - {{ clipped }}) / {{ span }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- A factor's points. fico: its share of the 550 points above 300. seed: the original notebook's
    formula, weight x the raw value (a category's code). -#}
{% macro factor_points(factor, method) -%}
    {%- if method == 'seed' -%}
        {{ as_points(factor.weight ~ ' * ' ~ (factor.code_column if factor.kind == 'category' else factor.column)) }}
    {%- else -%}
        {{ fico_points(factor.weight, '(' ~ factor_value(factor) ~ ')') }}
    {%- endif -%}
{%- endmacro %}

{#- template, %s standing for each factor's name, summed over the factors as SQL:
    sum_over_factors('%s_points') is `payment_history_points + ...`. -#}
{% macro sum_over_factors(template) -%}
    {%- for factor in valid_var('score_factors') -%}
        {{ template | format(factor.name) }}{{ ' + ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
