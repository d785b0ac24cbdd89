{{ config(materialized='table') }}

with

customers as (

    select source_row_number from {{ ref('int_customers__validated') }}

),

rejected as (

    select * from {{ ref('int_customers__rejected') }}

),

input_rows as (

    select count(*) as input_row_count from customers

),

rejected_rows as (

    select
        count(*) as rejected_row_count,
        -- '0,45': a European export, whose numbers fail as 'not a number' row after row. Only
        -- columns below 1,000, where a comma cannot be a thousands separator
        count(
            case
                when
                    raw_credit_utilization_ratio like '%_,_%'
                    or raw_interest_rate like '%_,_%'
                    then 1
            end
        ) as decimal_comma_row_count

    from rejected

),

counted as (

    select
        input_rows.input_row_count,
        input_rows.input_row_count - rejected_rows.rejected_row_count as valid_row_count,
        rejected_rows.rejected_row_count,
        rejected_rows.decimal_comma_row_count

    from input_rows
    cross join rejected_rows

),

final as (

    select
        input_row_count,
        valid_row_count,
        rejected_row_count,
        rejected_row_count / nullif(input_row_count, 0) as rejected_share,
        {{ sql_number('max_rejected_share') }} as max_rejected_share,
        -- stop the build rather than segment the few rows a mostly broken file leaves
        {{ fail_if(
            'rejected_row_count / nullif(input_row_count, 0) > ' ~ sql_number('max_rejected_share'),
            "'Too many input rows rejected: ' || rejected_row_count || ' of ' || input_row_count
            || ' (' || round(100 * rejected_row_count / input_row_count, 1) || '%), more than var max_rejected_share = "
            ~ sql_number('max_rejected_share') ~ ". The rejected rows of this file are in table int_customers__rejected '
            || '(column rejection_reason_codes); the marts keep the last good build. '
            || 'Fix the file or raise max_rejected_share.'
            || case when decimal_comma_row_count > rejected_row_count / 2 then
                ' Most rejected rows hold numbers with a decimal comma (' || decimal_comma_row_count
                || ' rows, like 0,45): export the file with decimal points, or convert it in DuckDB: '
                || 'COPY (SELECT * FROM read_csv(''in.csv'', decimal_separator = '','')) TO ''out.csv''.'
            else '' end"
        ) }} as is_within_threshold,
        {{ sql_number('segment_count') }} as segment_count,
        -- K-Means needs a customer per segment; an empty input (dbt build --empty) is let through
        {{ fail_if(
            'input_row_count > 0 and valid_row_count < ' ~ sql_number('segment_count'),
            "'Only ' || valid_row_count
            || case when valid_row_count = 1 then ' valid customer' else ' valid customers' end
            || ', fewer than var segment_count = "
            ~ sql_number('segment_count') ~ ". Lower segment_count, or fix the rows listed in int_customers__rejected.'"
        ) }} as has_enough_customers

    from counted

)

select * from final
