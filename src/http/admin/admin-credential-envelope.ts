import type { Credential, IssuedCredential } from '../../core/credentials/credential.js'
import type { VerifyResult } from '../../core/credentials/credentials-service.js'
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

/** `{valid: true, user, credential}` or `{valid: false, reason}`. */
export function verification(result: VerifyResult) {
  if (!result.valid) return { valid: false, reason: result.reason }
  return { valid: true, user: adminUser(result.user), credential: adminCredential(result.credential) }
}
