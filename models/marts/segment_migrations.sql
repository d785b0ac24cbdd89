{#- Transition matrix between the last two snapshots of customer_segments_snapshot. -#}
with

-- read three times below, each reading only the snapshots and columns it needs
snapshot as {{ inline_cte() }} (

    select * from {{ ref('customer_segments_snapshot') }}

),

snapshot_dates as (

    select distinct snapshot_as_of
    from snapshot

),

-- 1 = the latest snapshot, 2 = the one before
snapshot_runs as (

    select
        snapshot_as_of,
        row_number() over (order by snapshot_as_of desc) as recency

    from snapshot_dates

),

-- who is the same customer in both snapshots: the same Customer ID; a derived id (row-<n>) only
-- when both snapshots read the same file content, since row 17 of another file is someone else.
-- Read twice below, each time for one snapshot only.
keyed as {{ inline_cte() }} (

    select
        snapshot.*,
        snapshot_runs.recency,
        case
            when snapshot.is_customer_id_derived then coalesce(snapshot.input_fingerprint, '')
            else ''
        end as match_scope

    from snapshot
    inner join snapshot_runs
        on snapshot.snapshot_as_of = snapshot_runs.snapshot_as_of
    where snapshot_runs.recency <= 2

),

previous_snapshot as (

    select * from keyed
    where recency = 2

),

latest_snapshot as (

    select * from keyed
    where recency = 1

),

transitions as (

    select
        previous_snapshot.segment_rank as from_segment_rank,
        previous_snapshot.segment_label as from_segment_label,
        latest_snapshot.segment_rank as to_segment_rank,
        latest_snapshot.segment_label as to_segment_label,
        count(*) as customer_count

    from previous_snapshot
    full outer join latest_snapshot
        on
            previous_snapshot.customer_id = latest_snapshot.customer_id
            and previous_snapshot.is_customer_id_derived = latest_snapshot.is_customer_id_derived
            and previous_snapshot.match_scope = latest_snapshot.match_scope
    group by
        previous_snapshot.segment_rank,
        previous_snapshot.segment_label,
        latest_snapshot.segment_rank,
        latest_snapshot.segment_label

),

-- rows of the matrix: the previous snapshot's segments, then 'New' (rank null). With no previous
-- snapshot (the first build) there are no rows: a migration needs two snapshots. Read from the
-- transition counts, which hold every segment of both snapshots, not from the snapshots again.
from_states as (

    select distinct
        from_segment_rank as segment_rank,
        from_segment_label as segment_label

    from transitions
    where from_segment_rank is not null

    union all

    select
        cast(null as integer) as segment_rank,
        cast(null as varchar) as segment_label

    where exists (
        select transitions.from_segment_rank from transitions
        where transitions.from_segment_rank is not null
    )

),

-- columns of the matrix: the latest snapshot's segments, then 'Left' (rank null)
to_states as (

    select distinct
        to_segment_rank as segment_rank,
        to_segment_label as segment_label

    from transitions
    where to_segment_rank is not null

    union all

    select
        cast(null as integer) as segment_rank,
        cast(null as varchar) as segment_label

),

-- every cell, so an empty transition shows as 0 (New -> Left cannot happen and is left out)
cells as (

    select
        from_states.segment_rank as from_segment_rank,
        from_states.segment_label as from_segment_label,
        to_states.segment_rank as to_segment_rank,
        to_states.segment_label as to_segment_label

    from from_states
    cross join to_states
    where from_states.segment_rank is not null or to_states.segment_rank is not null

),

counted as (

    select
        cells.*,
        coalesce(transitions.customer_count, 0) as customer_count

    from cells
    left join transitions
        on
            cells.from_segment_rank is not distinct from transitions.from_segment_rank
            and cells.to_segment_rank is not distinct from transitions.to_segment_rank

),

snapshot_pair as (

    select
        max(snapshot_as_of) filter (where recency = 2) as from_as_of,
        max(snapshot_as_of) filter (where recency = 1) as to_as_of

    from snapshot_runs

),

classified as (

    select
        *,
        case
            when from_segment_rank is null then 'new'
            when to_segment_rank is null then 'left'
            when to_segment_rank < from_segment_rank then 'upgraded'
            when to_segment_rank > from_segment_rank then 'downgraded'
            else 'stayed'
        end as migration_type

    from counted

),

final as (

    select
        snapshot_pair.from_as_of,
        snapshot_pair.to_as_of,
        classified.from_segment_rank,
        classified.from_segment_label,
        coalesce(classified.from_segment_label, 'New') as from_state,
        classified.to_segment_rank,
        classified.to_segment_label,
        coalesce(classified.to_segment_label, 'Left') as to_state,
        classified.migration_type,
        classified.customer_count,
        cast(sum(classified.customer_count) over from_state_rows as bigint) as from_customer_count,
        classified.customer_count / nullif(sum(classified.customer_count) over from_state_rows, 0)
            as transition_rate,
        cast(sum(classified.customer_count) over migration_type_rows as bigint)
            as migration_type_customer_count

    from classified
    cross join snapshot_pair
    window
        from_state_rows as (partition by classified.from_segment_rank),
        migration_type_rows as (partition by classified.migration_type)

)

select * from final
order by from_segment_rank nulls last, to_segment_rank nulls last
