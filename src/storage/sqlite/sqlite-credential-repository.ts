import type BetterSqlite3 from 'better-sqlite3'
import { sql, type Kysely } from 'kysely'
import type { Credential, CredentialId } from '../../core/credentials/credential.js'
import type { TenantId, UserId } from '../../core/ids.js'
import type { CredentialRepository } from '../../core/ports/credential-repository.js'
import { param, prepareQuery } from './prepared.js'
import { decodeUser, USER_COLUMNS } from './sqlite-user-repository.js'
import type { CredentialsTable, Tables } from './tables.js'

type CredentialRow = CredentialsTable & { last_used_at: string | null }
/** What follows the user's columns and the tenant's name in a row of findByHash. */
type MatchTail = [
  id: string, tenantId: string, userId: string, name: string, prefix: string, createdAt: string, lastUsedAt: string | null,
  expiresAt: string | null, revokedAt: string | null, ownerUserId: string | null, tenantCreatedAt: string,
]
const USER_WIDTH = USER_COLUMNS.length + 1

// A credential's last use is the latest usage row's: one primary-key probe, and metering never rewrites the credential.
const LAST_USED = sql<string | null>`(select u.last_used_at from usage_hourly as u where u.credential_id = credentials.id order by u.hour desc limit 1)`

export function createSqliteCredentialRepository(db: Kysely<Tables>, handle: BetterSqlite3.Database): CredentialRepository {
  const byTenant = () => db.selectFrom('credentials').selectAll().select(LAST_USED.as('last_used_at')).where('tenant_id', '=', param('tenantId'))
  const q = {
    insert: prepareQuery(handle, db.insertInto('credentials').values({
      id: param('id'), tenant_id: param('tenantId'), user_id: param('userId'), name: param('name'), secret_hash: param('secretHash'),
      prefix: param('prefix'), created_at: param('createdAt'), expires_at: param('expiresAt'), revoked_at: null, created_by_key_id: param('createdByKeyId'),
    }).compile()),
    // The verification hot path: credential, user and tenant in one statement. The credential is
    // materialized first: SQLite's flattened three-way join fetched the user's columns three times slower.
    findByHash: prepareQuery<unknown[]>(handle, db
      .with((cte) => cte('c').materialized(), (qb) => qb.selectFrom('credentials').selectAll().select(LAST_USED.as('last_used_at')).where('secret_hash', '=', param('hash')))
      .selectFrom('c')
      .innerJoin('tenants as t', 't.id', 'c.tenant_id')
      .leftJoin('users', (join) => join.onRef('users.id', '=', 'c.user_id').onRef('users.tenant_id', '=', 'c.tenant_id'))
      .select(USER_COLUMNS)
      .select([
        't.name as tenant_name', 'c.id as c_id', 'c.tenant_id as c_tenant_id', 'c.user_id as c_user_id', 'c.name as c_name',
        'c.prefix as c_prefix', 'c.created_at as c_created_at', 'c.last_used_at as c_last_used_at', 'c.expires_at as c_expires_at',
        'c.revoked_at as c_revoked_at', 't.owner_user_id as t_owner_user_id', 't.created_at as t_created_at',
      ])
      .compile(), { raw: true }),
    findById: prepareQuery<CredentialRow>(handle, byTenant().where('id', '=', param('id')).compile()),
    listForUser: prepareQuery<CredentialRow>(handle, byTenant().where('user_id', '=', param('userId'))
      .orderBy('created_at', 'desc').orderBy('id', 'desc').compile()),
    revoke: prepareQuery(handle, db.updateTable('credentials').set({ revoked_at: param('at') })
      .where('tenant_id', '=', param('tenantId')).where('id', '=', param('id')).where('revoked_at', 'is', null).compile()),
    revokeAllForUser: prepareQuery(handle, db.updateTable('credentials').set({ revoked_at: param('at') })
      .where('tenant_id', '=', param('tenantId')).where('user_id', '=', param('userId')).where('revoked_at', 'is', null).compile()),
  }

  return {
    async insert(tenantId, credential) {
      q.insert.run({ ...credential, tenantId })
      return {
        id: credential.id, tenantId, userId: credential.userId, name: credential.name, prefix: credential.prefix,
        createdAt: credential.createdAt, lastUsedAt: null, expiresAt: credential.expiresAt, revokedAt: null,
      }
    },
    async findByHash(hash) {
      const row = q.findByHash.get({ hash })
      if (!row) return null
      const [id, tenantId, userId, name, prefix, createdAt, lastUsedAt, expiresAt, revokedAt, ownerUserId, tenantCreatedAt] = row.slice(USER_WIDTH) as MatchTail
      return {
        credential: { id: id as CredentialId, tenantId: tenantId as TenantId, userId: userId as UserId, name, prefix, createdAt, lastUsedAt, expiresAt, revokedAt },
        // The user's columns are null when the credential's user is gone (the left join found none).
        user: row[0] === null ? null : decodeUser(row),
        tenant: { id: tenantId as TenantId, name: row[USER_WIDTH - 1] as string, ownerUserId: ownerUserId as UserId | null, createdAt: tenantCreatedAt },
      }
    },
    async findById(tenantId, id) {
      const row = q.findById.get({ tenantId, id })
      return row ? toCredential(row) : null
    },
    async listForUser(tenantId, userId) {
      return q.listForUser.all({ tenantId, userId }).map(toCredential)
    },
    async revoke(tenantId, id, at) {
      q.revoke.run({ tenantId, id, at })
      const row = q.findById.get({ tenantId, id })
      return row ? toCredential(row) : null
    },
    async revokeAllForUser(tenantId, userId, at) {
      q.revokeAllForUser.run({ tenantId, userId, at })
    },
  }
}

function toCredential(row: CredentialRow): Credential {
  return {
    id: row.id as CredentialId,
    tenantId: row.tenant_id as TenantId,
    userId: row.user_id as UserId,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  }
}
