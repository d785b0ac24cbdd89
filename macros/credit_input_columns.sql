{#-
  The credit_scoring.csv schema, the one place it is written. One entry per input column, in the
  file's order:
    header         the column's name in the file (matched case-insensitively, trimmed)
    column         its name in the warehouse; raw_column holds the text as read
    type           id (customer_id), number (parsed, may be scaled) or category (trimmed, title-cased)
    required       the score needs it: a file without it stops the run, an empty cell rejects
                   the row. A column a score factor reads is required too: read required-ness
                   through input_column_is_required(column), not this key.
    label, unit    for people: the report's axis titles, input_columns
    min, max       a number's domain, inclusive (SQL numbers; min_is_exclusive for > min);
                   is_whole for whole numbers; scale_var divides the value by a var first
    seed           a category's encoding seed, joined on the column (case-insensitively);
                   seed_columns are the seed's columns each row takes from it
    reason_prefix  the first part of its rejection reason codes (seed rejection_reasons)
  Staging, validation (macro row_rejection_checks), input_profile, input_correlations, the
  quarantine and the input_columns mart loop over it.
-#}
{% macro credit_input_columns() %}
  {{ return([
    {'header': 'Customer ID', 'column': 'customer_id', 'raw_column': 'raw_customer_id',
     'type': 'id', 'required': false, 'label': 'Customer ID', 'unit': none},
    {'header': 'Age', 'column': 'age_years', 'raw_column': 'raw_age',
     'type': 'number', 'required': false, 'label': 'Age', 'unit': 'years',
     'min': sql_number('age_min'), 'max': sql_number('age_max'), 'reason_prefix': 'age'},
    {'header': 'Gender', 'column': 'gender', 'raw_column': 'raw_gender',
     'type': 'category', 'required': false, 'label': 'Gender', 'unit': none},
    {'header': 'Marital Status', 'column': 'marital_status', 'raw_column': 'raw_marital_status',
     'type': 'category', 'required': false, 'label': 'Marital status', 'unit': none},
    {'header': 'Education Level', 'column': 'education_level', 'raw_column': 'raw_education_level',
     'type': 'category', 'required': true, 'label': 'Education level', 'unit': none,
     'seed': 'education_levels', 'seed_columns': ['education_code', 'education_factor'],
     'reason_prefix': 'education_level'},
    {'header': 'Employment Status', 'column': 'employment_status', 'raw_column': 'raw_employment_status',
     'type': 'category', 'required': true, 'label': 'Employment status', 'unit': none,
     'seed': 'employment_statuses', 'seed_columns': ['employment_code', 'employment_factor'],
     'reason_prefix': 'employment_status'},
    {'header': 'Credit Utilization Ratio', 'column': 'credit_utilization_ratio',
     'raw_column': 'raw_credit_utilization_ratio',
     'type': 'number', 'required': true, 'label': 'Credit utilization', 'unit': 'ratio',
     'min': 0, 'max': 1, 'scale_var': 'credit_utilization_scale', 'reason_prefix': 'credit_utilization'},
    {'header': 'Payment History', 'column': 'payment_history', 'raw_column': 'raw_payment_history',
     'type': 'number', 'required': true, 'label': 'Payment history', 'unit': 'on-time % x 200/7',
     'min': 0, 'max': sql_number('payment_history_max'), 'reason_prefix': 'payment_history'},
    {'header': 'Number of Credit Accounts', 'column': 'number_of_credit_accounts',
     'raw_column': 'raw_number_of_credit_accounts',
     'type': 'number', 'required': true, 'label': 'Credit accounts', 'unit': 'count',
     'min': 1, 'is_whole': true, 'reason_prefix': 'credit_accounts'},
    {'header': 'Loan Amount', 'column': 'loan_amount', 'raw_column': 'raw_loan_amount',
     'type': 'number', 'required': false, 'label': 'Loan amount', 'unit': 'currency units',
     'min': 0, 'reason_prefix': 'loan_amount'},
    {'header': 'Interest Rate', 'column': 'interest_rate_pct', 'raw_column': 'raw_interest_rate',
     'type': 'number', 'required': false, 'label': 'Interest rate', 'unit': '%',
     'min': 0, 'reason_prefix': 'interest_rate'},
    {'header': 'Loan Term', 'column': 'loan_term_months', 'raw_column': 'raw_loan_term',
     'type': 'number', 'required': false, 'label': 'Loan term', 'unit': 'months',
     'min': 0, 'min_is_exclusive': true, 'reason_prefix': 'loan_term'},
    {'header': 'Type of Loan', 'column': 'loan_type', 'raw_column': 'raw_loan_type',
     'type': 'category', 'required': false, 'label': 'Loan type', 'unit': none},
  ]) }}
{% endmacro %}

{#- Whether the score needs the column, as the schema says or because a score factor reads it
    (var score_factors): the one test of required-ness. -#}
{% macro input_column_is_required(column) %}
  {{ return(column.required or column.column in score_input_columns()) }}
{% endmacro %}

{#- The input columns of one type ('id', 'number', 'category'). -#}
{% macro input_columns_of_type(type) %}
  {{ return(credit_input_columns() | selectattr('type', 'equalto', type) | list) }}
{% endmacro %}

{#- The columns the score needs, in file order. -#}
{% macro required_input_columns() %}
  {%- set required = [] -%}
  {%- for column in credit_input_columns() if input_column_is_required(column) -%}
    {%- do required.append(column) -%}
  {%- endfor -%}
  {{ return(required) }}
{% endmacro %}
