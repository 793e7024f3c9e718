import type { Kysely } from 'kysely'
import type { TenantId, UserId } from '../../core/ids.js'
import type { TotpFactorId } from '../../core/mfa/mfa.js'
import type { SecretUpkeepRepository, UnsaltedRecoveryCodes } from '../../core/ports/secret-upkeep-repository.js'
import { param } from '../query-param.js'
import type { Tables } from '../sqlite/tables.js'
import { pgQuery, type PgConnection } from './pg-prepared.js'

type FactorRow = { id: string; tenant_id: string; user_id: string; secret: string; secret_key_id: string | null }
type CodeRow = { tenant_id: string; user_id: string; code_hash: string }

export function pgSecretUpkeepRepository(db: Kysely<Tables>): (c: PgConnection) => SecretUpkeepRepository {
  const q = {
    keyIds: pgQuery<{ key_id: string }>(db.selectFrom('mfa_totp_factors').select('secret_key_id as key_id').distinct()
      .where('secret_key_id', 'is not', null).compile()),
    notSealedWith: pgQuery<FactorRow>(db.selectFrom('mfa_totp_factors').select(['id', 'tenant_id', 'user_id', 'secret', 'secret_key_id'])
      .where((eb) => eb.or([eb('secret_key_id', 'is', null), eb('secret_key_id', '!=', param('keyId'))])).compile()),
    replace: pgQuery(db.updateTable('mfa_totp_factors').set({ secret: param('value'), secret_key_id: param('keyId') })
      .where('tenant_id', '=', param('tenantId')).where('id', '=', param('id')).compile()),
    unsalted: pgQuery<CodeRow>(db.selectFrom('mfa_recovery_codes').select(['tenant_id', 'user_id', 'code_hash'])
      .where('salt', 'is', null).orderBy('user_id').compile()),
    salt: pgQuery(db.updateTable('mfa_recovery_codes').set({ code_hash: param('newHash'), salt: param('salt') })
      .where('tenant_id', '=', param('tenantId')).where('user_id', '=', param('userId'))
      .where('code_hash', '=', param('oldHash')).where('salt', 'is', null).compile()),
  }
  return (c) => ({
    async sealingKeyIds() {
      return (await c.rows(q.keyIds)).map((row) => row.key_id)
    },
    async totpSecretsNotSealedWith(keyId) {
      return (await c.rows(q.notSealedWith, { keyId })).map((row) => ({
        tenantId: row.tenant_id as TenantId, userId: row.user_id as UserId, factorId: row.id as TotpFactorId, keyId: row.secret_key_id, value: row.secret,
      }))
    },
    async replaceTotpSecret(tenantId, factorId, sealed) {
      await c.run(q.replace, { tenantId, id: factorId, value: sealed.value, keyId: sealed.keyId })
    },
    async unsaltedRecoveryCodes() {
      const byUser = new Map<string, UnsaltedRecoveryCodes & { hashes: string[] }>()
      for (const row of await c.rows(q.unsalted)) {
        const entry = byUser.get(row.user_id) ?? { tenantId: row.tenant_id as TenantId, userId: row.user_id as UserId, hashes: [] }
        entry.hashes.push(row.code_hash)
        byUser.set(row.user_id, entry)
      }
      return [...byUser.values()]
    },
    async saltRecoveryCode(tenantId, userId, oldHash, salt, newHash) {
      return (await c.run(q.salt, { tenantId, userId, oldHash, salt, newHash })) > 0
    },
  })
}
