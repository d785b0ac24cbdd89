{#- A table, usually small: the quality gate, the quarantine and the data-quality summary read the
    rejected rows, and the rows stay here when the gate stops a build. -#}
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
