-- Every input row is either a segmented customer or a quarantined row, never both, never neither.
with

input_rows as (

    select count(*) as row_count from {{ source('raw', 'credit_customers') }}

),

segmented as (

    select count(*) as row_count from {{ ref('customer_segments') }}

),

rejected as (

    select count(*) as row_count from {{ ref('rejected_customers') }}

),

overlap as (

    select count(*) as row_count
    from {{ ref('customer_segments') }} as customer_segments
    inner join {{ ref('rejected_customers') }} as rejected_customers
        on customer_segments.source_row_number = rejected_customers.source_row_number

)

select
    input_rows.row_count as input_row_count,
    segmented.row_count as segmented_row_count,
    rejected.row_count as rejected_row_count,
    overlap.row_count as overlapping_row_count
from input_rows
cross join segmented
cross join rejected
cross join overlap
where
    input_rows.row_count != segmented.row_count + rejected.row_count
    or overlap.row_count > 0
