import type BetterSqlite3 from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type { TenantId, UserId } from '../../core/ids.js'
import type { TenantRepository } from '../../core/ports/tenant-repository.js'
import type { Tenant } from '../../core/tenants/tenant.js'
import { param, prepareQuery } from './prepared.js'
import type { Tables, TenantsTable } from './tables.js'

export function createSqliteTenantRepository(db: Kysely<Tables>, handle: BetterSqlite3.Database): TenantRepository {
  const q = {
    insert: prepareQuery(handle, db.insertInto('tenants').values({
      id: param('id'), name: param('name'), owner_user_id: null, next_user_number: 1, created_at: param('createdAt'),
    }).compile()),
    findById: prepareQuery<TenantsTable>(handle, db.selectFrom('tenants').selectAll().where('id', '=', param('id')).compile()),
    list: prepareQuery<TenantsTable>(handle, db.selectFrom('tenants').selectAll().orderBy('created_at').orderBy('id').compile()),
    setOwner: prepareQuery(handle, db.updateTable('tenants').set({ owner_user_id: param('owner') }).where('id', '=', param('id')).compile()),
    bootstrap: prepareQuery<{ hash: string }>(handle, db.selectFrom('installation').select('bootstrap_key_hash as hash').where('id', '=', 1).compile()),
    setBootstrap: prepareQuery(handle, db.insertInto('installation')
      .values({ id: 1, bootstrap_key_hash: param('hash'), updated_at: param('at') })
      .onConflict((oc) => oc.column('id').doUpdateSet({ bootstrap_key_hash: param('hash'), updated_at: param('at') }))
      .compile()),
  }

  return {
    async insert(tenant) {
      q.insert.run({ id: tenant.id, name: tenant.name, createdAt: tenant.createdAt })
      return tenant
    },
    async findById(tenantId) {
      const row = q.findById.get({ id: tenantId })
      return row ? toTenant(row) : null
    },
    async list() {
      return q.list.all().map(toTenant)
    },
    async setOwner(tenantId, ownerUserId) {
      q.setOwner.run({ id: tenantId, owner: ownerUserId })
    },
    async bootstrapKeyHash() {
      return q.bootstrap.get()?.hash ?? null
    },
    async setBootstrapKeyHash(hash, at) {
      q.setBootstrap.run({ hash, at })
    },
  }
}

function toTenant(row: TenantsTable): Tenant {
  return { id: row.id as TenantId, name: row.name, ownerUserId: row.owner_user_id as UserId | null, createdAt: row.created_at }
}
