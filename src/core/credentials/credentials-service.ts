import type { Clock } from '../clock.js'
import { NotFoundError, ValidationError } from '../errors.js'
import { isUuid, newId, type TenantId, type UserId } from '../ids.js'
import { parseInput } from '../parse-input.js'
import type { Store } from '../ports/store.js'
import { requirePermission, type Principal } from '../principal.js'
import { generateSecret, hashSecret, visiblePrefix } from '../secrets.js'
import type { Tenant } from '../tenants/tenant.js'
import { HOUR_MS } from '../usage/usage.js'
import type { UsageMeter } from '../usage/usage-meter.js'
import type { User } from '../users/user.js'
import { protectOwner } from '../users/user-policy.js'
import {
  CreateCredentialInput,
  VerifyAsOptions,
  VerifyOptions,
  type Credential,
  type CredentialId,
  type IssuedCredential,
} from './credential.js'
import { createCredentialLookup } from './credential-lookup.js'
import { auditActor, recordAudit } from '../audit/audit-trail.js'
import { credentialRefusal, type RefusalReason } from './credential-state.js'

export type VerifyResult =
  | { readonly valid: true; readonly user: User; readonly credential: Credential; readonly tenant: Tenant }
  | { readonly valid: false; readonly reason: RefusalReason }

/** What a key that only records usage learns about a credential's user: enough to meter and bill, no contact data. */
export type VerifiedUserSummary = Pick<User, 'id' | 'externalId' | 'status' | 'billingPlan'>

/** `verifyAs`'s answer: the whole user only for a key that also holds `manage_users`, else its summary. */
export type VerifyAsResult =
  | VerifyResult
  | { readonly valid: true; readonly user: VerifiedUserSummary; readonly credential: Credential; readonly tenant: Tenant }

/** True when the verified user is the whole user rather than the summary a `record_usage` key gets. */
export function isFullUser(user: User | VerifiedUserSummary): user is User {
  return 'name' in user
}

const userNotFound = () => new NotFoundError('User not found')
const credentialNotFound = () => new NotFoundError('Credential not found')

/** API credentials of users: issued and revoked with `manage_credentials`, verified and metered by `verify`. */
export function createCredentialsService(store: Store, clock: Clock, meter: UsageMeter) {
  const lookup = createCredentialLookup(store)

  async function verifyAndMeter(secret: string, options: VerifyOptions): Promise<VerifyResult> {
    const { units = 1, tenantId } = parseInput(VerifyOptions, options, 'options')
    if (typeof secret !== 'string' || secret.length === 0 || secret.length > 512) return { valid: false, reason: 'not_found' }
    const match = await lookup(hashSecret(secret))
    if (!match || (tenantId !== undefined && match.tenant.id !== (tenantId as TenantId))) return { valid: false, reason: 'not_found' }
    const now = clock.now()
    const reason = credentialRefusal(match.credential, match.user, now)
    if (reason || !match.user) return { valid: false, reason: reason ?? 'revoked' }
    const { credential, user, tenant } = match
    await meter.record({
      tenantId: tenant.id,
      credentialId: credential.id,
      userId: user.id,
      hour: Math.floor(Date.parse(now) / HOUR_MS),
      requests: 1,
      units,
      usedAt: now,
    })
    return { valid: true, user, tenant, credential: { ...credential, lastUsedAt: now } }
  }

  const service = {
    /**
     * Issues a credential to a user of the principal's tenant; the secret is in the result and nowhere
     * else. An admin key cannot issue one to the tenant owner (ForbiddenError); the host can.
     */
    async create(principal: Principal, userId: string, input: CreateCredentialInput): Promise<IssuedCredential> {
      const admin = requirePermission(principal, 'manage_credentials')
      const fields = parseInput(CreateCredentialInput, input)
      if (!isUuid(userId)) throw userNotFound()
      const createdAt = clock.now()
      if (fields.expiresAt && fields.expiresAt <= createdAt) throw new ValidationError('expiresAt', 'expiresAt must be in the future')
      const secret = generateSecret('credential')
      const secretHash = hashSecret(secret)
      const credential = await store.transaction(async (tx) => {
        if (!(await tx.users.findById(admin.tenantId, userId as UserId))) throw userNotFound()
        // A credential authenticates as its user: one for the owner would hand an admin key the owner's identity.
        await protectOwner(tx, admin, userId as UserId, 'credentials')
        const credential = await tx.credentials.insert(admin.tenantId, {
          id: newId<CredentialId>(),
          userId: userId as UserId,
          name: fields.name,
          secretHash,
          prefix: visiblePrefix(secret),
          createdAt,
          expiresAt: fields.expiresAt ?? null,
          createdByKeyId: admin.keyId,
        })
        await recordAudit(tx, auditActor(admin), admin.tenantId, {
          action: 'credential.created', targetType: 'credential', targetId: credential.id, after: credential,
        }, createdAt)
        return credential
      })
      return { ...credential, secret }
    },

    /** The user's credentials, newest first, revoked ones included; never a secret. */
    async list(principal: Principal, userId: string): Promise<Credential[]> {
      const admin = requirePermission(principal, 'manage_credentials')
      if (!isUuid(userId)) throw userNotFound()
      return store.read(async (r) => {
        if (!(await r.users.findById(admin.tenantId, userId as UserId))) throw userNotFound()
        return r.credentials.listForUser(admin.tenantId, userId as UserId)
      })
    },

    /** Revokes a credential of this tenant for good; revoking again returns it unchanged. */
    async revoke(principal: Principal, credentialId: string): Promise<Credential> {
      const admin = requirePermission(principal, 'manage_credentials')
      if (!isUuid(credentialId)) throw credentialNotFound()
      const credential = await store.transaction(async (tx) => {
        const current = await tx.credentials.findById(admin.tenantId, credentialId as CredentialId)
        // Revoking again changes nothing, so it records nothing.
        if (!current || current.revokedAt !== null) return current
        const at = clock.now()
        const revoked = await tx.credentials.revoke(admin.tenantId, current.id, at)
        await recordAudit(tx, auditActor(admin), admin.tenantId, {
          action: 'credential.revoked', targetType: 'credential', targetId: current.id, before: current, after: revoked,
        }, at)
        return revoked
      })
      if (!credential) throw credentialNotFound()
      return credential
    },

    /**
     * Checks a presented secret and, when it is valid, records one request and `units` (default 1)
     * against it; resolves only after that usage is committed. Trusted: the host decides who may call it.
     * With `tenantId`, a credential of any other tenant is `not_found`.
     */
    verify(secret: string, options: VerifyOptions = {}): Promise<VerifyResult> {
      // Tracked, so closing roster waits for verifications in flight and commits their usage.
      return meter.track(verifyAndMeter(secret, options))
    },

    /**
     * `verify` on behalf of an admin key holding `record_usage`: credentials of other tenants are
     * `not_found`. The user comes whole only when the key also holds `manage_users` (which could read
     * it anyway); otherwise as its id, external id, status and billing plan.
     */
    async verifyAs(principal: Principal, secret: unknown, options: VerifyAsOptions = {}): Promise<VerifyAsResult> {
      const admin = requirePermission(principal, 'record_usage')
      if (typeof secret !== 'string' || secret.length === 0) throw new ValidationError('key', 'key is required and must be a non-empty string')
      const { units } = parseInput(VerifyAsOptions, options, 'options')
      const result = await service.verify(secret, { units, tenantId: admin.tenantId })
      if (!result.valid || admin.permissions.has('manage_users')) return result
      const { id, externalId, status, billingPlan } = result.user
      return { ...result, user: { id, externalId, status, billingPlan } }
    },
  }
  return service
}

export type CredentialsService = ReturnType<typeof createCredentialsService>
