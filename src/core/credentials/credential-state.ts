import { accessRefusal, type AccessRefusal } from '../users/user-policy.js'
import type { User } from '../users/user.js'
import type { Credential } from './credential.js'

export type RefusalReason = 'not_found' | 'revoked' | 'expired' | AccessRefusal

/**
 * Why a credential may not be used at `now`, or null when it may. A deleted user's credential counts
 * as revoked; past the credential's own checks the user's access policy decides (status, then the
 * account's `expires_at`), read at use time, so suspending or expiring a user stops every credential
 * at once and reactivating it, or moving `expires_at` later, restores them.
 */
export function credentialRefusal(credential: Credential, user: User | null, now: string): RefusalReason | null {
  if (credential.revokedAt !== null || user === null) return 'revoked'
  if (credential.expiresAt !== null && credential.expiresAt <= now) return 'expired'
  return accessRefusal(user, now)
}
