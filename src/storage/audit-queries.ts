import type { Kysely } from 'kysely'
import type { AuditActorType, AuditAction, AuditEntry, AuditQuery, AuditSurface, AuditTargetType, NewAuditEntry } from '../core/audit/audit-entry.js'
import type { TenantId } from '../core/ids.js'
import { param } from './query-param.js'
import type { AuditEntriesTable, Tables } from './sqlite/tables.js'

// The audit log's list arguments and row mapping, the same on every engine, and the statements of engines
// that index each entry as it is written (PostgreSQL). SQLite appends entries and indexes them in batches
// (sqlite-audit-queries.ts). Each adapter compiles its statements once and binds them by name.

/** The filters a list may combine; each combination is one statement shape. */
export const AUDIT_FILTERS = ['actor', 'action', 'targetType', 'target', 'from', 'to', 'after'] as const

export function auditQueries(db: Kysely<Tables>) {
  return {
    append: db.insertInto('audit_entries').values({
      tenant_id: param('tenantId'), at: param<string>('at'), id: param('id'), actor: param('actor'), actor_type: param('actorType'),
      surface: param('surface'), request_id: param('requestId'), action: param('action'), target_type: param('targetType'),
      target_id: param('targetId'), changes: param('changes'),
    }).compile(),
    // The `at` of the batch's last entry: deleting up to it deletes about `limit` entries in one index range.
    pruneBoundary: db.selectFrom('audit_entries').select('at')
      .where('tenant_id', '=', param('tenantId')).where('at', '<', param('before'))
      .orderBy('at').limit(1).offset(param('skip')).compile(),
    prune: db.deleteFrom('audit_entries')
      .where('tenant_id', '=', param('tenantId')).where('at', '<', param('before')).where('at', '<=', param('upTo')).compile(),
  }
}

/** The list statement for the filters `query` uses, newest first. */
export function auditListQuery(db: Kysely<Tables>, query: AuditQuery) {
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

/** The shape key of `query` and the arguments its statement binds. */
export function auditListArgs(tenantId: TenantId, query: AuditQuery) {
  return {
    shape: AUDIT_FILTERS.filter((name) => query[name] !== undefined).join(','),
    args: {
      tenantId, actor: query.actor, action: query.action, targetType: query.targetType, target: query.target,
      from: query.from, to: query.to, afterAt: query.after?.at, afterId: query.after?.id, limit: query.limit,
    },
  }
}

/** The arguments of `append`: the changes as one JSON text, read back whole and never queried inside. */
export function auditRowArgs(entry: NewAuditEntry) {
  return {
    tenantId: entry.tenantId, at: entry.at, id: entry.id, actor: entry.actor, actorType: entry.actorType, surface: entry.surface,
    requestId: entry.requestId, action: entry.action, targetType: entry.targetType, targetId: entry.targetId,
    changes: JSON.stringify({ fields: entry.fields, before: entry.before, after: entry.after }),
  }
}

export function toAuditEntry(row: AuditEntriesTable): AuditEntry {
  const changes = JSON.parse(row.changes) as Pick<AuditEntry, 'fields' | 'before' | 'after'>
  return {
    id: row.id,
    tenantId: row.tenant_id as TenantId,
    at: row.at,
    actor: row.actor,
    actorType: row.actor_type as AuditActorType,
    surface: row.surface as AuditSurface,
    requestId: row.request_id,
    action: row.action as AuditAction,
    targetType: row.target_type as AuditTargetType,
    targetId: row.target_id,
    fields: changes.fields,
    before: changes.before,
    after: changes.after,
  }
}
