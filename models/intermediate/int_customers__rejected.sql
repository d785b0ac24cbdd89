{#- A table, usually small: the quality gate, the quarantine and the data-quality summary all read
    the rejected rows, and each would otherwise re-validate the whole input to find them. -#}
{{ config(materialized='table') }}

with

validated as (

    select * from {{ ref('int_customers__validated') }}

),

rejected as (

    select * from validated
    where not is_valid

)

select * from rejected
