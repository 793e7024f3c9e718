import type { AuditEntry } from '../../core/audit/audit-entry.js'
import type { AuditPage } from '../../core/audit/audit-list-input.js'
import type { Roster } from '../../open-roster.js'
import type { Route } from '../router.js'
import { readQuery, type Renames } from '../wire-fields.js'
import { ok } from './admin-envelope.js'
import type { AdminAuth } from './admin-surface.js'

export const AUDIT_RENAMES: Renames = { target_type: 'targetType' }

export const AUDIT_QUERY = {
  actor: 'string', action: 'string', target: 'string', target_type: 'string', from: 'string', to: 'string',
  cursor: 'string', limit: 'integer',
} as const

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
const snakeKeys = (values: Readonly<Record<string, unknown>>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [snake(k), v]))

/** One audit entry on the wire: snake_case like the rest of the admin surface, changed field names included. */
export function adminAuditEntry(entry: AuditEntry) {
  return {
    id: entry.id,
    tenant_id: entry.tenantId,
    at: entry.at,
    actor: entry.actor,
    actor_type: entry.actorType,
    surface: entry.surface,
    request_id: entry.requestId,
    action: entry.action,
    target_type: entry.targetType,
    target_id: entry.targetId,
    fields: entry.fields.map(snake),
    before: snakeKeys(entry.before),
    after: snakeKeys(entry.after),
  }
}

function auditPagination(page: AuditPage) {
  return { limit: page.limit, has_more: page.hasMore, next_cursor: page.nextCursor }
}

/** `GET /v1/admin/audit`: the tenant's audit log, newest first, keyset-paged like the user list's cursor. */
export function adminAuditRoutes(roster: Roster, auth: AdminAuth): Route[] {
  return [
    {
      method: 'GET', path: '/v1/admin/audit',
      handler: async (ctx) => {
        const principal = await auth(ctx)
        const page = await roster.audit.list(principal, readQuery(ctx.url, AUDIT_QUERY, AUDIT_RENAMES))
        return ok(page.entries.map(adminAuditEntry), undefined, 200, { pagination: auditPagination(page) })
      },
    },
  ]
}
