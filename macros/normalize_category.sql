{#- Trimmed, single-spaced, title-cased text: ' self  employed ' -> 'Self Employed'. -#}
{% macro normalize_category(column) %}
  {{ return(adapter.dispatch('normalize_category', 'credit_segments')(column)) }}
{% endmacro %}

{#- Postgres: regexp_replace replaces every match only with the 'g' flag. -#}
{% macro default__normalize_category(column) -%}
    nullif(initcap(regexp_replace(trim({{ column }}), '\s+', ' ', 'g')), '')
{%- endmacro %}

{#- Snowflake replaces every match by default; its initcap must split words on spaces only. -#}
{% macro snowflake__normalize_category(column) -%}
    nullif(initcap(regexp_replace(trim({{ column }}), '\\s+', ' '), ' '), '')
{%- endmacro %}

{% macro databricks__normalize_category(column) -%}
    nullif(initcap(regexp_replace(trim({{ column }}), '\\s+', ' ')), '')
{%- endmacro %}

{#-
  DuckDB has no initcap, and the general expression (regex replace, split, lambda) is slow on
  every value (docs/scaling.md). Two cheap cases give the same result first: text that is already
  title-cased ASCII words, and a single word, which only needs its case set.
-#}
{% macro duckdb__normalize_category(column) -%}
    case
        when regexp_full_match({{ column }}, '[A-Z][a-z]*( [A-Z][a-z]*)*')
            then {{ column }}
        when regexp_full_match({{ column }}, '\S+')
            then upper(lower({{ column }})[1]) || lower({{ column }})[2:]
        else nullif(
            array_to_string(
                list_transform(
                    string_split(lower(regexp_replace(trim({{ column }}), '\s+', ' ', 'g')), ' '),
                    lambda word: upper(word[1]) || word[2:]
                ),
                ' '
            ),
            ''
        )
    end
{%- endmacro %}
