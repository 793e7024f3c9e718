import type BetterSqlite3 from 'better-sqlite3'

/** Unindexed entries that make the writer index the tail at once, rather than at the next tick. */
const INDEX_AT_ENTRIES = 500
/**
 * Most entries one batch indexes; a longer tail goes in several batches, a turn of the event loop apart.
 * The target index takes each entry on a page of its own, so a batch costs about its size in random
 * inserts, all on the event loop: batches of 2,000 shared index pages a little better but raised the
 * 200-client mixed HTTP run's p99 to 219 ms, against 146-182 ms with 500.
 */
const INDEX_SLICE = 500
const INDEX_EVERY_MS = 1_000

export interface AuditIndexing {
  /** Indexes the oldest INDEX_SLICE entries of the tail; inside a write transaction. */
  index(): void
  /** Whether any entry waits to be indexed: two lookups, no transaction of its own. */
  behind(): boolean
}

/**
 * Moves the audit log's tail (entries after `audit_index_mark.seq`) into the two index tables, in key
 * order so each index page is written once per batch. Run inside a write transaction: the mark moves
 * with the rows, so a list sees every entry exactly once, in an index table or in the tail.
 */
export function prepareAuditIndexing(handle: BetterSqlite3.Database): AuditIndexing {
  const tail = 'from audit_entries where seq > (select seq from audit_index_mark) and seq <= @upTo'
  // OR IGNORE: two entries with one (tenant, at, id) cannot come from UUIDv7 ids, but a batch that failed
  // on one would leave the tail to grow forever.
  const byTime = handle.prepare(`insert or ignore into audit_entries_by_time (tenant_id, at, id, seq)
    select tenant_id, at, id, seq ${tail} order by tenant_id, at, id`)
  const byTarget = handle.prepare(`insert or ignore into audit_entries_by_target (tenant_id, target_id, at, id, seq)
    select tenant_id, target_id, at, id, seq ${tail} order by tenant_id, target_id, at, id`)
  const sliceEnd = handle.prepare(`select coalesce(
    (select seq from audit_entries where seq > (select seq from audit_index_mark) order by seq limit 1 offset ${INDEX_SLICE - 1}),
    (select max(seq) from audit_entries))`).pluck()
  const mark = handle.prepare('update audit_index_mark set seq = @upTo where seq < @upTo')
  const behind = handle.prepare('select (select max(seq) from audit_entries) > (select seq from audit_index_mark)').pluck()
  return {
    index() {
      const upTo = sliceEnd.get() as number | null
      if (upTo === null) return
      byTime.run({ upTo })
      byTarget.run({ upTo })
      mark.run({ upTo })
    },
    behind: () => behind.get() === 1,
  }
}

/**
 * Indexes the tail every second and whenever INDEX_AT_ENTRIES entries were appended since the last
 * batch, through `write` (a transaction of the store's writer), so a list never scans more than about
 * that many unindexed entries. Appends by other processes are indexed by this timer too.
 */
export function startAuditIndexing(write: (work: () => void) => Promise<unknown>, indexing: AuditIndexing) {
  let appended = 0
  let pending: Promise<unknown> | null = null
  let stopped = false
  const run = (): Promise<unknown> => {
    if (pending) return pending
    appended = 0
    pending = write(indexing.index).then(
      // What is left of a long tail goes in the next batch, once the requests waiting meanwhile are served.
      () => void (!stopped && indexing.behind() && setImmediate(run)),
      () => {
        // The entries stay in the tail, where lists still find them; the next tick tries again.
      },
    ).finally(() => (pending = null))
    return pending
  }
  // A tick with nothing to index opens no transaction: an idle store stays idle.
  const timer = setInterval(() => {
    if (appended > 0 || indexing.behind()) void run()
  }, INDEX_EVERY_MS)
  timer.unref()
  return {
    appended(): void {
      if (++appended >= INDEX_AT_ENTRIES) setImmediate(run)
    },
    /** Indexes what is left and stops the timer. */
    async stop(): Promise<void> {
      clearInterval(timer)
      stopped = true
      await pending
      // A batch that fails leaves the rest in the tail, where lists still find it, rather than retrying for ever.
      while (indexing.behind()) {
        if (!(await write(indexing.index).then(() => true, () => false))) break
      }
    },
  }
}
