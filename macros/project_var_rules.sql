{#-
  The rules every project var must follow: one entry per var in dbt_project.yml, plus input_path.
  Macro var_problems applies them (and the relations between vars) before any model runs, and
  valid_var hands models the checked values. A new var needs an entry here.

  kind: whole (a whole number; 5.0 counts as 5), number (any finite number), choice (one of
  choices), score_factors (the scorecard, checked by macro score_factor_problems), timestamp
  (as_of) or text (input_path). min and max are inclusive bounds, above an exclusive one; why says what the var does or why the bound exists.
  Numeric vars take numbers only: text is rejected even when it reads as one ('5', or 1e3, which
  YAML reads as text), so a var's text never becomes SQL.
-#}
{% macro project_var_rules() %}
  {{ return({
    'input_path': {'kind': 'text', 'why': 'the customer file: a .csv, .csv.gz or .parquet path, or a glob'},
    'score_method': {'kind': 'choice', 'choices': ['fico', 'seed']},
    'score_factors': {'kind': 'score_factors'},
    'segment_count': {'kind': 'whole', 'min': 2, 'max': 20, 'why': 'the number of K-Means segments'},
    'segmentation_features': {'kind': 'choice', 'choices': ['score', 'factors']},
    'factor_kmeans_n_init': {'kind': 'whole', 'min': 1, 'why': 'K-Means needs at least one start'},
    'reason_code_limit': {'kind': 'whole', 'min': 1, 'max': 4, 'why': 'customer_score_reasons has four reason slots, as an adverse-action notice gives up to four'},
    'quality_k_min': {'kind': 'whole', 'min': 2, 'why': 'segmentation_quality needs at least 2 segments'},
    'quality_k_max': {'kind': 'whole', 'min': 2, 'why': 'segmentation_quality needs at least 2 segments'},
    'quality_random_seed': {'kind': 'whole', 'min': 0, 'max': 4294967295, 'why': 'numpy takes seeds from 0 to 2^32 - 1'},
    'silhouette_sample_size': {'kind': 'whole', 'min': 3, 'why': 'a silhouette needs at least 3 customers'},
    'stability_bootstrap_count': {'kind': 'whole', 'min': 1, 'why': 'stability needs at least one resample'},
    'payment_history_max': {'kind': 'number', 'above': 0, 'why': "the top of Payment History's domain: the factor divides by it"},
    'credit_utilization_scale': {'kind': 'number', 'above': 0, 'why': 'utilization is divided by it: 1 for ratios, 100 for percentages'},
    'age_min': {'kind': 'number', 'min': 0, 'why': 'the youngest accepted age, in years'},
    'age_max': {'kind': 'number', 'min': 0, 'why': 'the oldest accepted age, in years'},
    'max_rejected_share': {'kind': 'number', 'min': 0, 'max': 1, 'why': 'a share of the input rows'},
    'fairness_favourable_max_rank': {'kind': 'whole', 'min': 1, 'why': 'the worst segment rank that still counts as a favourable outcome'},
    'adverse_impact_threshold': {'kind': 'number', 'above': 0, 'max': 1, 'why': '0.8 is the four-fifths rule'},
    'score_bin_width': {'kind': 'number', 'above': 0, 'why': 'score points per bar of the histogram'},
    'loan_amount_bin_count': {'kind': 'whole', 'min': 1, 'why': 'bars of the loan amount histogram'},
    'as_of': {'kind': 'timestamp', 'why': 'the period the input file closes; unset, the build records no history'},
  }) }}
{% endmacro %}
