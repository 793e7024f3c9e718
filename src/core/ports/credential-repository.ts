import type { Credential, CredentialId, NewCredential } from '../credentials/credential.js'
import type { TenantId, UserId } from '../ids.js'
import type { Tenant } from '../tenants/tenant.js'
import type { User } from '../users/user.js'

/** What a presented secret resolves to: the credential, its user (null once deleted) and tenant. */
export interface CredentialMatch {
  readonly credential: Credential
  readonly user: User | null
  readonly tenant: Tenant
}

/** API credentials of users; every method but the hash lookup is scoped to one tenant. */
export interface CredentialRepository {
  /** Inserts a credential for a user of `tenantId`. */
  insert(tenantId: TenantId, credential: NewCredential): Promise<Credential>
  /** The credential whose secret hashes to `secretHash`, revoked or not, with its user and tenant; null when none. */
  findByHash(secretHash: string): Promise<CredentialMatch | null>
  /** The credential, or null when this tenant has no such credential. */
  findById(tenantId: TenantId, id: CredentialId): Promise<Credential | null>
  /** The user's credentials, newest first, revoked ones included. */
  listForUser(tenantId: TenantId, userId: UserId): Promise<Credential[]>
  /** Revokes one credential (the first revocation time stays); null when this tenant has no such credential. */
  revoke(tenantId: TenantId, id: CredentialId, at: string): Promise<Credential | null>
  /** Revokes every unrevoked credential of the user. */
  revokeAllForUser(tenantId: TenantId, userId: UserId, at: string): Promise<void>
}
