{#- Fails the run, before any model, when a configuration var cannot give a meaningful result. -#}
{% macro validate_project_vars() %}
  {%- if not execute -%}{{ return('') }}{%- endif -%}
  {%- set expected_factors = ['payment_history', 'credit_utilization', 'credit_accounts', 'education', 'employment'] -%}
  {%- set weights = var('score_weights') -%}

  {%- if weights is not mapping or weights.keys() | sort != expected_factors | sort -%}
    {{ exceptions.raise_compiler_error(
      "var score_weights must name exactly the factors " ~ expected_factors | join(', ')
      ~ "; got " ~ weights ~ ".") }}
  {%- endif -%}
  {%- set total = namespace(value=0) -%}
  {%- for factor in expected_factors -%}
    {%- set weight = weights[factor] -%}
    {%- if weight is not number or weight < 0 or weight > 1 -%}
      {{ exceptions.raise_compiler_error(
        "var score_weights." ~ factor ~ " must be a number from 0 to 1; got " ~ weight ~ ".") }}
    {%- endif -%}
    {%- set total.value = total.value + weight -%}
  {%- endfor -%}
  {%- if (total.value - 1) | abs > 1e-9 -%}
    {{ exceptions.raise_compiler_error(
      "var score_weights must sum to 1; they sum to " ~ (total.value | round(6)) ~ ". Adjust them in dbt_project.yml or --vars.") }}
  {%- endif -%}

  {%- set k = var('segment_count') -%}
  {%- if k is not number or k != k | int or k < 2 or k > 20 -%}
    {{ exceptions.raise_compiler_error(
      "var segment_count must be a whole number from 2 to 20; got " ~ k ~ ".") }}
  {%- endif -%}

  {%- if var('score_method') not in ['fico', 'seed'] -%}
    {{ exceptions.raise_compiler_error(
      "var score_method must be 'fico' or 'seed'; got '" ~ var('score_method') ~ "'.") }}
  {%- endif -%}

  {%- set share = var('max_rejected_share') -%}
  {%- if share is not number or share < 0 or share > 1 -%}
    {{ exceptions.raise_compiler_error(
      "var max_rejected_share must be a number from 0 to 1; got " ~ share ~ ".") }}
  {%- endif -%}
  {%- set bin_width = var('score_bin_width') -%}
  {%- if bin_width is not number or bin_width <= 0 -%}
    {{ exceptions.raise_compiler_error(
      "var score_bin_width must be a positive number of score points; got " ~ bin_width ~ ".") }}
  {%- endif -%}
  {%- set bin_count = var('loan_amount_bin_count') -%}
  {%- if bin_count is not number or bin_count != bin_count | int or bin_count < 1 -%}
    {{ exceptions.raise_compiler_error(
      "var loan_amount_bin_count must be a whole number of at least 1; got " ~ bin_count ~ ".") }}
  {%- endif -%}
  {{- validate_explanation_vars() -}}
  {{ return('') }}
{% endmacro %}
