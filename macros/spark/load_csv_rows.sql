{#-
  Seeds on Spark: the rows as SQL literals, quotes and backslashes escaped, empty cells as null.
  dbt-spark 1.11's own version binds each value as '<value>' unescaped in session mode, so a seed
  text with an apostrophe ("the header's columns") breaks the insert, and an empty cell arrives
  as the text 'None'.
-#}
{% macro spark__load_csv_rows(model, agate_table) %}
  {%- set column_override = model['config'].get('column_types', {}) -%}
  {%- set types = [] -%}
  {%- for column_name in agate_table.column_names -%}
    {%- do types.append(column_override.get(column_name, adapter.convert_type(agate_table, loop.index0))) -%}
  {%- endfor -%}
  {%- set statements = [] -%}
  {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
    {%- set sql -%}
      insert into {{ this.render() }} values
      {% for row in chunk -%}
        ({%- for value in row -%}
          cast({{ 'null' if value is none else spark_string_literal(value) }} as {{ types[loop.index0] }})
          {%- if not loop.last %}, {% endif -%}
        {%- endfor -%}){{ "," if not loop.last }}
      {% endfor -%}
    {%- endset -%}
    {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
    {%- if loop.index0 == 0 -%}{%- do statements.append(sql) -%}{%- endif -%}
  {%- endfor -%}
  {{ return(statements[0]) }}
{% endmacro %}
