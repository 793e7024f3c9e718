import type BetterSqlite3 from 'better-sqlite3'
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely'
import type { Account, AccountChanges } from '../../core/accounts/account.js'
import type { AccountCondition, AccountQuery, SortKey } from '../../core/accounts/account-query.js'
import type { TenantId } from '../../core/ids.js'
import type { AccountRepository } from '../../core/ports/account-repository.js'
import { ACCOUNT_CHANGE_COLUMNS, toAccount } from '../account-rows.js'
import { param, prepareQuery, QueryCache } from './prepared.js'
import { conditionsSql, effectiveSort, keysetSql, searchOf, sortExpression, type ConditionModes } from './sqlite-account-sql.js'
import type { Tables } from './tables.js'


// The builders are composed across shapes, so their column types are erased here.
type SelectLike = SelectQueryBuilder<any, any, any>

// One member found from the membership index (a lookup by id in random order, then its share of the sort)
// costs several probes of the tenant's sorted index: 4 (warm cache) to 13 (cold) at 200,000 accounts.
const MEMBER_COST = 4

const MAX_ROWID = '9223372036854775807'

type Membership = Extract<AccountCondition, { field: 'roles' | 'groups' }>

/** An account from a row of COLUMNS read as an array: better-sqlite3 builds row objects at twice the cost. */
function decodeAccount(row: unknown[]): Account {
  const [
    user_id, tenant_id, number, email, first_name, last_name, name, account_type, auth_type, status, created_at, expires_at, version, updated_at,
  ] = row as [string, string, number, string | null, string | null, string | null, string, string, string, string, string, string | null, number, string]
  return toAccount({ user_id, tenant_id, number, email, first_name, last_name, name, account_type, auth_type, status, created_at, expires_at, version, updated_at })
}

const RAW = { raw: true } as const

export function createSqliteAccountRepository(db: Kysely<Tables>, handle: BetterSqlite3.Database): AccountRepository {
  // In the order decodeAccount reads them.
  const COLUMNS = [
    'users.id as user_id', 'users.tenant_id', 'users.number', 'users.email', 'users.first_name', 'users.last_name',
    'users.name', 'users.account_type', 'users.auth_type', 'users.status', 'users.created_at', 'users.expires_at', 'users.version',
    sql<string>`coalesce(users.updated_at, users.created_at)`.as('updated_at'),
  ] as const
  const columns = () => db.selectFrom('users').select(COLUMNS)
  const select = () => columns().where('users.tenant_id', '=', param('tenantId'))
  const total = (status?: 'active') => {
    const counted = db.selectFrom('user_counts').select(sql<number>`coalesce(sum(users), 0)`.as('total')).where('tenant_id', '=', param('tenantId'))
    return (status ? counted.where('status', '=', status) : counted).compile()
  }
  const q = {
    byNumber: prepareQuery<unknown[]>(handle, select().where('users.number', '=', param('number')).compile(), RAW),
    byUserId: prepareQuery<unknown[]>(handle, select().where('users.id', '=', param('userId')).compile(), RAW),
    // The counters (migration 020): a tenant's size, its active accounts, a role's holders, a group's members.
    tenantSize: prepareQuery<{ total: number }>(handle, total()),
    activeSize: prepareQuery<{ total: number }>(handle, total('active')),
    roles: prepareQuery<{ named: number; holders: number }>(handle, db.selectFrom('roles')
      .select([sql<number>`count(*)`.as('named'), sql<number>`coalesce(sum(holders), 0)`.as('holders')])
      .where('tenant_id', '=', param('tenantId')).where(sql<boolean>`name in (select value from json_each(${param('names')}))`).compile()),
    groups: prepareQuery<{ named: number; holders: number }>(handle, db.selectFrom('groups')
      .select([sql<number>`count(*)`.as('named'), sql<number>`coalesce(sum(members), 0)`.as('holders')])
      .where('tenant_id', '=', param('tenantId'))
      .where(sql<boolean>`(id in (select value from json_each(${param('names')})) or name in (select value from json_each(${param('names')})))`).compile()),
  }
  const membership = (tenantId: TenantId, condition: Membership) =>
    q[condition.field].get({ tenantId, names: JSON.stringify(condition.value) }) ?? { named: 0, holders: 0 }
  const tenantSize = (tenantId: TenantId) => q.tenantSize.get({ tenantId })?.total ?? 0

  /**
   * How to run `conditions`. A role or group condition starts from its members when they are few enough
   * that looking each up and sorting them beats walking the tenant's index until the page is full (about
   * limit × size / holders rows); counting always starts from them. Without statistics SQLite cannot make
   * this choice, so it is made here from the counters, at O(1). A list sorted by id alone with an indexed
   * `email__match` walks the trigram index in id order instead (see `searchPage`).
   */
  function modesOf(tenantId: TenantId, conditions: AccountQuery['conditions'], page: { limit: number; sort: readonly SortKey[] } | null): ConditionModes {
    const members = new Set<'roles' | 'groups'>()
    let size: number | undefined
    for (const condition of conditions) {
      if (condition.field !== 'roles' && condition.field !== 'groups') continue
      const { holders } = membership(tenantId, condition as Membership)
      size ??= tenantSize(tenantId)
      const walk = page ? Math.min(size, (page.limit * size) / Math.max(1, holders)) : size
      if (holders * MEMBER_COST < walk) members.add(condition.field)
    }
    const searched = conditions.some((c) => searchOf(c) !== null)
    const byIdAlone = page === null || (page.sort.length === 1 && page.sort[0]!.field === 'id')
    return { members, searchDriven: searched && members.size === 0 && byIdAlone }
  }
  // A unary + on tenant_id hides the tenant's indexes from the planner, so it drives from the member list.
  const inTenant = (drive: boolean) => (drive ? sql<boolean>`+users.tenant_id = ${param('tenantId')}` : sql<boolean>`users.tenant_id = ${param('tenantId')}`)

  // One prepared statement per query shape: which filters, which sort, which kind of page.
  const pages = new QueryCache<unknown[]>(handle, RAW)
  const counts = new QueryCache<{ total: number }>(handle)
  const updates = new QueryCache<never>(handle)

  /**
   * A page sorted by id alone whose conditions include an indexed `email__match`: the trigram index's
   * matches are walked by rowid, which within a tenant is id order (ids are numbered in insertion order),
   * so the walk stops once the page is full however many accounts match. A cursor becomes a rowid bound
   * the index seeks to.
   */
  function searchPage(query: AccountQuery, where: ReturnType<typeof conditionsSql>, keyset: ReturnType<typeof keysetSql> | null) {
    const descending = effectiveSort(query)[0]!.descending
    let out = db.selectFrom('users_search').innerJoin('users', (join) => join.on(sql`users.rowid`, '=', sql`users_search.rowid`))
      .select(COLUMNS).where(inTenant(true))
    for (const fragment of where.fragments) out = out.where(fragment)
    if (keyset) {
      out = out.where(keyset.fragment).where(descending
        ? sql<boolean>`users_search.rowid < coalesce((select rowid from users where tenant_id = ${param('tenantId')} and number >= ${param('k0')} order by number limit 1), ${sql.raw(MAX_ROWID)})`
        : sql<boolean>`users_search.rowid > coalesce((select rowid from users where tenant_id = ${param('tenantId')} and number <= ${param('k0')} order by number desc limit 1), 0)`)
    }
    return out.orderBy(sql`users_search.rowid`, descending ? 'desc' : 'asc').limit(param('limit')).offset(param('offset')).compile()
  }

  function page(tenantId: TenantId, query: AccountQuery): unknown[][] {
    const modes = modesOf(tenantId, query.conditions, { limit: query.limit, sort: query.sort })
    const where = conditionsSql(query.conditions, modes)
    const sort = effectiveSort(query)
    const keyset = query.cursor ? keysetSql(sort, query.cursor.values) : null
    const deep = !keyset && query.offset > 0
    const drive = modes.members.size > 0
    const shape = [drive ? 'members' : 'tenant', where.shape, sort.map((k) => `${k.field}:${k.descending}`).join(','), keyset ? `seek:${keyset.shape}` : deep ? 'offset' : 'first'].join('|')
    const statement = pages.get(shape, () => {
      if (modes.searchDriven) return searchPage(query, where, keyset)
      const filtered = <Q extends SelectLike>(query: Q): Q => {
        let out = query.where(inTenant(drive))
        for (const fragment of where.fragments) out = out.where(fragment)
        if (keyset) out = out.where(keyset.fragment)
        return out as Q
      }
      const ordered = <Q extends SelectLike>(query: Q, resort = false): Q => {
        let out = query
        // A unary + keeps SQLite from walking an index to re-sort the page's rows it already holds.
        for (const [position, key] of sort.entries()) {
          const expression = resort ? sql`+${sortExpression(key, position)}` : sortExpression(key, position)
          out = out.orderBy(expression, key.descending ? 'desc' : 'asc') as Q
        }
        return out
      }
      if (!deep) return ordered(filtered(columns() as SelectLike)).limit(param('limit')).compile()
      // Deep offsets skip rows through the index alone, then read only the rows of the page.
      const skip = ordered(filtered(db.selectFrom('users').select(sql`users.rowid`.as('rid')) as SelectLike))
        .limit(param('limit')).offset(param('offset'))
      return ordered(columns().where(sql<boolean>`users.rowid in (${skip})`) as SelectLike, true).compile()
    })
    return statement.all({ tenantId, limit: query.limit, offset: modes.searchDriven || deep ? query.offset : undefined, ...where.args, ...keyset?.args })
  }

  /** The count from the counters when `conditions` allow it (none, `enabled` alone, one role or group alone); else null. */
  function counted(tenantId: TenantId, conditions: AccountQuery['conditions']): number | null {
    if (conditions.length === 0) return tenantSize(tenantId)
    if (conditions.length > 1) return null
    const [condition] = conditions as [AccountCondition]
    if (condition.field === 'enabled' && condition.op === 'eq') {
      const active = q.activeSize.get({ tenantId })?.total ?? 0
      return condition.value ? active : tenantSize(tenantId) - active
    }
    if (condition.field === 'roles' || condition.field === 'groups') {
      // Holders add up exactly only when the condition names one role or group: someone may hold two.
      const { named, holders } = membership(tenantId, condition as Membership)
      return named <= 1 ? holders : null
    }
    return null
  }

  return {
    async findByNumber(tenantId, number) {
      const row = q.byNumber.get({ tenantId, number })
      return row ? decodeAccount(row) : null
    },
    async findByUserId(tenantId, userId) {
      const row = q.byUserId.get({ tenantId, userId })
      return row ? decodeAccount(row) : null
    },
    async list(tenantId, query) {
      const rows = page(tenantId, query).map(decodeAccount)
      return query.cursor?.direction === 'before' ? rows.reverse() : rows
    },
    async count(tenantId, conditions) {
      const fromCounters = counted(tenantId, conditions)
      if (fromCounters !== null) return fromCounters
      const modes = modesOf(tenantId, conditions, null)
      const where = conditionsSql(conditions, modes)
      const drive = modes.members.size > 0 || modes.searchDriven
      const statement = counts.get(`${drive ? 'members' : 'tenant'}|${where.shape}`, () => {
        let query = modes.searchDriven
          ? db.selectFrom('users_search').innerJoin('users', (join) => join.on(sql`users.rowid`, '=', sql`users_search.rowid`))
          : db.selectFrom('users')
        let counting = query.select(sql<number>`count(*)`.as('total')).where(inTenant(drive))
        for (const fragment of where.fragments) counting = counting.where(fragment as never)
        return counting.compile()
      })
      return statement.get({ tenantId, ...where.args })?.total ?? 0
    },
    async update(tenantId, userId, changes) {
      const keys = (Object.keys(changes) as (keyof AccountChanges)[]).filter((k) => changes[k] !== undefined).sort()
      const statement = updates.get(keys.join(','), () => {
        const set: Record<string, unknown> = {}
        for (const key of keys) set[ACCOUNT_CHANGE_COLUMNS[key]] = param(key)
        set['version'] = sql`version + 1`
        return db.updateTable('users').set(set).where('tenant_id', '=', param('tenantId')).where('id', '=', param('userId')).compile()
      })
      return statement.run({ ...changes, tenantId, userId }).changes > 0
    },
  }
}
