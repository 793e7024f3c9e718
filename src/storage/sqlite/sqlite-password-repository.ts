import type BetterSqlite3 from 'better-sqlite3'
import { sql, type Kysely } from 'kysely'
import type { UserId } from '../../core/ids.js'
import type { UserStatus } from '../../core/users/user.js'
import type { PasswordRecord, PasswordRepository } from '../../core/ports/password-repository.js'
import { param, prepareQuery } from './prepared.js'
import type { Tables } from './tables.js'

export function createSqlitePasswordRepository(db: Kysely<Tables>, handle: BetterSqlite3.Database): PasswordRepository {
  const inTenant = <Q extends { where: (...args: any[]) => any }>(query: Q) => query.where('tenant_id', '=', param('tenantId'))
  const q = {
    byEmail: prepareQuery<{ id: string; number: number; password_hash: string | null; status: string; expires_at: string | null }>(handle,
      inTenant(db.selectFrom('users').select(['id', 'number', 'password_hash', 'status', 'expires_at']))
        .where('email_lower', '=', param('emailLower')).compile()),
    setHash: prepareQuery(handle, inTenant(db.updateTable('users').set({
      password_hash: param('hash'), auth_type: param('authType'),
      password_reset_token_hash: null, password_reset_token_expires_at: null, version: sql`version + 1`,
    })).where('id', '=', param('userId')).compile()),
    setToken: prepareQuery(handle, inTenant(db.updateTable('users').set({
      password_reset_token_hash: param('tokenHash'), password_reset_token_expires_at: param('expiresAt'), version: sql`version + 1`,
    })).where('id', '=', param('userId')).compile()),
    byToken: prepareQuery<{ id: string }>(handle, inTenant(db.selectFrom('users').select('id'))
      .where('password_reset_token_hash', '=', param('tokenHash'))
      .where('password_reset_token_expires_at', '>', param('now')).compile()),
    // One statement decides and spends, so two requests with the same token cannot both succeed.
    consume: prepareQuery<{ id: string }>(handle, inTenant(db.updateTable('users').set({
      password_hash: param('hash'), auth_type: 'password', updated_at: param('now'),
      password_reset_token_hash: null, password_reset_token_expires_at: null, version: sql`version + 1`,
    })).where('password_reset_token_hash', '=', param('tokenHash'))
      .where('password_reset_token_expires_at', '>', param('now')).returning('id').compile()),
  }

  return {
    async findByEmail(tenantId, emailLower) {
      const row = q.byEmail.get({ tenantId, emailLower })
      return row ? toRecord(row) : null
    },
    async setHash(tenantId, userId, hash) {
      return q.setHash.run({ tenantId, userId, hash, authType: hash === null ? 'none' : 'password' }).changes > 0
    },
    async setResetToken(tenantId, userId, tokenHash, expiresAt) {
      return q.setToken.run({ tenantId, userId, tokenHash, expiresAt }).changes > 0
    },
    async findByResetToken(tenantId, tokenHash, now) {
      return (q.byToken.get({ tenantId, tokenHash, now })?.id as UserId | undefined) ?? null
    },
    async consumeResetToken(tenantId, tokenHash, now, hash) {
      return (q.consume.get({ tenantId, tokenHash, now, hash })?.id as UserId | undefined) ?? null
    },
  }
}

function toRecord(row: { id: string; number: number; password_hash: string | null; status: string; expires_at: string | null }): PasswordRecord {
  return { userId: row.id as UserId, number: row.number, passwordHash: row.password_hash, status: row.status as UserStatus, expiresAt: row.expires_at }
}
