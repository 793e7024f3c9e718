import { randomUUID } from 'node:crypto'
import type Database from 'better-sqlite3'
import { rawTransaction } from '../lib/raw-connection.js'

// The SQL roster's SQLite repositories compile (sqlite-user-repository.ts, sqlite-key-repository.ts),
// written out by hand: same joins, same count query, same counter UPDATE … RETURNING before the INSERT.
const USER_ROW =
  'select "users".*, "tenants"."name" as "tenant_name" from "users" inner join "tenants" on "tenants"."id" = "users"."tenant_id" where "users"."tenant_id" = ?'
// Pages take the tenant name from a subquery; the total comes from the per-tenant counters.
const PAGE_ROW =
  'select "users".*, (select tenants.name from tenants where tenants.id = users.tenant_id) as "tenant_name" from "users" where "users"."tenant_id" = ?'
const SQL = {
  byId: `${USER_ROW} and "users"."id" = ?`,
  byExternalId: `${USER_ROW} and "users"."external_id" = ?`,
  page: `${PAGE_ROW} order by "users"."number" desc limit ? offset ?`,
  pageBefore: `${PAGE_ROW} and "users"."number" < ? order by "users"."number" desc limit ? offset ?`,
  count: 'select coalesce(sum(users), 0) as "total" from "user_counts" where "tenant_id" = ?',
  nextNumber:
    'update "tenants" set "next_user_number" = next_user_number + 1 where "id" = ? returning next_user_number - 1 as "number", "name"',
  insert:
    'insert into "users" ("id", "tenant_id", "number", "external_id", "name", "first_name", "last_name", "email", "email_lower", "metadata", "status", "suspended_reason", "billing_plan", "account_type", "auth_type", "expires_at", "created_at", "updated_at", "admin_key_id") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  keyByHash: 'select * from "admin_keys" where "secret_hash" = ? and "revoked_at" is null',
} as const

export interface RawCreate {
  readonly tenantId: string
  readonly adminKeyId: string
  readonly name: string
  readonly externalId: string
  readonly email: string
}

type Row = Record<string, unknown>

/** The raw better-sqlite3 side of the users suite: statements prepared once, rows returned as SQLite gives them. */
export function prepareRawUsers(handle: Database.Database) {
  const s = Object.fromEntries(Object.entries(SQL).map(([name, sql]) => [name, handle.prepare(sql)])) as Record<
    keyof typeof SQL,
    Database.Statement
  >
  const transaction = rawTransaction(handle)
  return {
    getById: (tenantId: string, id: string) => s.byId.get(tenantId, id) as Row | undefined,
    getByExternalId: (tenantId: string, externalId: string) => s.byExternalId.get(tenantId, externalId) as Row | undefined,
    /** A page plus one row (to learn whether more follow, as roster does) and the tenant's count. */
    list: (tenantId: string, limit: number, offset: number) => ({
      rows: s.page.all(tenantId, limit + 1, offset) as Row[],
      total: (s.count.get(tenantId) as { total: number }).total,
    }),
    listBefore: (tenantId: string, beforeNumber: number, limit: number) => ({
      rows: s.pageBefore.all(tenantId, beforeNumber, limit + 1, 0) as Row[],
      total: (s.count.get(tenantId) as { total: number }).total,
    }),
    keyByHash: (hash: string) => s.keyByHash.get(hash) as Row | undefined,
    create: (user: RawCreate) =>
      transaction(() => {
        const next = s.nextNumber.get(user.tenantId) as { number: number; name: string } | undefined
        if (!next) throw new Error('tenant not found')
        const id = randomUUID()
        s.insert.run(
          id, user.tenantId, next.number, user.externalId, user.name, null, null, user.email, user.email.toLowerCase(), '{}',
          'active', null, null, 'user', 'none', null, new Date().toISOString(), null, user.adminKeyId,
        )
        return { id, number: next.number }
      }),
  }
}

export type RawUsers = ReturnType<typeof prepareRawUsers>
