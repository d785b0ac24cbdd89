{#-
  The mean of a double column, the same to the last bit on every run. DuckDB sums doubles in
  parallel, in whatever order its threads finish, so a plain avg() can differ in the last digits
  between two builds of the same file. Decimal sums are exact, so their order does not matter.
  Values too large for decimal(38, 10) (above 1e28) fall back to avg(), rather than fail the build.
  finite_only: leave out inf and nan (otherwise they make the mean inf or nan, as in avg()).
-#}
{% macro deterministic_avg(column, finite_only=false) -%}
    {%- set value = "case when isfinite(" ~ column ~ ") then " ~ column ~ " end" if finite_only else column -%}
    case
        when count(try_cast({{ value }} as decimal(38, 10))) = count({{ value }})
            then cast(avg(try_cast({{ value }} as decimal(38, 10))) as double)
        else avg({{ value }})
    end
{%- endmacro %}
