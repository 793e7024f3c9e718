import { sql, type Kysely, type SelectQueryBuilder } from 'kysely'
import { NotFoundError } from '../../core/errors.js'
import type { AdminKeyId, TenantId, UserId } from '../../core/ids.js'
import type { UserRepository } from '../../core/ports/user-repository.js'
import type { User, UserChanges, UserStatus } from '../../core/users/user.js'
import type { UserFilters, UserListQuery } from '../../core/users/user-list-query.js'
import { param } from '../query-param.js'
import type { Tables, UsersTable } from '../sqlite/tables.js'
import { translatePgError } from './pg-errors.js'
import { num, pgQuery, PgQueryCache, type PgConnection } from './pg-prepared.js'

/** A users row as PostgreSQL returns it: metadata is jsonb, so it arrives parsed. */
export type PgUserRow = Omit<UsersTable, 'metadata'> & { metadata: Record<string, unknown>; tenant_name: string }

const COLUMNS = {
  externalId: 'external_id', name: 'name', firstName: 'first_name', lastName: 'last_name', email: 'email',
  metadata: 'metadata', status: 'status', suspendedReason: 'suspended_reason', billingPlan: 'billing_plan', updatedAt: 'updated_at',
} as const satisfies Record<keyof UserChanges, keyof UsersTable>

const FILTERS = ['status', 'billingPlan', 'externalId', 'email', 'q'] as const
type Filter = (typeof FILTERS)[number]

/**
 * `q` as a substring of name, email or external id, any case: the lower-cased columns against the
 * lower-cased pattern. Three or more characters are looked up in the pg_trgm indexes over exactly these
 * expressions (migration 021); shorter ones by reading the tenant's users newest first.
 */
const SEARCH = sql<boolean>`(lower(users.name) like ${param('pattern')} or lower(users.email) like ${param('pattern')}
  or lower(users.external_id) like ${param('pattern')})`

export function pgUserRepository(db: Kysely<Tables>): (c: PgConnection) => UserRepository {
  const tenantName = sql<string>`(select tenants.name from tenants where tenants.id = users.tenant_id)`.as('tenant_name')
  const withTenant = () => db.selectFrom('users').selectAll('users').select(tenantName).where('users.tenant_id', '=', param('tenantId'))
  const q = {
    nextNumber: pgQuery<{ number: number; name: string }>(db.updateTable('tenants')
      .set({ next_user_number: sql`next_user_number + 1` }).where('id', '=', param('tenantId'))
      .returning([sql<number>`next_user_number - 1`.as('number'), 'name']).compile(), { locking: true }),
    insert: pgQuery(db.insertInto('users').values({
      id: param('id'), tenant_id: param('tenantId'), number: param('number'), external_id: param('externalId'), name: param('name'),
      first_name: param('firstName'), last_name: param('lastName'), email: param('email'), email_lower: param('emailLower'),
      metadata: param('metadata'), status: param('status'), suspended_reason: null, billing_plan: param('billingPlan'),
      account_type: param('accountType'), auth_type: param('authType'), expires_at: param('expiresAt'),
      created_at: param('createdAt'), updated_at: null, admin_key_id: param('adminKeyId'),
    }).compile(), { locking: true }),
    findById: pgQuery<PgUserRow>(withTenant().where('users.id', '=', param('id')).compile()),
    delete: pgQuery(db.deleteFrom('users').where('tenant_id', '=', param('tenantId')).where('id', '=', param('id')).compile()),
    findByExternalId: pgQuery<PgUserRow>(withTenant().where('users.external_id', '=', param('externalId')).compile()),
    counted: pgQuery<{ total: string }>(db.selectFrom('user_counts')
      .select(sql<string>`coalesce(sum(users), 0)`.as('total')).where('tenant_id', '=', param('tenantId')).compile()),
    countedByStatus: pgQuery<{ total: string }>(db.selectFrom('user_counts')
      .select(sql<string>`coalesce(sum(users), 0)`.as('total')).where('tenant_id', '=', param('tenantId'))
      .where('status', '=', param('status')).compile()),
  }
  const pages = new PgQueryCache<PgUserRow>()
  const counts = new PgQueryCache<{ total: string }>()
  const updates = new PgQueryCache<never>()

  function filtered<O>(query: SelectQueryBuilder<any, any, O>, present: readonly Filter[]) {
    let out = query
    for (const name of present) {
      if (name === 'status') out = out.where('users.status', '=', param('status'))
      if (name === 'billingPlan') out = out.where('users.billing_plan', '=', param('billingPlan'))
      if (name === 'externalId') out = out.where('users.external_id', '=', param('externalId'))
      if (name === 'email') out = out.where('users.email_lower', '=', param('email'))
      if (name === 'q') out = out.where(SEARCH)
    }
    return out
  }

  const argsOf = (tenantId: TenantId, query: UserListQuery | UserFilters) => ({
    ...query, tenantId,
    email: query.email?.toLowerCase(),
    pattern: query.q === undefined ? undefined : `%${query.q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`,
  })

  return (c) => {
    const findById = async (tenantId: TenantId, id: UserId) => {
      const row = await c.first(q.findById, { tenantId, id })
      return row ? toUser(row) : null
    }
    return {
      async insert(tenantId, user) {
        try {
          const next = await c.first(q.nextNumber, { tenantId })
          if (!next) throw new NotFoundError('Tenant not found')
          await c.run(q.insert, { ...user, tenantId, number: next.number, emailLower: lower(user.email), metadata: JSON.stringify(user.metadata) })
          return { ...user, tenantId, tenantName: next.name, number: next.number, suspendedReason: null, updatedAt: null, version: 1 }
        } catch (error) {
          translatePgError(error)
        }
      },
      findById,
      async findByExternalId(tenantId, externalId) {
        const row = await c.first(q.findByExternalId, { tenantId, externalId })
        return row ? toUser(row) : null
      },
      async list(tenantId, query) {
        const present = FILTERS.filter((name) => query[name] !== undefined)
        const deep = query.beforeNumber !== undefined
        const page = pages.get(`${present.join(',')}|${deep}`, () => {
          let out = filtered(db.selectFrom('users').selectAll('users').select(tenantName).where('users.tenant_id', '=', param('tenantId')), present)
          if (deep) out = out.where('users.number', '<', param('beforeNumber'))
          return out.orderBy('users.number', 'desc').limit(param('limit')).offset(param('offset')).compile()
        })
        return (await c.rows(page, argsOf(tenantId, query))).map(toUser)
      },
      async count(tenantId, filters) {
        const present = FILTERS.filter((name) => filters[name] !== undefined)
        if (present.length === 0) return num((await c.first(q.counted, { tenantId }))?.total)
        if (present.length === 1 && present[0] === 'status') return num((await c.first(q.countedByStatus, { tenantId, status: filters.status }))?.total)
        const statement = counts.get(present.join(','), () =>
          filtered(db.selectFrom('users').where('users.tenant_id', '=', param('tenantId')).select(sql<string>`count(*)`.as('total')), present).compile())
        return num((await c.first(statement, argsOf(tenantId, filters)))?.total)
      },
      async update(tenantId, id, changes) {
        const keys = (Object.keys(changes) as (keyof UserChanges)[]).filter((k) => changes[k] !== undefined).sort()
        const statement = updates.get(keys.join(','), () => {
          const set: Record<string, unknown> = {}
          for (const key of keys) set[COLUMNS[key]] = param(key)
          if (keys.includes('email')) set['email_lower'] = param('emailLower')
          set['version'] = sql`version + 1`
          return db.updateTable('users').set(set).where('tenant_id', '=', param('tenantId')).where('id', '=', param('id')).compile()
        })
        try {
          const args = {
            ...changes, tenantId, id, emailLower: lower(changes.email ?? null),
            ...(changes.metadata !== undefined && { metadata: JSON.stringify(changes.metadata) }),
          }
          if ((await c.run(statement, args)) === 0) return null
        } catch (error) {
          translatePgError(error)
        }
        return findById(tenantId, id)
      },
      async delete(tenantId, id) {
        return (await c.run(q.delete, { tenantId, id })) > 0
      },
    }
  }
}

function lower(email: string | null): string | null {
  return email === null ? null : email.toLowerCase()
}

export function toUser(row: PgUserRow): User {
  return {
    id: row.id as UserId,
    tenantId: row.tenant_id as TenantId,
    tenantName: row.tenant_name,
    number: row.number,
    externalId: row.external_id,
    name: row.name,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    metadata: row.metadata,
    status: row.status as UserStatus,
    suspendedReason: row.suspended_reason,
    billingPlan: row.billing_plan,
    accountType: row.account_type,
    authType: row.auth_type,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    adminKeyId: row.admin_key_id as AdminKeyId | null,
    version: row.version ?? 1,
  }
}
