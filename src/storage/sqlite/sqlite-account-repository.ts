import type BetterSqlite3 from 'better-sqlite3'
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely'
import type { Account, AccountChanges } from '../../core/accounts/account.js'
import type { AccountQuery } from '../../core/accounts/account-query.js'
import type { TenantId, UserId } from '../../core/ids.js'
import type { AccountRepository } from '../../core/ports/account-repository.js'
import type { UserStatus } from '../../core/users/user.js'
import { param, prepareQuery, QueryCache } from './prepared.js'
import { conditionsSql, effectiveSort, keysetSql, sortExpression } from './sqlite-account-sql.js'
import type { Tables } from './tables.js'

interface AccountRow {
  user_id: string
  tenant_id: string
  number: number
  email: string | null
  first_name: string | null
  last_name: string | null
  name: string
  account_type: string
  auth_type: string
  status: string
  created_at: string
  updated_at: string
  expires_at: string | null
}

// The builders are composed across shapes, so their column types are erased here.
type SelectLike = SelectQueryBuilder<any, any, any>

// Looking members up costs a few µs each; walking the tenant's sorted index and probing membership
// finds a page of 50 after about 50 × tenant / members rows, and a count reads the whole tenant.
// Up to these sizes the member lookup wins (measured at a million accounts).
const MEMBER_LOOKUP_LIMIT = { page: 2_000, count: 100_000 } as const

const CHANGE_COLUMNS = { accountType: 'account_type', expiresAt: 'expires_at', updatedAt: 'updated_at' } as const

export function createSqliteAccountRepository(db: Kysely<Tables>, handle: BetterSqlite3.Database): AccountRepository {
  const columns = () =>
    db.selectFrom('users')
      .select([
        'users.id as user_id', 'users.tenant_id', 'users.number', 'users.email', 'users.first_name', 'users.last_name',
        'users.name', 'users.account_type', 'users.auth_type', 'users.status', 'users.created_at', 'users.expires_at',
        sql<string>`coalesce(users.updated_at, users.created_at)`.as('updated_at'),
      ])
  const select = () => columns().where('users.tenant_id', '=', param('tenantId'))
  const q = {
    byNumber: prepareQuery<AccountRow>(handle, select().where('users.number', '=', param('number')).compile()),
    byUserId: prepareQuery<AccountRow>(handle, select().where('users.id', '=', param('userId')).compile()),
  }
  const members = {
    roles: prepareQuery<{ total: number }>(handle, db.selectFrom('user_roles').innerJoin('roles', 'roles.id', 'user_roles.role_id')
      .select(sql<number>`count(*)`.as('total')).where('roles.tenant_id', '=', param('tenantId'))
      .where(sql<boolean>`roles.name in (select value from json_each(${param('names')}))`).compile()),
    groups: prepareQuery<{ total: number }>(handle, db.selectFrom('group_memberships').innerJoin('groups', 'groups.id', 'group_memberships.group_id')
      .select(sql<number>`count(*)`.as('total')).where('groups.tenant_id', '=', param('tenantId'))
      .where(sql<boolean>`(groups.id in (select value from json_each(${param('names')})) or groups.name in (select value from json_each(${param('names')})))`).compile()),
  }

  /**
   * Whether to find rows from a role or group's members rather than from the tenant's index. Without
   * statistics SQLite always walks the tenant, which for a role held by 100 of a million accounts
   * means probing a million rows; a small membership is looked up row by row instead.
   */
  function fromMembers(tenantId: TenantId, conditions: AccountQuery['conditions'], use: keyof typeof MEMBER_LOOKUP_LIMIT): boolean {
    return conditions.some((c) => (c.field === 'roles' || c.field === 'groups') &&
      (members[c.field].get({ tenantId, names: JSON.stringify(c.value) })?.total ?? 0) <= MEMBER_LOOKUP_LIMIT[use])
  }
  // A unary + on tenant_id hides the tenant's indexes from the planner, so it drives from the member list.
  const inTenant = (drive: boolean) => (drive ? sql<boolean>`+users.tenant_id = ${param('tenantId')}` : sql<boolean>`users.tenant_id = ${param('tenantId')}`)

  // One prepared statement per query shape: which filters, which sort, which kind of page.
  const pages = new QueryCache<AccountRow>(handle)
  const counts = new QueryCache<{ total: number }>(handle)
  const updates = new QueryCache<never>(handle)

  function page(tenantId: TenantId, query: AccountQuery): AccountRow[] {
    const where = conditionsSql(query.conditions)
    const sort = effectiveSort(query)
    const keyset = query.cursor ? keysetSql(sort, query.cursor.values) : null
    const deep = !keyset && query.offset > 0
    const drive = fromMembers(tenantId, query.conditions, 'page')
    const shape = [drive ? 'members' : 'tenant', where.shape, sort.map((k) => `${k.field}:${k.descending}`).join(','), keyset ? `seek:${keyset.shape}` : deep ? 'offset' : 'first'].join('|')
    const statement = pages.get(shape, () => {
      const filtered = <Q extends SelectLike>(query: Q): Q => {
        let out = query.where(inTenant(drive))
        for (const fragment of where.fragments) out = out.where(fragment)
        if (keyset) out = out.where(keyset.fragment)
        return out as Q
      }
      const ordered = <Q extends SelectLike>(query: Q, resort = false): Q => {
        let out = query
        // A unary + keeps SQLite from walking an index to re-sort the page's rows it already holds.
        for (const key of sort) {
          const expression = resort ? sql`+${sortExpression(key)}` : sortExpression(key)
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
    return statement.all({ tenantId, limit: query.limit, offset: query.offset, ...where.args, ...keyset?.args })
  }

  return {
    async findByNumber(tenantId, number) {
      const row = q.byNumber.get({ tenantId, number })
      return row ? toAccount(row) : null
    },
    async findByUserId(tenantId, userId) {
      const row = q.byUserId.get({ tenantId, userId })
      return row ? toAccount(row) : null
    },
    async list(tenantId, query) {
      const rows = page(tenantId, query).map(toAccount)
      return query.cursor?.direction === 'before' ? rows.reverse() : rows
    },
    async count(tenantId, conditions) {
      const where = conditionsSql(conditions)
      const drive = fromMembers(tenantId, conditions, 'count')
      const statement = counts.get(`${drive ? 'members' : 'tenant'}|${where.shape}`, () => {
        let query = db.selectFrom('users').select(sql<number>`count(*)`.as('total')).where(inTenant(drive))
        for (const fragment of where.fragments) query = query.where(fragment as never)
        return query.compile()
      })
      return statement.get({ tenantId, ...where.args })?.total ?? 0
    },
    async update(tenantId, userId, changes) {
      const keys = (Object.keys(changes) as (keyof AccountChanges)[]).filter((k) => changes[k] !== undefined).sort()
      const statement = updates.get(keys.join(','), () => {
        const set: Record<string, unknown> = {}
        for (const key of keys) set[CHANGE_COLUMNS[key]] = param(key)
        return db.updateTable('users').set(set).where('tenant_id', '=', param('tenantId')).where('id', '=', param('userId')).compile()
      })
      return statement.run({ ...changes, tenantId, userId }).changes > 0
    },
  }
}

function toAccount(row: AccountRow): Account {
  const status = row.status as UserStatus
  return {
    id: row.number,
    userId: row.user_id as UserId,
    tenantId: row.tenant_id as TenantId,
    email: row.email,
    accountType: row.account_type,
    authType: row.auth_type,
    status,
    enabled: status === 'active',
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    personId: row.number,
    person: { id: row.number, firstName: row.first_name, lastName: row.last_name, name: row.name, email: row.email },
  }
}
