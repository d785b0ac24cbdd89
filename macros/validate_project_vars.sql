{#- Fails the run, before any model, when a var breaks its rule (macro project_var_rules) or its
    relation to another var: one line that names each bad var, its value and what is allowed.
    Models read vars through valid_var, which already stops a bad value when dbt parses them; this
    on-run-start hook is the backstop for a run whose parse was reused. -#}
{% macro validate_project_vars() %}
  {%- if not execute -%}{{ return('') }}{%- endif -%}
  {%- do raise_var_problems(project_var_values()) -%}
  {{ return('') }}
{% endmacro %}

{% macro raise_var_problems(values) %}
  {%- set problems = var_problems(values) -%}
  {%- if problems -%}
    {{ exceptions.raise_compiler_error(problems | join(' ')) }}
  {%- endif -%}
{% endmacro %}

{#- The vars as the run sees them, by name. input_path only when set as a var: the environment
    variable that usually names the file is always text, and reading it here would make every
    model depend on it, so that a new file would re-parse them all. -#}
{% macro project_var_values() %}
  {%- set values = {} -%}
  {%- for name in project_var_rules() -%}
    {%- do values.update({name: var(name, none)}) -%}
  {%- endfor -%}
  {{ return(values) }}
{% endmacro %}

{#- Every problem of a mapping of var values (name: value), one sentence each; empty when all is
    well. Pure: tests feed it values through macro print_var_problems. -#}
{% macro var_problems(values) %}
  {%- set rules = project_var_rules() -%}
  {%- set problems = [] -%}
  {%- set valid = {} -%}
  {%- for name, rule in rules.items() -%}
    {%- set own = var_rule_problems(name, values.get(name), rule) -%}
    {%- do problems.extend(own) -%}
    {%- do valid.update({name: not own}) -%}
  {%- endfor -%}

  {#- relations, checked only when both sides passed their own rule -#}
  {%- if valid.score_factors -%}
    {%- do problems.extend(score_factor_relation_problems(values, valid)) -%}
  {%- endif -%}
  {%- if valid.quality_k_min and valid.quality_k_max and values.quality_k_min > values.quality_k_max -%}
    {%- do problems.append(
      "var quality_k_min must be at most quality_k_max = " ~ values.quality_k_max
      ~ " (the smallest k segmentation_quality compares); got " ~ values.quality_k_min ~ ".") -%}
  {%- endif -%}
  {%- if valid.age_min and valid.age_max and values.age_min >= values.age_max -%}
    {%- do problems.append(
      "var age_min must be below age_max = " ~ values.age_max
      ~ " (the accepted ages run from age_min to age_max); got " ~ values.age_min ~ ".") -%}
  {%- endif -%}
  {%- if valid.fairness_favourable_max_rank and valid.segment_count
      and values.fairness_favourable_max_rank > values.segment_count - 1 -%}
    {%- do problems.append(
      "var fairness_favourable_max_rank must be at most segment_count - 1 = "
      ~ (values.segment_count | int - 1) ~ " (were every segment favourable, every group's rate "
      ~ "would be 1 and the fairness view would compare nothing); got " ~ values.fairness_favourable_max_rank
      ~ ". Set both, e.g. --vars '{segment_count: " ~ values.segment_count | int ~ ", fairness_favourable_max_rank: "
      ~ (values.segment_count | int - 1) ~ "}'.") -%}
  {%- endif -%}
  {{ return(problems) }}
{% endmacro %}

{#- The problems of one var against its own rule: a list, empty when it follows the rule. -#}
{% macro var_rule_problems(name, value, rule) %}
  {%- set kind = rule.kind -%}
  {%- if kind == 'score_factors' -%}
    {{ return(score_factor_problems(value)) }}
  {%- endif -%}

  {%- set hint = '' -%}
  {%- if kind in ['whole', 'number'] -%}
    {#- a boolean is a number to Jinja; inf - inf and nan - nan are not 0 -#}
    {%- set is_valid = value is number and value is not boolean and value - value == 0
        and (kind == 'number' or value == value | int)
        and (rule.get('min') is none or value >= rule.min)
        and (rule.get('above') is none or value > rule.above)
        and (rule.get('max') is none or value <= rule.max) -%}
    {%- if value is string and modules.re.match('^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$', value | trim) -%}
      {%- set number = value | float -%}
      {%- set hint = '' if number - number != 0 else " (text, not a number: write it as "
          ~ (number | int if kind == 'whole' and number == number | int else number) ~ ")" -%}
    {%- endif -%}
  {%- elif kind == 'choice' -%}
    {%- set is_valid = value is string and value in rule.choices -%}
  {%- elif kind == 'text' -%}
    {%- set is_valid = value is none or (value is string and value | trim != '') -%}
  {%- elif kind == 'timestamp' -%}
    {%- set is_valid = value is none or (value is string and value | trim == '') or as_of_text(value) is not none -%}
    {%- set text = value | string | trim -%}
    {%- if is_valid or value is number -%}
    {%- elif modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9:.]+)?$', text) -%}
      {%- set hint = " (no such date or time)" -%}
    {%- elif modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9:.]+ ?([zZ]|[+-][0-9:]+)$', text) -%}
      {%- set hint = " (drop the time zone: snapshots are dated in one local time)" -%}
    {%- endif -%}
  {%- else -%}
    {{ exceptions.raise_compiler_error("macro project_var_rules: var " ~ name ~ " has unknown kind '" ~ kind ~ "'.") }}
  {%- endif -%}
  {%- if is_valid -%}{{ return([]) }}{%- endif -%}
  {{ return(["var " ~ name ~ " must be " ~ var_rule_text(rule)
    ~ (" (" ~ rule.why ~ ")" if rule.get('why') else "")
    ~ "; got " ~ var_value_text(value) ~ hint ~ "."]) }}
{% endmacro %}

{#- What a rule allows, in words. -#}
{% macro var_rule_text(rule) %}
  {%- set low, above, high = rule.get('min'), rule.get('above'), rule.get('max') -%}
  {%- if rule.kind == 'whole' -%}
    {{ return("a whole number " ~ ("from " ~ low ~ " to " ~ high if high is not none else "of at least " ~ low)) }}
  {%- elif rule.kind == 'number' and above is not none -%}
    {{ return("a number above " ~ above ~ " and at most " ~ high if high is not none
      else ("a positive number" if above == 0 else "a number above " ~ above)) }}
  {%- elif rule.kind == 'number' -%}
    {{ return("a number from " ~ low ~ " to " ~ high if high is not none else "a number of at least " ~ low) }}
  {%- elif rule.kind == 'choice' -%}
    {{ return("'" ~ rule.choices | join("' or '") ~ "'") }}
  {%- elif rule.kind == 'text' -%}
    {{ return("a file path, as text") }}
  {%- else -%}
    {{ return("a date or timestamp such as 2026-10-31 or '2026-10-31 18:00:00', without time zone, or null") }}
  {%- endif -%}
{% endmacro %}

{#- A value as the user wrote it, on one line: text in quotes, YAML's null, true and false. -#}
{% macro var_value_text(value) %}
  {%- if value is none -%}{{ return('null') }}
  {%- elif value is boolean -%}{{ return('true' if value else 'false') }}
  {%- elif value is string -%}{{ return("'" ~ value | replace('\n', ' ') ~ "'") }}
  {%- else -%}{{ return(value | string | replace('\n', ' ')) }}
  {%- endif -%}
{% endmacro %}

{#- as_of as timestamp text DuckDB casts ('2026-10-31', '2026-10-31 18:00:00.5'), or none when it is
    not a real date and time of that shape. YAML hands a date or datetime object: its text is the
    same shape, with an offset when it has a time zone (rejected). Blank text means unset. -#}
{% macro as_of_text(value) %}
  {%- set text = value | string | trim -%}
  {%- set parts = modules.re.match(
      '^([0-9]{4})-([0-9]{2})-([0-9]{2})([ T]([0-9]{2}):([0-9]{2})(:([0-9]{2})([.][0-9]{1,6})?)?)?$', text) -%}
  {%- if value is boolean or value is number or parts is none -%}{{ return(none) }}{%- endif -%}
  {%- set year, month, day = parts.group(1) | int, parts.group(2) | int, parts.group(3) | int -%}
  {%- if year < 1 or month < 1 or month > 12 or day < 1 -%}{{ return(none) }}{%- endif -%}
  {%- if month == 12 -%}{%- set month_days = 31 -%}
  {%- else -%}
    {%- set month_days = (modules.datetime.date(year, month + 1, 1) - modules.datetime.date(year, month, 1)).days -%}
  {%- endif -%}
  {%- if day > month_days
      or (parts.group(5) or 0) | int > 23 or (parts.group(6) or 0) | int > 59
      or (parts.group(8) or 0) | int > 59 -%}
    {{ return(none) }}
  {%- endif -%}
  {{ return(text) }}
{% endmacro %}

{#- For tests and for trying settings: prints, as JSON, the var names that have a rule and, for
    each case (a mapping of vars over the project's values), its problems. One dbt start for many
    cases, and --args does not make dbt re-parse the project as --vars does:
      dbt run-operation print_var_problems --args '{cases: [{segment_count: 30}, {age_min: 70}]}' -#}
{% macro print_var_problems(cases) %}
  {%- set results = [] -%}
  {%- for case in cases -%}
    {%- set values = project_var_values() -%}
    {%- do values.update(case) -%}
    {%- do results.append(var_problems(values)) -%}
  {%- endfor -%}
  {{ print(tojson({'rules': project_var_rules() | list, 'problems': results})) }}
{% endmacro %}

{#- The scorecard's own problems (var score_factors, described in dbt_project.yml), one sentence
    each: the list's shape, then each factor's keys and values. -#}
{% macro score_factor_problems(factors) %}
  {%- set linear_keys = ['name', 'column', 'domain', 'best', 'weight', 'reason_code', 'reason_text'] -%}
  {%- set category_keys = ['name', 'column', 'factor_column', 'code_column', 'weight', 'reason_code', 'reason_text'] -%}
  {%- if factors is string or factors is mapping or factors is not iterable or factors | length == 0
      or factors | reject('mapping') | list -%}
    {{ return(["var score_factors must be a list of factors, each a mapping of "
      ~ linear_keys | join(', ') ~ " (a linear factor) or of " ~ category_keys | join(', ')
      ~ " (a category); got " ~ var_value_text(factors) ~ "."]) }}
  {%- endif -%}
  {%- set problems = [] -%}
  {%- set seen = {'name': [], 'reason_code': []} -%}
  {%- set columns = score_input_candidates() -%}
  {%- for factor in factors -%}
    {#- base_points is the score's floor, not a factor's -#}
    {%- set label = 'score_factors.' ~ factor.name if factor.name is string and factor.name != 'base'
        and modules.re.match('^[a-z][a-z0-9_]*$', factor.name) else 'score_factors[' ~ loop.index ~ ']' -%}
    {%- set keys = linear_keys if 'domain' in factor or 'best' in factor else category_keys -%}
    {%- set missing = keys | reject('in', factor) | list -%}
    {%- set unknown = factor.keys() | map('string') | reject('in', keys) | list -%}
    {%- if missing or unknown -%}
      {%- do problems.append("var " ~ label ~ " must have the keys " ~ keys | join(', ')
        ~ (" (a linear factor)" if keys == linear_keys else " (a category)")
        ~ "; " ~ (("missing: " ~ missing | join(', ')) if missing else "")
        ~ ("; " if missing and unknown else "") ~ (("unknown: " ~ unknown | join(', ')) if unknown else "")
        ~ ".") -%}
    {%- else -%}
      {%- if label.endswith(']') -%}
        {%- do problems.append("var " ~ label ~ ".name must be a lowercase identifier other than "
          ~ "base (it names the factor's columns, <name>_points); got " ~ var_value_text(factor.name) ~ ".") -%}
      {%- endif -%}
      {%- for key in ['column', 'factor_column', 'code_column'] if key in keys -%}
        {%- if not (factor[key] is string and modules.re.match('^[a-z_][a-z0-9_]*$', factor[key])
            and (columns is none or factor[key] in columns)) -%}
          {%- do problems.append("var " ~ label ~ "." ~ key ~ " must name an input column of "
            ~ "int_customers__validated that int_customers__scored carries; got "
            ~ var_value_text(factor[key]) ~ ".") -%}
        {%- endif -%}
      {%- endfor -%}
      {%- do problems.extend(var_rule_problems(label ~ '.weight', factor.weight, {'kind': 'number', 'min': 0, 'max': 1})) -%}
      {%- if 'domain' in keys -%}
        {%- set ends = factor.domain -%}
        {%- set check = namespace(ok=ends is not string and ends is not mapping and ends is iterable
            and ends | length == 2) -%}
        {%- for end in (ends if check.ok else []) -%}
          {%- set check.ok = check.ok and ((end is number and end is not boolean and end - end == 0)
              or (end is string and end in numeric_var_names())) -%}
        {%- endfor -%}
        {%- if not check.ok -%}
          {%- do problems.append("var " ~ label ~ ".domain must be [lowest, highest], each a number or the "
            ~ "name of a numeric var such as payment_history_max; got " ~ var_value_text(ends) ~ ".") -%}
        {%- endif -%}
        {%- if factor.best not in ['high', 'low'] -%}
          {%- do problems.append("var " ~ label ~ ".best must be 'high' or 'low' (which end of the "
            ~ "domain scores 1); got " ~ var_value_text(factor.best) ~ ".") -%}
        {%- endif -%}
      {%- endif -%}
      {%- for key in ['reason_code', 'reason_text'] -%}
        {%- if not (factor[key] is string and factor[key] | trim != '') -%}
          {%- do problems.append("var " ~ label ~ "." ~ key ~ " must be text; got " ~ var_value_text(factor[key]) ~ ".") -%}
        {%- endif -%}
      {%- endfor -%}
      {%- for key in ['name', 'reason_code'] -%}
        {%- if factor[key] in seen[key] -%}
          {%- do problems.append("var " ~ label ~ "." ~ key ~ " must differ from every other factor's; "
            ~ var_value_text(factor[key]) ~ " is given twice.") -%}
        {%- endif -%}
        {%- do seen[key].append(factor[key]) -%}
      {%- endfor -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(problems) }}
{% endmacro %}

{#- The scorecard against the other vars, once it is well-formed: the weights, the domains that
    name a var, the reasons a customer can have. -#}
{% macro score_factor_relation_problems(values, valid) %}
  {%- set problems = [] -%}
  {%- set sums = namespace(total=0, points=0) -%}
  {%- for factor in values.score_factors -%}
    {%- set sums.total = sums.total + factor.weight -%}
    {%- set sums.points = sums.points + (550 * factor.weight) | round(2) -%}
    {%- if factor.domain is defined and factor.domain is not string -%}
      {%- set ends = [] -%}
      {%- for end in factor.domain -%}
        {%- do ends.append(values[end] if end is string and valid[end] else end) -%}
      {%- endfor -%}
      {%- if ends | select('number') | list | length == 2 and ends[0] >= ends[1] -%}
        {%- do problems.append("var score_factors." ~ factor.name ~ ".domain must run from low to high; got "
          ~ var_value_text(factor.domain) ~ (" (" ~ ends | join(', ') ~ ")" if ends != factor.domain else "") ~ ".") -%}
      {%- endif -%}
    {%- endif -%}
  {%- endfor -%}
  {%- if (sums.total - 1) | abs > 1e-9 -%}
    {%- do problems.append(
      "var score_factors: the weights must sum to 1; they sum to " ~ (sums.total | round(6))
      ~ ". Adjust them in dbt_project.yml or --vars.") -%}
  {#- a perfect customer earns the sum of round(550 x weight, 2); unless that is 550, no one
      reaches 850 and the points lost could not add up to 850 - score -#}
  {%- elif (sums.points - 550) | abs > 1e-6 -%}
    {%- do problems.append(
      "var score_factors: the factors' maximum points, round(550 x weight, 2), add up to "
      ~ (sums.points | round(2)) ~ ", not 550, so the top score would not be 850. "
      ~ "Use weights for which 550 x weight has at most 2 decimals (e.g. 0.35, 0.3, 0.15).") -%}
  {%- endif -%}
  {%- if valid.reason_code_limit and values.reason_code_limit > values.score_factors | length -%}
    {%- do problems.append(
      "var reason_code_limit must be at most the number of score factors, "
      ~ values.score_factors | length ~ " (a customer has one reason per factor at most); got "
      ~ values.reason_code_limit ~ ".") -%}
  {%- endif -%}
  {{ return(problems) }}
{% endmacro %}

{#- Vars a linear factor's domain end may name: the numeric ones. -#}
{% macro numeric_var_names() %}
  {{ return(project_var_rules().items() | selectattr('1.kind', 'in', ['whole', 'number']) | map(attribute='0') | list) }}
{% endmacro %}

{#- The columns a factor may read: the input columns int_customers__scored carries from
    int_customers__validated, as their YAML documents them (not the raw text nor the row's
    bookkeeping); none while dbt parses and in a unit test, where the graph is not known. -#}
{% macro score_input_candidates() %}
  {%- set nodes = (graph.get('nodes') or {}) if execute else {} -%}
  {%- set validated = nodes.get('model.credit_segments.int_customers__validated') -%}
  {%- set scored = nodes.get('model.credit_segments.int_customers__scored') -%}
  {%- if not (validated and scored) -%}{{ return(none) }}{%- endif -%}
  {{ return(validated.columns.keys() | select('in', scored.columns.keys() | list) | list) }}
{% endmacro %}
