{#- A var's value once every var follows its rule (macro project_var_rules), for models to use:
    whole numbers as integers, as_of as timestamp text or none.
    Stops the run with the problems otherwise, when the project is parsed as when it runs, so no
    model ever sees an unchecked value. -#}
{% macro valid_var(name) %}
  {%- set rules = project_var_rules() -%}
  {%- if name not in rules -%}
    {{ exceptions.raise_compiler_error("macro valid_var: var " ~ name ~ " has no rule; add one to macro project_var_rules.") }}
  {%- endif -%}
  {%- set values = project_var_values() -%}
  {%- do raise_var_problems(values) -%}
  {%- set value, rule = values[name], rules[name] -%}
  {%- if rule.kind == 'whole' -%}
    {{ return(value | int) }}
  {%- elif rule.kind == 'timestamp' -%}
    {{ return(none if value is none or value | string | trim == '' else as_of_text(value)) }}
  {%- endif -%}
  {{ return(value) }}
{% endmacro %}

{#- A numeric var as SQL: the checked number, never the var's text. -#}
{% macro sql_number(name) %}
  {%- if project_var_rules()[name].kind not in ['whole', 'number'] -%}
    {{ exceptions.raise_compiler_error("macro sql_number: var " ~ name ~ " is not a number; use valid_var.") }}
  {%- endif -%}
  {{ return(valid_var(name)) }}
{% endmacro %}

{#- Text as a SQL string literal, quotes doubled, so no text ends the literal early. -#}
{% macro sql_string(text) %}
  {{ return("'" ~ text | string | replace("'", "''") ~ "'") }}
{% endmacro %}

{#- A value as a SQL literal (null for none), so text such as an input path with quotes is data. -#}
{% macro sql_literal(value) -%}
  {%- if value is none -%}
    null
  {%- elif value is sameas true or value is sameas false -%}
    {{ 'true' if value else 'false' }}
  {%- else -%}
    {{ sql_string(value) }}
  {%- endif -%}
{%- endmacro %}
