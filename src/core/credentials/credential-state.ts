import type { User } from '../users/user.js'
import type { Credential } from './credential.js'

export type RefusalReason = 'not_found' | 'revoked' | 'expired' | 'user_suspended' | 'user_pending'

/**
 * Why a credential may not be used at `now`, or null when it may. A deleted user's credential counts
 * as revoked; the user's status is read at use time, so suspending stops every credential at once and
 * reactivating restores them.
 */
export function credentialRefusal(credential: Credential, user: User | null, now: string): RefusalReason | null {
  if (credential.revokedAt !== null || user === null) return 'revoked'
  if (credential.expiresAt !== null && credential.expiresAt <= now) return 'expired'
  if (user.status === 'suspended') return 'user_suspended'
  if (user.status === 'pending') return 'user_pending'
  return null
}
