import type { Kysely } from 'kysely'
import type { AuditRepository } from '../../core/ports/audit-repository.js'
import { auditListArgs, auditListQuery, auditQueries, auditRowArgs, toAuditEntry } from '../audit-queries.js'
import type { AuditEntriesTable, Tables } from '../sqlite/tables.js'
import { pgQuery, PgQueryCache, type PgConnection } from './pg-prepared.js'

export function pgAuditRepository(db: Kysely<Tables>): (c: PgConnection) => AuditRepository {
  const compiled = auditQueries(db)
  const q = {
    append: pgQuery(compiled.append, { locking: true }),
    pruneBoundary: pgQuery<{ at: string }>(compiled.pruneBoundary),
    prune: pgQuery(compiled.prune),
  }
  const pages = new PgQueryCache<AuditEntriesTable>()

  return (c) => ({
    async append(entry) {
      await c.run(q.append, auditRowArgs(entry))
    },
    async list(tenantId, query) {
      const { shape, args } = auditListArgs(tenantId, query)
      return (await c.rows(pages.get(shape, () => auditListQuery(db, query)), args)).map(toAuditEntry)
    },
    async prune(tenantId, before, limit) {
      const boundary = await c.first(q.pruneBoundary, { tenantId, before, skip: limit - 1 })
      return c.run(q.prune, { tenantId, before, upTo: boundary?.at ?? before })
    },
  })
}
