import { randomUUID } from 'node:crypto'
import type Database from 'better-sqlite3'
import { rawTransaction } from '../lib/raw-connection.js'

// The SQL roster's repositories run for a create and a patch (users-raw.ts, sqlite-user-repository.ts),
// plus the audit entry's INSERT (sqlite-audit-queries.ts), written out by hand.
const USER_ROW =
  'select "users".*, "tenants"."name" as "tenant_name" from "users" inner join "tenants" on "tenants"."id" = "users"."tenant_id" where "users"."tenant_id" = ? and "users"."id" = ?'
const SQL = {
  nextNumber:
    'update "tenants" set "next_user_number" = next_user_number + 1 where "id" = ? returning next_user_number - 1 as "number", "name"',
  insert:
    'insert into "users" ("id", "tenant_id", "number", "external_id", "name", "first_name", "last_name", "email", "email_lower", "metadata", "status", "suspended_reason", "billing_plan", "account_type", "auth_type", "expires_at", "created_at", "updated_at", "admin_key_id") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  byId: USER_ROW,
  rename: 'update "users" set "name" = ?, "updated_at" = ? where "tenant_id" = ? and "id" = ?',
  // Appended unindexed, as roster appends it (migration 050); roster's batches that index the tail later
  // are work this side never does.
  audit:
    'insert into audit_entries (seq, tenant_id, at, id, actor, actor_type, surface, request_id, action, target_type, target_id, changes) values (max(coalesce((select max(seq) from audit_entries), 0), (select seq from audit_index_mark)) + 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
} as const

export interface RawAuditCreate {
  readonly tenantId: string
  readonly adminKeyId: string
  readonly externalId: string
  readonly email: string
}

type Row = Record<string, unknown>

/** The raw better-sqlite3 side of the audit suite: a create and a patch, each with or without its audit entry. */
export function prepareRawAudit(handle: Database.Database) {
  const s = Object.fromEntries(Object.entries(SQL).map(([name, sql]) => [name, handle.prepare(sql)])) as Record<keyof typeof SQL, Database.Statement>
  const transaction = rawTransaction(handle)
  const entry = (tenantId: string, actor: string, action: string, targetId: string, changes: unknown, at: string) =>
    s.audit.run(tenantId, at, randomUUID(), actor, 'key', 'library', null, action, 'user', targetId, JSON.stringify(changes))

  return {
    create: (user: RawAuditCreate, audited: boolean) =>
      transaction(() => {
        const next = s.nextNumber.get(user.tenantId) as { number: number } | undefined
        if (!next) throw new Error('tenant not found')
        const id = randomUUID()
        const at = new Date().toISOString()
        s.insert.run(
          id, user.tenantId, next.number, user.externalId, 'Bench User', null, null, user.email, user.email.toLowerCase(), '{}',
          'active', null, null, 'user', 'none', null, at, null, user.adminKeyId,
        )
        if (audited) {
          const after = { id, number: next.number, externalId: user.externalId, name: 'Bench User', email: user.email, metadata: {}, status: 'active' }
          entry(user.tenantId, user.adminKeyId, 'user.created', id, { fields: Object.keys(after), before: {}, after }, at)
        }
        return { id, number: next.number }
      }),
    rename: (tenantId: string, actor: string, id: string, name: string, audited: boolean) =>
      transaction(() => {
        const at = new Date().toISOString()
        const before = audited ? (s.byId.get(tenantId, id) as Row | undefined) : undefined
        s.rename.run(name, at, tenantId, id)
        const after = s.byId.get(tenantId, id) as Row | undefined
        if (audited) entry(tenantId, actor, 'user.updated', id, { fields: ['name'], before: { name: before?.['name'] }, after: { name } }, at)
        return after
      }),
  }
}

export type RawAudit = ReturnType<typeof prepareRawAudit>
