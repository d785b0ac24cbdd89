{#- The credit_scoring.csv schema. Required columns feed the score; the others may be absent. -#}
{% macro credit_input_columns() %}
  {{ return([
    {'name': 'Customer ID', 'required': false},
    {'name': 'Age', 'required': false},
    {'name': 'Gender', 'required': false},
    {'name': 'Marital Status', 'required': false},
    {'name': 'Education Level', 'required': true},
    {'name': 'Employment Status', 'required': true},
    {'name': 'Credit Utilization Ratio', 'required': true},
    {'name': 'Payment History', 'required': true},
    {'name': 'Number of Credit Accounts', 'required': true},
    {'name': 'Loan Amount', 'required': false},
    {'name': 'Interest Rate', 'required': false},
    {'name': 'Loan Term', 'required': false},
    {'name': 'Type of Loan', 'required': false},
  ]) }}
{% endmacro %}
