import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { AuditQuery } from '../../core/audit/audit-entry.js'
import { param } from '../query-param.js'
import type { Tables } from './tables.js'

// The audit log's statements on SQLite, where entries are appended to a rowid table and indexed in
// batches (migration 050, sqlite-audit-index.ts): every read combines the index tables with the tail.

const MARK = sql`(select seq from audit_index_mark)`
// One batch of pruning: a tenant's indexed entries before `before`, up to the boundary `upTo`.
const BATCH = sql`select seq from audit_entries_by_time
  where tenant_id = ${param('tenantId')} and at < ${param('before')} and at <= ${param('upTo')}`

export function sqliteAuditQueries(db: Kysely<Tables>) {
  return {
    // `seq` never falls to the mark or below: should pruning delete the newest entry, its seq must not
    // come back for an entry that the mark already counts as indexed.
    append: sql`insert into audit_entries (seq, tenant_id, at, id, actor, actor_type, surface, request_id, action, target_type, target_id, changes)
      values (max(coalesce((select max(seq) from audit_entries), 0), ${MARK}) + 1, ${param('tenantId')}, ${param('at')}, ${param('id')},
        ${param('actor')}, ${param('actorType')}, ${param('surface')}, ${param('requestId')}, ${param('action')}, ${param('targetType')},
        ${param('targetId')}, ${param('changes')})`.compile(db),
    // The `at` of the batch's last entry: deleting up to it deletes about `limit` entries in one index range.
    pruneBoundary: sql`select at from audit_entries_by_time where tenant_id = ${param('tenantId')} and at < ${param('before')}
      order by at limit 1 offset ${param('skip')}`.compile(db),
    pruneByTarget: sql`delete from audit_entries_by_target where (tenant_id, target_id, at, id) in
      (select tenant_id, target_id, at, id from audit_entries where seq in (${BATCH}))`.compile(db),
    pruneEntries: sql`delete from audit_entries where seq in (${BATCH})`.compile(db),
    pruneByTime: sql`delete from audit_entries_by_time
      where tenant_id = ${param('tenantId')} and at < ${param('before')} and at <= ${param('upTo')}`.compile(db),
  }
}

/** The conditions of `query` on table `t`, whose tenant, target and time columns are named as the entry's. */
function conditions(t: string, query: AuditQuery): RawBuilder<unknown>[] {
  const c = (column: string) => sql.ref(`${t}.${column}`)
  const where = [sql`${c('tenant_id')} = ${param('tenantId')}`]
  if (query.target !== undefined) where.push(sql`${c('target_id')} = ${param('target')}`)
  if (query.from !== undefined) where.push(sql`${c('at')} >= ${param('from')}`)
  if (query.to !== undefined) where.push(sql`${c('at')} < ${param('to')}`)
  if (query.after !== undefined) {
    where.push(sql`(${c('at')} < ${param('afterAt')} or (${c('at')} = ${param('afterAt')} and ${c('id')} < ${param('afterId')}))`)
  }
  return where
}

/** The filters only the entry itself can answer. */
function entryConditions(query: AuditQuery): RawBuilder<unknown>[] {
  const where: RawBuilder<unknown>[] = []
  if (query.actor !== undefined) where.push(sql`e.actor = ${param('actor')}`)
  if (query.action !== undefined) where.push(sql`e.action = ${param('action')}`)
  if (query.targetType !== undefined) where.push(sql`e.target_type = ${param('targetType')}`)
  return where
}

/**
 * The list statement for the filters `query` uses, newest first: a page from the index table that fits
 * the query (one target's history, or the tenant's entries in time order), merged with a page from the
 * unindexed tail, which holds at most a few thousand entries of all tenants.
 */
export function sqliteAuditListQuery(db: Kysely<Tables>, query: AuditQuery) {
  const index = sql.table(query.target !== undefined ? 'audit_entries_by_target' : 'audit_entries_by_time')
  const indexed = [...conditions('i', query), ...entryConditions(query)]
  const tail = [sql`e.seq > ${MARK}`, ...conditions('e', query), ...entryConditions(query)]
  return sql`select * from (
      select e.* from ${index} as i join audit_entries as e on e.seq = i.seq
      where ${sql.join(indexed, sql` and `)} order by i.at desc, i.id desc limit ${param('limit')}
    ) union all select * from (
      select e.* from audit_entries as e
      where ${sql.join(tail, sql` and `)} order by e.at desc, e.id desc limit ${param('limit')}
    ) order by at desc, id desc limit ${param('limit')}`.compile(db)
}
