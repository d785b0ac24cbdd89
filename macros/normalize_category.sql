{#- Trimmed, single-spaced, title-cased text: ' self  employed ' -> 'Self Employed'. -#}
{% macro normalize_category(column) %}
  {{ return(adapter.dispatch('normalize_category', 'credit_segments')(column)) }}
{% endmacro %}

{% macro default__normalize_category(column) -%}
    initcap(regexp_replace(trim({{ column }}), '\s+', ' ', 'g'))
{%- endmacro %}

{% macro duckdb__normalize_category(column) -%}
    nullif(
        array_to_string(
            list_transform(
                string_split(lower(regexp_replace(trim({{ column }}), '\s+', ' ', 'g')), ' '),
                lambda word: upper(word[1]) || word[2:]
            ),
            ' '
        ),
        ''
    )
{%- endmacro %}

