import type BetterSqlite3 from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type { AdminKeyId, TenantId } from '../../core/ids.js'
import type { AdminKey } from '../../core/keys/admin-key.js'
import type { Permission } from '../../core/permissions.js'
import type { KeyRepository } from '../../core/ports/key-repository.js'
import { param, prepareQuery } from './prepared.js'
import type { AdminKeysTable, Tables } from './tables.js'

export function createSqliteKeyRepository(db: Kysely<Tables>, handle: BetterSqlite3.Database): KeyRepository {
  const byTenantAndId = db.selectFrom('admin_keys').selectAll().where('tenant_id', '=', param('tenantId')).where('id', '=', param('id'))
  const q = {
    insert: prepareQuery(handle, db.insertInto('admin_keys').values({
      id: param('id'), tenant_id: param('tenantId'), name: param('name'), secret_hash: param('hash'),
      prefix: param('prefix'), permissions: param('permissions'), created_at: param('createdAt'), revoked_at: null,
    }).compile()),
    findActiveByHash: prepareQuery<AdminKeysTable>(handle, db.selectFrom('admin_keys').selectAll()
      .where('secret_hash', '=', param('hash')).where('revoked_at', 'is', null).compile()),
    list: prepareQuery<AdminKeysTable>(handle, db.selectFrom('admin_keys').selectAll()
      .where('tenant_id', '=', param('tenantId')).orderBy('created_at', 'desc').orderBy('id').compile()),
    findById: prepareQuery<AdminKeysTable>(handle, byTenantAndId.compile()),
    revoke: prepareQuery(handle, db.updateTable('admin_keys').set({ revoked_at: param('at') })
      .where('tenant_id', '=', param('tenantId')).where('id', '=', param('id')).where('revoked_at', 'is', null).compile()),
  }

  return {
    async insert(tenantId, key) {
      const permissions = JSON.stringify(key.permissions)
      q.insert.run({ ...key, tenantId, hash: key.secretHash, permissions })
      return { id: key.id, tenantId, name: key.name, prefix: key.prefix, permissions: key.permissions, createdAt: key.createdAt, revokedAt: null }
    },
    async findActiveByHash(hash) {
      const row = q.findActiveByHash.get({ hash })
      return row ? toAdminKey(row) : null
    },
    async findById(tenantId, id) {
      const row = q.findById.get({ tenantId, id })
      return row ? toAdminKey(row) : null
    },
    async list(tenantId) {
      return q.list.all({ tenantId }).map(toAdminKey)
    },
    async revoke(tenantId, id, at) {
      q.revoke.run({ tenantId, id, at })
      const row = q.findById.get({ tenantId, id })
      return row ? toAdminKey(row) : null
    },
  }
}

function toAdminKey(row: AdminKeysTable): AdminKey {
  return {
    id: row.id as AdminKeyId,
    tenantId: row.tenant_id as TenantId,
    name: row.name,
    prefix: row.prefix,
    permissions: JSON.parse(row.permissions) as Permission[],
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  }
}
