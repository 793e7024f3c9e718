import type BetterSqlite3 from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type { AuditRepository } from '../../core/ports/audit-repository.js'
import { auditListArgs, auditListQuery, auditQueries, auditRowArgs, toAuditEntry } from '../audit-queries.js'
import { prepareQuery, QueryCache } from './prepared.js'
import type { AuditEntriesTable, Tables } from './tables.js'

export function createSqliteAuditRepository(db: Kysely<Tables>, handle: BetterSqlite3.Database): AuditRepository {
  const compiled = auditQueries(db)
  const q = {
    append: prepareQuery(handle, compiled.append),
    pruneBoundary: prepareQuery<{ at: string }>(handle, compiled.pruneBoundary),
    prune: prepareQuery(handle, compiled.prune),
  }
  // One statement per combination of filters, each compiled the first time it is asked for.
  const pages = new QueryCache<AuditEntriesTable>(handle)

  return {
    async append(entry) {
      q.append.run(auditRowArgs(entry))
    },
    async list(tenantId, query) {
      const { shape, args } = auditListArgs(tenantId, query)
      return pages.get(shape, () => auditListQuery(db, query)).all(args).map(toAuditEntry)
    },
    async prune(tenantId, before, limit) {
      const boundary = q.pruneBoundary.get({ tenantId, before, skip: limit - 1 })
      return q.prune.run({ tenantId, before, upTo: boundary?.at ?? before }).changes
    },
  }
}
