import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import { newAuditId } from '../../src/core/audit/audit-id.js'

// The statements roster's PostgreSQL repositories send (pg-user-repository.ts, pg-key-repository.ts,
// pg-credential-repository.ts, pg-usage-repository.ts, pg-audit-repository.ts), written out by hand.
const PAGE_ROW = 'select "users".*, (select tenants.name from tenants where tenants.id = users.tenant_id) as "tenant_name" from "users"'
const SQL = {
  byId: `${PAGE_ROW} where "users"."tenant_id" = $1 and "users"."id" = $2`,
  page: `${PAGE_ROW} where "users"."tenant_id" = $1 order by "users"."number" desc limit $2 offset $3`,
  count: 'select coalesce(sum(users), 0) as "total" from "user_counts" where "tenant_id" = $1',
  nextNumber: 'update "tenants" set "next_user_number" = next_user_number + 1 where "id" = $1 returning next_user_number - 1 as "number", "name"',
  insertUser: 'insert into "users" ("id", "tenant_id", "number", "external_id", "name", "first_name", "last_name", "email", "email_lower", "metadata", "status", "suspended_reason", "billing_plan", "account_type", "auth_type", "expires_at", "created_at", "updated_at", "admin_key_id") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)',
  insertAudit: 'insert into "audit_entries" ("tenant_id", "at", "id", "actor", "actor_type", "surface", "request_id", "action", "target_type", "target_id", "changes") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
  keyByHash: 'select * from "admin_keys" where "secret_hash" = $1 and "revoked_at" is null',
  credentialByHash: `select "users".*, "c"."id" as "c_id", "c"."tenant_id" as "c_tenant_id", "c"."user_id" as "c_user_id", "c"."name" as "c_name", "c"."prefix" as "c_prefix", "c"."created_at" as "c_created_at", "c"."expires_at" as "c_expires_at", "c"."revoked_at" as "c_revoked_at", (select u.last_used_at from usage_hourly as u where u.credential_id = c.id order by u.hour desc limit 1) as "c_last_used_at", "t"."name" as "tenant_name", "t"."owner_user_id" as "t_owner_user_id", "t"."created_at" as "t_created_at" from "credentials" as "c" inner join "tenants" as "t" on "t"."id" = "c"."tenant_id" left join "users" on "users"."id" = "c"."user_id" and "users"."tenant_id" = "c"."tenant_id" where "c"."secret_hash" = $1`,
  meter: `insert into usage_hourly as t (hour, tenant_id, user_id, credential_id, requests, units, last_used_at)
    select * from unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::text[])
    on conflict (hour, tenant_id, user_id, credential_id) do update set requests = t.requests + excluded.requests,
    units = t.units + excluded.units, last_used_at = greatest(t.last_used_at, excluded.last_used_at)`,
} as const

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>
const run = (on: Queryable, name: keyof typeof SQL, values: unknown[]) => on.query({ name, text: SQL[name], values })

/** Runs `work` between the BEGIN roster sends and COMMIT (ROLLBACK on a throw) on one pooled connection. */
async function within<T>(pool: pg.Pool, begin: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  try {
    await client.query(begin)
    const result = await work(client)
    await client.query('commit')
    return result
  } catch (error) {
    await client.query('rollback')
    throw error
  } finally {
    client.release()
  }
}

/**
 * Raw `pg` doing what roster does for each call: a read of one statement alone, a read of two in one
 * REPEATABLE READ snapshot, a create with its audit entry in one READ COMMITTED transaction (its
 * statements lock all they read), a verification's usage as one upsert on its own.
 */
export function rawPostgres(pool: pg.Pool) {
  return {
    getById: (tenantId: string, id: string) => run(pool, 'byId', [tenantId, id]),
    list: (tenantId: string, limit: number) => within(pool, 'begin isolation level repeatable read read only', async (c) => ({
      rows: (await run(c, 'page', [tenantId, limit + 1, 0])).rows,
      total: (await run(c, 'count', [tenantId])).rows[0].total,
    })),
    keyByHash: (hash: string) => run(pool, 'keyByHash', [hash]),
    create: (tenantId: string, adminKeyId: string, fields: { name: string; externalId: string | null; email: string | null }) =>
      within(pool, 'begin isolation level read committed', async (c) => {
        const next = (await run(c, 'nextNumber', [tenantId])).rows[0]
        const at = new Date().toISOString()
        const user = { id: randomUUID(), tenantId, number: next.number, ...fields, metadata: {}, status: 'active', accountType: 'user', authType: 'none', createdAt: at }
        await run(c, 'insertUser', [user.id, tenantId, next.number, fields.externalId, fields.name, null, null, fields.email, fields.email?.toLowerCase() ?? null,
          '{}', 'active', null, null, 'user', 'none', null, at, null, adminKeyId])
        const changes = JSON.stringify({ fields: Object.keys(user), before: {}, after: user })
        await run(c, 'insertAudit', [tenantId, at, newAuditId(), adminKeyId, 'key', 'library', null, 'user.created', 'user', user.id, changes])
        return { ...user, tenantName: next.name as string }
      }),
    verify: async (hash: string) => {
      const row = (await run(pool, 'credentialByHash', [hash])).rows[0]
      const now = new Date()
      await run(pool, 'meter', [[Math.floor(now.getTime() / 3_600_000)], [row.c_tenant_id], [row.c_user_id], [row.c_id], [1], [1], [now.toISOString()]])
      return row
    },
  }
}
