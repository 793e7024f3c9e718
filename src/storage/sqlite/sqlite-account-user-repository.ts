import type BetterSqlite3 from 'better-sqlite3'
import { sql, type Kysely } from 'kysely'
import type { AccountUserRepository } from '../../core/ports/account-user-repository.js'
import { param, prepareQuery } from './prepared.js'
import { decodeUser, USER_COLUMNS } from './sqlite-user-repository.js'
import type { Tables } from './tables.js'

export function createSqliteAccountUserRepository(db: Kysely<Tables>, handle: BetterSqlite3.Database): AccountUserRepository {
  // `is not` keeps every user when the tenant has no owner (a plain `!=` against null matches none).
  const notOwner = sql<boolean>`users.id is not (select tenants.owner_user_id from tenants where tenants.id = ${param('tenantId')})`
  const q = {
    // (tenant_id, number) is an index, so a page is one range scan in creation order. The tenant's name and
    // owner come from subqueries, not a join: see the user repository's pages.
    page: prepareQuery<unknown[]>(handle, db.selectFrom('users').select(USER_COLUMNS)
      .select(sql<string>`(select tenants.name from tenants where tenants.id = users.tenant_id)`.as('tenant_name'))
      .where('users.tenant_id', '=', param('tenantId')).where(notOwner)
      .orderBy('users.number').limit(param('limit')).offset(param('offset')).compile(), { raw: true }),
    // Every user of the tenant from the counters, less the owner when there is one: O(1).
    count: prepareQuery<{ total: number }>(handle, db.selectFrom('tenants')
      .select(sql<number>`(select coalesce(sum(users), 0) from user_counts where user_counts.tenant_id = tenants.id)
        - (select count(*) from users where users.id = tenants.owner_user_id and users.tenant_id = tenants.id)`.as('total'))
      .where('tenants.id', '=', param('tenantId')).compile()),
  }

  return {
    async page(tenantId, { limit, offset }) {
      const users = q.page.all({ tenantId, limit, offset }).map(decodeUser)
      return { users, total: q.count.get({ tenantId })?.total ?? 0 }
    },
  }
}
