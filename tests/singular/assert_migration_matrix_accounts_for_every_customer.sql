-- The matrix's rows must add up to the previous snapshot's customers and its columns to the latest
-- snapshot's, counted here straight from the snapshot. Returns a row when either total is off.
with

migrations as (

    select * from {{ ref('segment_migrations') }}

),

snapshot as (

    select * from {{ ref('customer_segments_snapshot') }}

),

matrix_totals as (

    select
        any_value(from_as_of) as from_as_of,
        any_value(to_as_of) as to_as_of,
        sum(customer_count) filter (where from_segment_rank is not null) as previous_customers,
        sum(customer_count) filter (where to_segment_rank is not null) as latest_customers

    from migrations

),

snapshot_totals as (

    select
        matrix_totals.from_as_of,
        matrix_totals.previous_customers,
        matrix_totals.latest_customers,
        count(*) filter (where snapshot.snapshot_as_of = matrix_totals.from_as_of)
            as previous_snapshot_customers,
        count(*) filter (where snapshot.snapshot_as_of = matrix_totals.to_as_of)
            as latest_snapshot_customers

    from matrix_totals
    cross join snapshot
    group by all

),

mismatched as (

    select * from snapshot_totals
    where
        from_as_of is not null
        and (
            previous_customers != previous_snapshot_customers
            or latest_customers != latest_snapshot_customers
        )

)

select * from mismatched
