{#- The report's loan amount histogram: equal-width bins from the lowest to the highest amount. -#}
{%- set bin_count = sql_number('loan_amount_bin_count') %}

with

customer_segments as (

    select * from {{ ref('customer_segments') }}

),

amounts as (

    select loan_amount from customer_segments
    where loan_amount is not null

),

bounds as (

    select
        min(loan_amount) as lowest_amount,
        -- one bin of width 0 when every amount is the same
        (max(loan_amount) - min(loan_amount)) / {{ bin_count }} as bin_width

    from amounts

),

binned as (

    -- the highest amount closes the last bin instead of opening a bin of its own
    select
        least(
            coalesce(
                floor((amounts.loan_amount - bounds.lowest_amount) / nullif(bounds.bin_width, 0)), 0
            ),
            {{ bin_count - 1 }}
        ) as bin_index

    from amounts
    cross join bounds

),

counted as (

    select
        bin_index,
        count(*) as customer_count

    from binned
    group by bin_index

),

final as (

    select
        cast(counted.bin_index + 1 as integer) as bin_number,
        cast(bounds.lowest_amount + counted.bin_index * bounds.bin_width as double)
            as loan_amount_bin_lower_bound,
        cast(bounds.bin_width as double) as loan_amount_bin_width,
        counted.customer_count

    from counted
    cross join bounds

)

select * from final
order by bin_number
