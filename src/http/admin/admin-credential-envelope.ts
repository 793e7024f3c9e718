import type { Credential, IssuedCredential } from '../../core/credentials/credential.js'
import { isFullUser, type VerifyAsResult } from '../../core/credentials/credentials-service.js'
import { adminUser } from './admin-envelope.js'

/** A credential as the admin surface shows it: never the secret. */
export function adminCredential(credential: Credential) {
  return {
    id: credential.id,
    user_id: credential.userId,
    name: credential.name,
    prefix: credential.prefix,
    created_at: credential.createdAt,
    last_used_at: credential.lastUsedAt,
    expires_at: credential.expiresAt,
    revoked_at: credential.revokedAt,
  }
}

/** The only answer that ever carries the credential's secret, as `key`. */
export function issuedCredential(credential: IssuedCredential) {
  return { ...adminCredential(credential), key: credential.secret }
}

/**
 * `{valid: true, user, credential}` or `{valid: false, reason}`; `user` is seed 000's whole user object
 * for a key holding `manage_users`, else only `{id, external_id, status, billing_plan}`.
 */
export function verification(result: VerifyAsResult) {
  if (!result.valid) return { valid: false, reason: result.reason }
  const { user } = result
  const shown = isFullUser(user) ? adminUser(user) : { id: user.id, external_id: user.externalId, status: user.status, billing_plan: user.billingPlan }
  return { valid: true, user: shown, credential: adminCredential(result.credential) }
}
