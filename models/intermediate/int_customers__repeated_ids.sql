{#- A table, usually empty: the view int_customers__validated is read by several models, and each
    would otherwise group every input row by its id again. -#}
{{ config(materialized='table') }}

with

customer_ids as (

    select customer_id from {{ ref('stg_credit__customers') }}

),

repeated_ids as (

    -- derived ids (row-<n>) differ from each other, but one may equal an id given in the file
    select customer_id
    from customer_ids
    group by customer_id
    having count(*) > 1

),

rows_with_repeated_ids as (

    -- a second, filtered read: only these rows need their rejection reasons here
    select * from {{ ref('int_customers__encoded') }}
    where customer_id in (select repeated_ids.customer_id from repeated_ids)

),

kept_rows as (

    -- the first usable row in file order keeps the id, else the first row
    select
        customer_id,
        count(*) as row_count,
        coalesce(
            min(case when {{ array_size(row_rejection_reasons()) }} = 0 then source_row_number end),
            min(source_row_number)
        ) as kept_source_row_number

    from rows_with_repeated_ids
    group by customer_id

)

select * from kept_rows
