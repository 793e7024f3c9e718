import type BetterSqlite3 from 'better-sqlite3'

/**
 * Brings the query planner's statistics up to date (PRAGMA optimize: only tables that grew or shrank
 * about tenfold since they were last analyzed), bounded so a large file stays quick to open.
 *
 * The audit log's entries (audit_entries) are only ever read by `seq`, their rowid: the unindexed tail
 * after the index mark, and one entry per index row. Analyzed while the log held one entry (a young store
 * reopened), SQLite planned the tail as a scan of the whole log, 4 ms per indexing batch at 30,000
 * entries and growing with it; and analyzing a table with no index means reading all of it. So its row
 * count is set from the span of `seq` (two probes) before optimize looks, and optimize, finding it
 * current, never reads the log.
 */
export function refreshStatistics(handle: BetterSqlite3.Database, everyTable: boolean): void {
  handle.pragma('analysis_limit = 1000')
  const analyzed = handle.prepare("select count(*) from sqlite_schema where name = 'sqlite_stat1'").pluck()
  const span = handle.prepare('select coalesce(max(seq) - min(seq) + 1, 0) from audit_entries').pluck()
  const setCount = () => {
    handle.prepare("delete from sqlite_stat1 where tbl = 'audit_entries'").run()
    // Any count of 10 or more keeps the tail a seek.
    handle.prepare("insert into sqlite_stat1 (tbl, idx, stat) values ('audit_entries', null, ?)").run(String(Math.max(span.get() as number, 10)))
  }
  if (analyzed.get() === 1) setCount()
  handle.pragma(everyTable ? 'optimize = 0x10002' : 'optimize')
  // Again, should optimize have analyzed the log for the first time; then loaded into this connection
  // (others read the statistics when they next open).
  if (analyzed.get() === 1) {
    setCount()
    handle.exec('analyze sqlite_schema')
  }
}
