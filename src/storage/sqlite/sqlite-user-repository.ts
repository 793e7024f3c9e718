import type BetterSqlite3 from 'better-sqlite3'
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely'
import { NotFoundError } from '../../core/errors.js'
import type { AdminKeyId, TenantId, UserId } from '../../core/ids.js'
import type { UserRepository } from '../../core/ports/user-repository.js'
import type { User, UserChanges, UserStatus } from '../../core/users/user.js'
import type { UserFilters, UserListQuery } from '../../core/users/user-list-query.js'
import { param, prepareQuery, QueryCache } from './prepared.js'
import { translateSqliteError } from './sqlite-errors.js'
import { phraseOf } from './sqlite-search.js'
import type { Tables, UsersTable } from './tables.js'

/**
 * The columns a user is read from, in the order decodeUser takes them; the tenant's name follows.
 * Read as arrays (prepareQuery's `raw`): building a row object per user cost a page of 50 twice as much.
 */
export const USER_COLUMNS = [
  'users.id', 'users.tenant_id', 'users.number', 'users.external_id', 'users.name', 'users.first_name', 'users.last_name',
  'users.email', 'users.metadata', 'users.status', 'users.suspended_reason', 'users.billing_plan', 'users.account_type',
  'users.auth_type', 'users.expires_at', 'users.created_at', 'users.updated_at', 'users.admin_key_id', 'users.version',
] as const

type UserTuple = [
  id: string, tenantId: string, number: number, externalId: string | null, name: string, firstName: string | null,
  lastName: string | null, email: string | null, metadata: string, status: string, suspendedReason: string | null,
  billingPlan: string | null, accountType: string, authType: string, expiresAt: string | null, createdAt: string,
  updatedAt: string | null, adminKeyId: string | null, version: number | null, tenantName: string,
]

/** A user from a row of USER_COLUMNS and the tenant's name, read as an array. */
export function decodeUser(row: unknown[]): User {
  const [
    id, tenantId, number, externalId, name, firstName, lastName, email, metadata, status, suspendedReason,
    billingPlan, accountType, authType, expiresAt, createdAt, updatedAt, adminKeyId, version, tenantName,
  ] = row as UserTuple
  return {
    id: id as UserId, tenantId: tenantId as TenantId, tenantName, number, externalId, name, firstName, lastName, email,
    metadata: JSON.parse(metadata) as Record<string, unknown>, status: status as UserStatus, suspendedReason,
    billingPlan, accountType, authType, expiresAt, createdAt, updatedAt, adminKeyId: adminKeyId as AdminKeyId | null,
    version: version ?? 1,
  }
}

/** Domain field → column, for updates; `email` also rewrites `email_lower`. */
const COLUMNS = {
  externalId: 'external_id', name: 'name', firstName: 'first_name', lastName: 'last_name', email: 'email',
  metadata: 'metadata', status: 'status', suspendedReason: 'suspended_reason', billingPlan: 'billing_plan', updatedAt: 'updated_at',
} as const satisfies Record<keyof UserChanges, keyof UsersTable>

const FILTERS = ['status', 'billingPlan', 'externalId', 'email', 'q'] as const
type Filter = (typeof FILTERS)[number]

/**
 * How `q` is matched. Three or more characters: through the trigram index (users_search), which folds
 * case beyond ASCII. Shorter: no trigram to look up, so rows are read newest first and tested; `LIKE`
 * folds ASCII letters only, so a pattern with other letters is compared after roster_fold (JavaScript's
 * lower-casing, as the index folds).
 */
type Search = 'index' | 'like' | 'fold'
function searchOf(q: string | undefined): Search | null {
  if (q === undefined) return null
  if ([...q].length >= 3) return 'index'
  return /^[\x00-\x7f]*$/.test(q) ? 'like' : 'fold'
}

const RAW = { raw: true } as const

export function createSqliteUserRepository(db: Kysely<Tables>, handle: BetterSqlite3.Database): UserRepository {
  handle.function('roster_fold', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? text.toLowerCase() : text))
  const withTenant = () =>
    db.selectFrom('users').innerJoin('tenants', 'tenants.id', 'users.tenant_id')
      .select(USER_COLUMNS).select('tenants.name as tenant_name')
      .where('users.tenant_id', '=', param('tenantId'))
  // Pages take the tenant's name from a subquery, not a join: with a bound LIMIT and statistics, SQLite
  // may put the one-row tenants table outside the join and sort the whole tenant instead of reading
  // the users index in order.
  const tenantName = sql<string>`(select tenants.name from tenants where tenants.id = users.tenant_id)`.as('tenant_name')
  // Driven by the trigram index, newest first. A tenant numbers its users in insertion order and SQLite
  // gives each inserted row a rowid above every existing one, so within a tenant rowid order is number
  // order: walking the index's matches by descending rowid yields the page without sorting, and stops
  // once it is full however many users match.
  const searched = () =>
    db.selectFrom('users_search').innerJoin('users', (join) => join.on(sql`users.rowid`, '=', sql`users_search.rowid`))
      .where(sql<boolean>`users_search match ${param('match')}`)
      .where('users.tenant_id', '=', param('tenantId'))
  const q = {
    nextNumber: prepareQuery<{ number: number; name: string }>(handle, db.updateTable('tenants')
      .set({ next_user_number: sql`next_user_number + 1` }).where('id', '=', param('tenantId'))
      .returning([sql<number>`next_user_number - 1`.as('number'), 'name']).compile()),
    insert: prepareQuery(handle, db.insertInto('users').values({
      id: param('id'), tenant_id: param('tenantId'), number: param('number'), external_id: param('externalId'), name: param('name'),
      first_name: param('firstName'), last_name: param('lastName'), email: param('email'), email_lower: param('emailLower'),
      metadata: param('metadata'), status: param('status'), suspended_reason: null, billing_plan: param('billingPlan'),
      account_type: param('accountType'), auth_type: param('authType'), expires_at: param('expiresAt'),
      created_at: param('createdAt'), updated_at: null, admin_key_id: param('adminKeyId'),
    }).compile()),
    findById: prepareQuery<unknown[]>(handle, withTenant().where('users.id', '=', param('id')).compile(), RAW),
    delete: prepareQuery(handle, db.deleteFrom('users').where('tenant_id', '=', param('tenantId')).where('id', '=', param('id')).compile()),
    findByExternalId: prepareQuery<unknown[]>(handle, withTenant().where('users.external_id', '=', param('externalId')).compile(), RAW),
    // The counters (user_counts, kept by triggers): O(1) whatever the tenant's size.
    counted: prepareQuery<{ total: number }>(handle, db.selectFrom('user_counts')
      .select(sql<number>`coalesce(sum(users), 0)`.as('total')).where('tenant_id', '=', param('tenantId')).compile()),
    countedByStatus: prepareQuery<{ total: number }>(handle, db.selectFrom('user_counts')
      .select(sql<number>`coalesce(sum(users), 0)`.as('total')).where('tenant_id', '=', param('tenantId'))
      .where('status', '=', param('status')).compile()),
  }
  const pages = new QueryCache<unknown[]>(handle, RAW)
  const counts = new QueryCache<{ total: number }>(handle)
  const updates = new QueryCache<never>(handle)

  function filtered<O>(query: SelectQueryBuilder<any, any, O>, present: readonly Filter[], search: Search | null) {
    let out = query
    for (const name of present) {
      if (name === 'status') out = out.where('users.status', '=', param('status'))
      if (name === 'billingPlan') out = out.where('users.billing_plan', '=', param('billingPlan'))
      if (name === 'externalId') out = out.where('users.external_id', '=', param('externalId'))
      if (name === 'email') out = out.where('users.email_lower', '=', param('email'))
      if (name === 'q' && search !== 'index') {
        const fold = search === 'fold' ? (column: string) => sql`roster_fold(${sql.ref(column)})` : (column: string) => sql.ref(column)
        out = out.where((eb) => eb.or(['users.name', 'users.email', 'users.external_id'].map(
          (column) => sql<boolean>`${fold(column)} like ${param('pattern')} escape '\\'`,
        )))
      }
    }
    return out
  }

  /** The query's arguments as its statements bind them. */
  function argsOf(tenantId: TenantId, query: UserListQuery | UserFilters, search: Search | null) {
    const escaped = query.q?.replace(/[\\%_]/g, (c) => `\\${c}`)
    return {
      ...query, tenantId,
      email: query.email?.toLowerCase(),
      match: search === 'index' ? phraseOf(query.q!) : undefined,
      pattern: search === 'fold' ? `%${escaped!.toLowerCase()}%` : search === 'like' ? `%${escaped}%` : undefined,
    }
  }

  return {
    async insert(tenantId, user) {
      try {
        const next = q.nextNumber.get({ tenantId })
        if (!next) throw new NotFoundError('Tenant not found')
        const metadata = JSON.stringify(user.metadata)
        q.insert.run({ ...user, tenantId, number: next.number, emailLower: lower(user.email), metadata })
        return { ...user, tenantId, tenantName: next.name, number: next.number, suspendedReason: null, updatedAt: null, version: 1 }
      } catch (error) {
        translateSqliteError(error)
      }
    },
    async findById(tenantId, id) {
      const row = q.findById.get({ tenantId, id })
      return row ? decodeUser(row) : null
    },
    async findByExternalId(tenantId, externalId) {
      const row = q.findByExternalId.get({ tenantId, externalId })
      return row ? decodeUser(row) : null
    },
    async list(tenantId, query) {
      const present = FILTERS.filter((name) => query[name] !== undefined)
      const search = searchOf(query.q)
      const deep = query.beforeNumber !== undefined
      const shape = `${present.join(',')}|${search}|${deep}`
      const page = pages.get(shape, () => {
        if (search === 'index') {
          let out = filtered(searched().select(USER_COLUMNS).select(tenantName), present, search)
          // The cursor as a rowid bound the index seeks to: the newest user numbered below it.
          if (deep) out = out.where(sql<boolean>`users_search.rowid <= (select rowid from users
            where tenant_id = ${param('tenantId')} and number < ${param('beforeNumber')} order by number desc limit 1)`)
          return out.orderBy(sql`users_search.rowid`, 'desc').limit(param('limit')).offset(param('offset')).compile()
        }
        let out = filtered(db.selectFrom('users').select(USER_COLUMNS).select(tenantName).where('users.tenant_id', '=', param('tenantId')), present, search)
        if (deep) out = out.where('users.number', '<', param('beforeNumber'))
        return out.orderBy('users.number', 'desc').limit(param('limit')).offset(param('offset')).compile()
      })
      return page.all(argsOf(tenantId, query, search)).map(decodeUser)
    },
    async count(tenantId, filters) {
      const present = FILTERS.filter((name) => filters[name] !== undefined)
      if (present.length === 0) return q.counted.get({ tenantId })?.total ?? 0
      if (present.length === 1 && present[0] === 'status') return q.countedByStatus.get({ tenantId, status: filters.status })?.total ?? 0
      const search = searchOf(filters.q)
      const statement = counts.get(`${present.join(',')}|${search}`, () => {
        const from = search === 'index' ? searched() : db.selectFrom('users').where('users.tenant_id', '=', param('tenantId'))
        return filtered(from.select(sql<number>`count(*)`.as('total')), present, search).compile()
      })
      return statement.get(argsOf(tenantId, filters, search))?.total ?? 0
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
        if (statement.run(args).changes === 0) return null
      } catch (error) {
        translateSqliteError(error)
      }
      const row = q.findById.get({ tenantId, id })
      return row ? decodeUser(row) : null
    },
    async delete(tenantId, id) {
      return q.delete.run({ tenantId, id }).changes > 0
    },
  }
}

function lower(email: string | null): string | null {
  return email === null ? null : email.toLowerCase()
}
