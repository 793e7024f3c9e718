import { sql, type Kysely, type SelectQueryBuilder } from 'kysely'
import type { AccountChanges } from '../../core/accounts/account.js'
import type { AccountCondition, AccountQuery } from '../../core/accounts/account-query.js'
import type { TenantId } from '../../core/ids.js'
import type { AccountRepository } from '../../core/ports/account-repository.js'
import { ACCOUNT_CHANGE_COLUMNS, toAccount, type AccountRow } from '../account-rows.js'
import { param } from '../query-param.js'
import type { Tables } from '../sqlite/tables.js'
import { conditionsSql, effectiveSort, keysetSql, sortExpression } from './pg-account-sql.js'
import { num, pgQuery, PgQueryCache, type PgConnection } from './pg-prepared.js'


type SelectLike = SelectQueryBuilder<any, any, any>
type Membership = Extract<AccountCondition, { field: 'roles' | 'groups' }>


export function pgAccountRepository(db: Kysely<Tables>): (c: PgConnection) => AccountRepository {
  const COLUMNS = [
    'users.id as user_id', 'users.tenant_id', 'users.number', 'users.email', 'users.first_name', 'users.last_name',
    'users.name', 'users.account_type', 'users.auth_type', 'users.status', 'users.created_at', 'users.expires_at', 'users.version',
    sql<string>`coalesce(users.updated_at, users.created_at)`.as('updated_at'),
  ] as const
  const select = () => db.selectFrom('users').select(COLUMNS).where('users.tenant_id', '=', param('tenantId'))
  const total = (status?: 'active') => {
    const counted = db.selectFrom('user_counts').select(sql<string>`coalesce(sum(users), 0)`.as('total')).where('tenant_id', '=', param('tenantId'))
    return pgQuery<{ total: string }>((status ? counted.where('status', '=', status) : counted).compile())
  }
  const q = {
    byNumber: pgQuery<AccountRow>(select().where('users.number', '=', param('number')).compile()),
    byUserId: pgQuery<AccountRow>(select().where('users.id', '=', param('userId')).compile()),
    // The counters (migration 020): a tenant's size, its active accounts, a role's holders, a group's members.
    tenantSize: total(),
    activeSize: total('active'),
    roles: pgQuery<{ named: string; holders: string }>(db.selectFrom('roles')
      .select([sql<string>`count(*)`.as('named'), sql<string>`coalesce(sum(holders), 0)`.as('holders')])
      .where('tenant_id', '=', param('tenantId')).where(sql<boolean>`name = any(${param('names')}::text[])`).compile()),
    groups: pgQuery<{ named: string; holders: string }>(db.selectFrom('groups')
      .select([sql<string>`count(*)`.as('named'), sql<string>`coalesce(sum(members), 0)`.as('holders')])
      .where('tenant_id', '=', param('tenantId'))
      .where(sql<boolean>`(id = any(${param('names')}::text[]) or name = any(${param('names')}::text[]))`).compile()),
  }
  const pages = new PgQueryCache<AccountRow>()
  const counts = new PgQueryCache<{ total: string }>()
  const updates = new PgQueryCache<never>()

  return (c) => {
    const tenantSize = async (tenantId: TenantId) => num((await c.first(q.tenantSize, { tenantId }))?.total)

    /** The count from the counters when `conditions` allow it (none, `enabled` alone, one role or group alone); else null. */
    async function counted(tenantId: TenantId, conditions: AccountQuery['conditions']): Promise<number | null> {
      if (conditions.length === 0) return tenantSize(tenantId)
      if (conditions.length > 1) return null
      const [condition] = conditions as [AccountCondition]
      if (condition.field === 'enabled' && condition.op === 'eq') {
        const active = num((await c.first(q.activeSize, { tenantId }))?.total)
        return condition.value ? active : (await tenantSize(tenantId)) - active
      }
      if (condition.field === 'roles' || condition.field === 'groups') {
        const held = await c.first(q[condition.field], { tenantId, names: [...(condition as Membership).value] })
        // Holders add up exactly only when the condition names one role or group: someone may hold two.
        return num(held?.named) <= 1 ? num(held?.holders) : null
      }
      return null
    }

    return {
      async findByNumber(tenantId, number) {
        const row = await c.first(q.byNumber, { tenantId, number })
        return row ? toAccount(row) : null
      },
      async findByUserId(tenantId, userId) {
        const row = await c.first(q.byUserId, { tenantId, userId })
        return row ? toAccount(row) : null
      },
      async list(tenantId, query) {
        const where = conditionsSql(query.conditions)
        const sort = effectiveSort(query)
        const keyset = query.cursor ? keysetSql(sort, query.cursor.values) : null
        const shape = [where.shape, sort.map((k) => `${k.field}:${k.descending}`).join(','), keyset ? `seek:${keyset.shape}` : 'offset'].join('|')
        const statement = pages.get(shape, () => {
          let out = select() as SelectLike
          for (const fragment of where.fragments) out = out.where(fragment)
          if (keyset) out = out.where(keyset.fragment)
          for (const key of sort) {
            out = out.orderBy(sortExpression(key), (ob) => (key.descending ? ob.desc().nullsLast() : ob.asc().nullsFirst()))
          }
          return out.limit(param('limit')).offset(param('offset')).compile()
        })
        const rows = await c.rows(statement, { tenantId, limit: query.limit, offset: keyset ? 0 : query.offset, ...where.args, ...keyset?.args })
        const accounts = rows.map(toAccount)
        return query.cursor?.direction === 'before' ? accounts.reverse() : accounts
      },
      async count(tenantId, conditions) {
        const fromCounters = await counted(tenantId, conditions)
        if (fromCounters !== null) return fromCounters
        const where = conditionsSql(conditions)
        const statement = counts.get(where.shape, () => {
          let counting = db.selectFrom('users').select(sql<string>`count(*)`.as('total')).where('users.tenant_id', '=', param('tenantId')) as SelectLike
          for (const fragment of where.fragments) counting = counting.where(fragment)
          return counting.compile()
        })
        return num((await c.first(statement, { tenantId, ...where.args }))?.total)
      },
      async update(tenantId, userId, changes) {
        const keys = (Object.keys(changes) as (keyof AccountChanges)[]).filter((k) => changes[k] !== undefined).sort()
        const statement = updates.get(keys.join(','), () => {
          const set: Record<string, unknown> = {}
          for (const key of keys) set[ACCOUNT_CHANGE_COLUMNS[key]] = param(key)
          set['version'] = sql`version + 1`
          return db.updateTable('users').set(set).where('tenant_id', '=', param('tenantId')).where('id', '=', param('userId')).compile()
        })
        return (await c.run(statement, { ...changes, tenantId, userId })) > 0
      },
    }
  }
}
