import type { Clock } from '../clock.js'
import { UnauthenticatedError, ValidationError } from '../errors.js'
import type { Store } from '../ports/store.js'
import { credentialRefusal } from '../credentials/credential-state.js'
import { BOOTSTRAP_PRINCIPAL, type AdminPrincipal, type Principal, type UserPrincipal } from '../principal.js'
import { generateSecret, hashSecret, KEY_PREFIXES } from '../secrets.js'
import { createKeyCache, type KeyCache } from './key-cache.js'

export const MIN_BOOTSTRAP_KEY_LENGTH = 32
/** Longest secret ever looked up: roster's keys are far shorter, so a longer one is refused unhashed. */
export const MAX_SECRET_LENGTH = 512

/**
 * Turns presented secrets into principals, and keeps the installation's single bootstrap key. Admin keys
 * seen recently are answered from `keys` without reading the store (key-cache.ts).
 */
export function createAuthenticator(store: Store, clock: Clock, keys: KeyCache = createKeyCache(store, { enabled: false })) {
  // Cached because it changes only through this object, and every request checks it first.
  let bootstrapHash: string | null | undefined

  async function currentBootstrapHash(): Promise<string | null> {
    if (bootstrapHash === undefined) bootstrapHash = await store.read((r) => r.tenants.bootstrapKeyHash())
    return bootstrapHash
  }

  // A user's own credential stands for that user while it could verify; no usage is recorded for it.
  async function authenticateCredential(hash: string): Promise<UserPrincipal> {
    const match = await store.read((r) => r.credentials.findByHash(hash))
    if (!match || !match.user || credentialRefusal(match.credential, match.user, clock.now())) throw new UnauthenticatedError()
    return { kind: 'user', tenantId: match.tenant.id, userId: match.user.id, credentialId: match.credential.id }
  }

  return {
    /** The principal a secret stands for; UnauthenticatedError when it is empty, unknown or revoked. */
    async authenticate(secret: string | null | undefined): Promise<Principal> {
      if (typeof secret !== 'string' || secret.length === 0) {
        throw new UnauthenticatedError('Missing API key: send Authorization: Bearer <key> or X-API-Key')
      }
      if (secret.length > MAX_SECRET_LENGTH) throw new UnauthenticatedError()
      const hash = hashSecret(secret)
      // Once cached, compare without an await: every request passes through here.
      const bootstrap = bootstrapHash !== undefined ? bootstrapHash : await currentBootstrapHash()
      if (hash === bootstrap) return BOOTSTRAP_PRINCIPAL
      if (secret.startsWith(KEY_PREFIXES.credential)) return authenticateCredential(hash)
      const cached = keys.get(hash)
      if (cached) return cached
      const ticket = keys.ticket()
      const key = await store.read((r) => r.keys.findActiveByHash(hash))
      if (!key) throw new UnauthenticatedError()
      const principal: AdminPrincipal = Object.freeze({ kind: 'admin', tenantId: key.tenantId, keyId: key.id, permissions: new Set(key.permissions) })
      keys.put(hash, principal, ticket)
      return principal
    },

    /** Sets the bootstrap key to `secret` (at least 32 characters), replacing any earlier one. */
    async setBootstrapKey(secret: string): Promise<void> {
      if (typeof secret !== 'string' || secret.length < MIN_BOOTSTRAP_KEY_LENGTH || secret.length > MAX_SECRET_LENGTH) {
        throw new ValidationError('bootstrapKey', `bootstrapKey must be ${MIN_BOOTSTRAP_KEY_LENGTH} to ${MAX_SECRET_LENGTH} characters`)
      }
      const hash = hashSecret(secret)
      await store.transaction((tx) => tx.tenants.setBootstrapKeyHash(hash, clock.now()))
      bootstrapHash = hash
    },

    /** Generates a bootstrap key when the store has none and returns it (shown once); null when one exists. */
    async ensureBootstrapKey(): Promise<string | null> {
      if (await currentBootstrapHash()) return null
      const secret = generateSecret('bootstrap')
      await this.setBootstrapKey(secret)
      return secret
    },
  }
}

export type Authenticator = ReturnType<typeof createAuthenticator>
