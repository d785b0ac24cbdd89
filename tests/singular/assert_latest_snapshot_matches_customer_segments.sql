{#- The latest snapshot in customer_segments_snapshot must hold exactly this build's customers and
    segments. It fails when history could not record this build:
    - var as_of is earlier than the latest snapshot_as_of (macro assert_as_of_moves_forward normally
      stops such a build before the snapshot): history is recorded forward only. Use a later as_of,
      or rebuild the history in date order.
    - var as_of equals the latest snapshot_as_of but the results differ (another file, or other
      settings, under the same as_of): a snapshot is never overwritten. Use a new as_of, or drop the
      old one first: delete from customer_segments_snapshot where snapshot_as_of = '<as_of>', and
      reopen the rows it closed: update customer_segments_snapshot set dbt_valid_to = null
      where dbt_valid_to = '<as_of>'.
    Skipped when customer_segments is empty (dbt build --empty leaves the history alone), and when
    var as_of is unset: such a build records no history (models/history/customer_segments_as_of.sql).
    Since the latest snapshot must equal customer_segments row for row, this test also keeps its
    keys unique and its columns filled; earlier snapshots were checked when they were the latest,
    so no test reads every row of the history, which grows by a file's worth of rows per build
    (finding the latest snapshot reads only its snapshot_as_of column). -#}
with

-- both read twice: computed where they are used rather than copied whole
customer_segments as {{ inline_cte() }} (

    select * from {{ ref('customer_segments') }}

),

snapshot as {{ inline_cte() }} (

    select * from {{ ref('customer_segments_snapshot') }}

),

latest_date as (

    select max(snapshot.snapshot_as_of) as snapshot_as_of
    from snapshot

),

latest_snapshot as (

    select snapshot.*
    from snapshot
    inner join latest_date
        on snapshot.snapshot_as_of = latest_date.snapshot_as_of

),

differences as (

    select
        coalesce(customer_segments.customer_id, latest_snapshot.customer_id) as customer_id,
        latest_snapshot.snapshot_as_of,
        customer_segments.segment_rank as build_segment_rank,
        latest_snapshot.segment_rank as snapshot_segment_rank,
        customer_segments.credit_score as build_credit_score,
        latest_snapshot.credit_score as snapshot_credit_score

    from customer_segments
    full outer join latest_snapshot
        on customer_segments.customer_id = latest_snapshot.customer_id
    where
        customer_segments.customer_id is null
        or latest_snapshot.customer_id is null
        or customer_segments.segment_rank is distinct from latest_snapshot.segment_rank
        or customer_segments.segment_label is distinct from latest_snapshot.segment_label
        or customer_segments.credit_score is distinct from latest_snapshot.credit_score
        or customer_segments.is_customer_id_derived
        is distinct from latest_snapshot.is_customer_id_derived

),

-- a customer twice in the snapshot would match its build row twice above; with no differences,
-- equal counts rule that out
build_rows as (

    select count(*) as build_row_count
    from {{ ref('customer_segments') }}

),

snapshot_rows as (

    select count(*) as snapshot_row_count
    from {{ ref('customer_segments_snapshot') }} as snapshot_table
    where
        snapshot_table.snapshot_as_of = (
            select max(latest_table.snapshot_as_of) as latest_as_of
            from {{ ref('customer_segments_snapshot') }} as latest_table
        )

),

row_counts as (

    select
        build_rows.build_row_count,
        snapshot_rows.snapshot_row_count

    from build_rows
    cross join snapshot_rows

),

repeated_in_snapshot as (

    select
        'count: ' || build_row_count || ' in the build, ' || snapshot_row_count
        || ' in the latest snapshot' as customer_id,
        cast(null as {{ dbt.type_timestamp() }}) as snapshot_as_of,
        cast(null as integer) as build_segment_rank,
        cast(null as integer) as snapshot_segment_rank,
        cast(null as decimal(17, 4)) as build_credit_score,
        cast(null as decimal(17, 4)) as snapshot_credit_score

    from row_counts
    where build_row_count != snapshot_row_count

),

failures as (

    select * from differences
    union all
    select * from repeated_in_snapshot

)

select * from failures
where
    exists (select customer_segments.customer_id from customer_segments)
    and {{ 'true' if valid_var('as_of') is not none else 'false' }}
