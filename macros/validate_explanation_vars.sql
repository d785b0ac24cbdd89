{#- The vars of reason codes, segmentation quality and the factor option; called by validate_project_vars. -#}
{% macro validate_explanation_vars() %}
  {%- if var('segmentation_features') not in ['score', 'factors'] -%}
    {{ exceptions.raise_compiler_error(
      "var segmentation_features must be 'score' or 'factors'; got '" ~ var('segmentation_features') ~ "'.") }}
  {%- endif -%}

  {#- name: (lowest allowed, why) -#}
  {%- set whole_numbers = {
    'reason_code_limit': [1, 'a customer has at most 5 factors to give as reasons'],
    'quality_k_min': [2, 'segmentation_quality needs at least 2 segments'],
    'quality_k_max': [2, 'segmentation_quality needs at least 2 segments'],
    'quality_random_seed': [0, 'seeds are whole numbers from 0'],
    'silhouette_sample_size': [3, 'a silhouette needs at least 3 customers'],
    'stability_bootstrap_count': [1, 'stability needs at least one resample'],
    'factor_kmeans_n_init': [1, 'K-Means needs at least one start'],
  } -%}
  {%- for name, rule in whole_numbers.items() -%}
    {%- set value = var(name) -%}
    {%- if value is not number or value != value | int or value < rule[0] -%}
      {{ exceptions.raise_compiler_error(
        "var " ~ name ~ " must be a whole number of at least " ~ rule[0] ~ " (" ~ rule[1] ~ "); got " ~ value ~ ".") }}
    {%- endif -%}
  {%- endfor -%}
  {%- if var('reason_code_limit') > 5 -%}
    {{ exceptions.raise_compiler_error(
      "var reason_code_limit must be at most 5, the number of score factors; got " ~ var('reason_code_limit') ~ ".") }}
  {%- endif -%}
  {%- if var('quality_k_min') > var('quality_k_max') -%}
    {{ exceptions.raise_compiler_error(
      "var quality_k_min (" ~ var('quality_k_min') ~ ") must not exceed quality_k_max (" ~ var('quality_k_max') ~ ").") }}
  {%- endif -%}

  {#- a perfect customer earns Σ round(550 x weight, 2); unless that is 550, no one can reach 850 and
      the points lost could not add up to 850 - score -#}
  {%- set perfect = namespace(points=0) -%}
  {%- for weight in var('score_weights').values() if weight is number -%}
    {%- set perfect.points = perfect.points + (550 * weight) | round(2) -%}
  {%- endfor -%}
  {%- if (perfect.points - 550) | abs > 1e-6 -%}
    {{ exceptions.raise_compiler_error(
      "var score_weights: the factors' maximum points, round(550 x weight, 2), add up to "
      ~ (perfect.points | round(2)) ~ ", not 550, so the top score would not be 850. "
      ~ "Use weights for which 550 x weight has at most 2 decimals (e.g. 0.35, 0.3, 0.15).") }}
  {%- endif -%}
  {{ return('') }}
{% endmacro %}
