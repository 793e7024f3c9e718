import type BetterSqlite3 from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type { AuditRepository } from '../../core/ports/audit-repository.js'
import { auditListArgs, auditRowArgs, toAuditEntry } from '../audit-queries.js'
import type { AuditIndexing } from './sqlite-audit-index.js'
import { sqliteAuditListQuery, sqliteAuditQueries } from './sqlite-audit-queries.js'
import { prepareQuery, QueryCache } from './prepared.js'
import type { AuditEntriesTable, Tables } from './tables.js'

/** What only the writer's repository has: the store's indexing statements, and a count of its appends. */
export interface AuditWriter {
  readonly indexing: AuditIndexing
  /** Hears every entry appended, so the tail is indexed before it grows long. */
  appended(): void
}

/** `writer` is given on the writer's connection only; read connections list and never append or prune. */
export function createSqliteAuditRepository(db: Kysely<Tables>, handle: BetterSqlite3.Database, writer?: AuditWriter): AuditRepository {
  const compiled = sqliteAuditQueries(db)
  const q = {
    append: prepareQuery(handle, compiled.append),
    pruneBoundary: prepareQuery<{ at: string }>(handle, compiled.pruneBoundary),
    pruneByTarget: prepareQuery(handle, compiled.pruneByTarget),
    pruneEntries: prepareQuery(handle, compiled.pruneEntries),
    pruneByTime: prepareQuery(handle, compiled.pruneByTime),
  }
  // One statement per combination of filters, each compiled the first time it is asked for.
  const pages = new QueryCache<AuditEntriesTable>(handle)

  return {
    async append(entry) {
      q.append.run(auditRowArgs(entry))
      writer?.appended()
    },
    async list(tenantId, query) {
      const { shape, args } = auditListArgs(tenantId, query)
      return pages.get(shape, () => sqliteAuditListQuery(db, query)).all(args).map(toAuditEntry)
    },
    async prune(tenantId, before, limit) {
      // Pruning reads the time index: the tail joins it first.
      writer?.indexing.index()
      const boundary = q.pruneBoundary.get({ tenantId, before, skip: limit - 1 })
      const batch = { tenantId, before, upTo: boundary?.at ?? before }
      q.pruneByTarget.run(batch)
      const pruned = q.pruneEntries.run(batch).changes
      q.pruneByTime.run(batch)
      return pruned
    },
  }
}
