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
    Skipped when customer_segments is empty (dbt build --empty leaves the history alone). -#}
with

customer_segments as (

    select * from {{ ref('customer_segments') }}

),

snapshot as (

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
        or customer_segments.segment_rank != latest_snapshot.segment_rank
        or customer_segments.segment_label != latest_snapshot.segment_label
        or customer_segments.credit_score != latest_snapshot.credit_score

)

select * from differences
where exists (select customer_segments.customer_id from customer_segments)
