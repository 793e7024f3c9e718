import type { Kysely } from 'kysely'
import type { AuditQuery } from '../../core/audit/audit-entry.js'
import type { AuditRepository } from '../../core/ports/audit-repository.js'
import { param } from '../query-param.js'
import { toAuditEntry } from '../sqlite/sqlite-audit-repository.js'
import type { AuditEntriesTable, Tables } from '../sqlite/tables.js'
import { pgQuery, PgQueryCache, type PgConnection } from './pg-prepared.js'

const FILTERS = ['actor', 'action', 'targetType', 'target', 'from', 'to', 'after'] as const

export function pgAuditRepository(db: Kysely<Tables>): (c: PgConnection) => AuditRepository {
  const q = {
    append: pgQuery(db.insertInto('audit_entries').values({
      tenant_id: param('tenantId'), at: param<string>('at'), id: param('id'), actor: param('actor'), actor_type: param('actorType'),
      surface: param('surface'), request_id: param('requestId'), action: param('action'), target_type: param('targetType'),
      target_id: param('targetId'), changes: param('changes'),
    }).compile()),
    // The `at` of the batch's last entry: deleting up to it deletes about `limit` entries in one index range.
    pruneBoundary: pgQuery<{ at: string }>(db.selectFrom('audit_entries').select('at')
      .where('tenant_id', '=', param('tenantId')).where('at', '<', param('before'))
      .orderBy('at').limit(1).offset(param('skip')).compile()),
    prune: pgQuery(db.deleteFrom('audit_entries')
      .where('tenant_id', '=', param('tenantId')).where('at', '<', param('before')).where('at', '<=', param('upTo')).compile()),
  }
  const pages = new PgQueryCache<AuditEntriesTable>()

  function buildList(query: AuditQuery) {
    let select = db.selectFrom('audit_entries').selectAll().where('tenant_id', '=', param('tenantId'))
    if (query.actor !== undefined) select = select.where('actor', '=', param('actor'))
    if (query.action !== undefined) select = select.where('action', '=', param('action'))
    if (query.targetType !== undefined) select = select.where('target_type', '=', param('targetType'))
    if (query.target !== undefined) select = select.where('target_id', '=', param('target'))
    if (query.from !== undefined) select = select.where('at', '>=', param('from'))
    if (query.to !== undefined) select = select.where('at', '<', param('to'))
    if (query.after !== undefined) {
      select = select.where((eb) => eb.or([
        eb('at', '<', param('afterAt')),
        eb.and([eb('at', '=', param('afterAt')), eb('id', '<', param('afterId'))]),
      ]))
    }
    return select.orderBy('at', 'desc').orderBy('id', 'desc').limit(param('limit')).compile()
  }

  return (c) => ({
    async append(entry) {
      await c.run(q.append, { ...entry, changes: JSON.stringify({ fields: entry.fields, before: entry.before, after: entry.after }) })
    },
    async list(tenantId, query) {
      const shape = FILTERS.filter((name) => query[name] !== undefined).join(',')
      const rows = await c.rows(pages.get(shape, () => buildList(query)), {
        tenantId, actor: query.actor, action: query.action, targetType: query.targetType, target: query.target,
        from: query.from, to: query.to, afterAt: query.after?.at, afterId: query.after?.id, limit: query.limit,
      })
      return rows.map(toAuditEntry)
    },
    async prune(tenantId, before, limit) {
      const boundary = await c.first(q.pruneBoundary, { tenantId, before, skip: limit - 1 })
      return c.run(q.prune, { tenantId, before, upTo: boundary?.at ?? before })
    },
  })
}
