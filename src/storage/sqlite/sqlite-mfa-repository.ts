import type BetterSqlite3 from 'better-sqlite3'
import { sql, type Kysely } from 'kysely'
import type { TenantId, UserId } from '../../core/ids.js'
import type { TotpFactor, TotpFactorId } from '../../core/mfa/mfa.js'
import type { MfaRepository } from '../../core/ports/mfa-repository.js'
import { param, prepareQuery } from './prepared.js'
import type { MfaTotpFactorsTable, Tables } from './tables.js'

export function createSqliteMfaRepository(db: Kysely<Tables>, handle: BetterSqlite3.Database): MfaRepository {
  const byUser = <Q extends { where: (...args: any[]) => Q }>(query: Q): Q =>
    query.where('tenant_id', '=', param('tenantId')).where('user_id', '=', param('userId'))
  const q = {
    findTotp: prepareQuery<MfaTotpFactorsTable>(handle, byUser(db.selectFrom('mfa_totp_factors').selectAll()).compile()),
    deletePending: prepareQuery(handle, byUser(db.deleteFrom('mfa_totp_factors')).where('status', '=', 'pending').compile()),
    insertTotp: prepareQuery(handle, db.insertInto('mfa_totp_factors').values({
      id: param('id'), tenant_id: param('tenantId'), user_id: param('userId'), secret: param('secret'), secret_key_id: param('keyId'),
      status: 'pending', last_used_step: null, created_at: param('createdAt'), confirmed_at: null,
    }).compile()),
    confirmTotp: prepareQuery(handle, db.updateTable('mfa_totp_factors')
      .set({ status: 'confirmed', last_used_step: param('step'), confirmed_at: param('at') })
      .where('tenant_id', '=', param('tenantId')).where('id', '=', param('id')).where('status', '=', 'pending').compile()),
    // The compare-and-set that refuses a replayed code: only a later step than the last one moves it.
    useTotpStep: prepareQuery(handle, db.updateTable('mfa_totp_factors').set({ last_used_step: param('step') })
      .where('tenant_id', '=', param('tenantId')).where('id', '=', param('id')).where('status', '=', 'confirmed')
      .where(sql<boolean>`coalesce(last_used_step, -1) < ${param('step')}`).compile()),
    addRecoveryCode: prepareQuery(handle, db.insertInto('mfa_recovery_codes').values({
      tenant_id: param('tenantId'), user_id: param('userId'), code_hash: param('hash'), salt: param('salt'), created_at: param('at'), used_at: null,
    }).onConflict((oc) => oc.doNothing()).compile()),
    recoverySalt: prepareQuery<{ salt: string }>(handle, byUser(db.selectFrom('mfa_recovery_codes').select('salt'))
      .where('used_at', 'is', null).where('salt', 'is not', null).limit(1).compile()),
    useRecoveryCode: prepareQuery(handle, byUser(db.updateTable('mfa_recovery_codes').set({ used_at: param('at') }))
      .where('code_hash', '=', param('hash')).where('used_at', 'is', null).compile()),
    countRecoveryCodes: prepareQuery<{ total: number }>(handle, byUser(db.selectFrom('mfa_recovery_codes')
      .select((eb) => eb.fn.countAll<number>().as('total'))).where('used_at', 'is', null).compile()),
    deleteTotp: prepareQuery(handle, byUser(db.deleteFrom('mfa_totp_factors')).compile()),
    deleteRecoveryCodes: prepareQuery(handle, byUser(db.deleteFrom('mfa_recovery_codes')).compile()),
  }

  return {
    async findTotp(tenantId, userId) {
      const row = q.findTotp.get({ tenantId, userId })
      return row ? toFactor(row) : null
    },
    async replacePendingTotp(tenantId, factor) {
      q.deletePending.run({ tenantId, userId: factor.userId })
      q.insertTotp.run({ id: factor.id, userId: factor.userId, createdAt: factor.createdAt, secret: factor.secret.value, keyId: factor.secret.keyId, tenantId })
      return { ...factor, tenantId, status: 'pending', lastUsedStep: null, confirmedAt: null }
    },
    async confirmTotp(tenantId, id, step, at) {
      return q.confirmTotp.run({ tenantId, id, step, at }).changes > 0
    },
    async useTotpStep(tenantId, id, step) {
      return q.useTotpStep.run({ tenantId, id, step }).changes > 0
    },
    async addRecoveryCodes(tenantId, userId, hashes, salt, at) {
      for (const hash of hashes) q.addRecoveryCode.run({ tenantId, userId, hash, salt, at })
    },
    async recoverySalt(tenantId, userId) {
      return q.recoverySalt.get({ tenantId, userId })?.salt ?? null
    },
    async useRecoveryCode(tenantId, userId, hash, at) {
      return q.useRecoveryCode.run({ tenantId, userId, hash, at }).changes > 0
    },
    async countRecoveryCodes(tenantId, userId) {
      return q.countRecoveryCodes.get({ tenantId, userId })?.total ?? 0
    },
    async deleteAll(tenantId, userId) {
      q.deleteTotp.run({ tenantId, userId })
      q.deleteRecoveryCodes.run({ tenantId, userId })
    },
  }
}

function toFactor(row: MfaTotpFactorsTable): TotpFactor {
  return {
    id: row.id as TotpFactorId,
    tenantId: row.tenant_id as TenantId,
    userId: row.user_id as UserId,
    // A null key id marks a clear-text secret of an earlier roster; open seals those before any call, so none opens here.
    secret: { keyId: row.secret_key_id ?? 'unsealed', value: row.secret },
    status: row.status as TotpFactor['status'],
    lastUsedStep: row.last_used_step,
    createdAt: row.created_at,
    confirmedAt: row.confirmed_at,
  }
}
