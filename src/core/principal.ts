import { BootstrapKeyError, ForbiddenError, UnauthenticatedError } from './errors.js'
import type { AdminKeyId, TenantId, UserId } from './ids.js'
import { PERMISSIONS, type Permission } from './permissions.js'

/** The HTTP surface and request a call arrives through; the HTTP adapter sets it, library calls carry none. */
export interface CallContext {
  readonly surface: 'admin' | 'iam' | 'account-users'
  readonly requestId: string
}

/** The installation's bootstrap key: it creates tenants and nothing else. */
export interface BootstrapPrincipal {
  readonly kind: 'bootstrap'
  readonly via?: CallContext | undefined
}

/** An admin key of one tenant, or a trusted host acting for the tenant (`keyId` null). */
export interface AdminPrincipal {
  readonly kind: 'admin'
  readonly tenantId: TenantId
  readonly keyId: AdminKeyId | null
  readonly permissions: ReadonlySet<Permission>
  readonly via?: CallContext | undefined
}

/** A user authenticated by one of its own credentials. */
export interface UserPrincipal {
  readonly kind: 'user'
  readonly tenantId: TenantId
  readonly userId: UserId
  readonly credentialId: string
  readonly via?: CallContext | undefined
}

export type Principal = BootstrapPrincipal | AdminPrincipal | UserPrincipal

/** `principal` acting through `via`: the audit log records the surface and request id of its changes. */
export function withCallContext<P extends Principal>(principal: P, via: CallContext): P {
  return Object.freeze({ ...principal, via }) as unknown as P
}

export const BOOTSTRAP_PRINCIPAL: BootstrapPrincipal = Object.freeze({ kind: 'bootstrap' })

/** A principal with every permission for `tenantId`, for hosts that authenticate their own callers. */
export function trustedTenantPrincipal(tenantId: TenantId): AdminPrincipal {
  return Object.freeze({ kind: 'admin', tenantId, keyId: null, permissions: new Set(PERMISSIONS) })
}

/**
 * Narrows `principal` to an admin holding `permission`, or throws: the bootstrap key gets
 * BootstrapKeyError, a user credential UnauthenticatedError (admin routes do not know it),
 * an admin key without the permission ForbiddenError with the seed's wording.
 */
export function requirePermission(principal: Principal, permission: Permission): AdminPrincipal {
  if (principal.kind === 'bootstrap') {
    // manage_users reads exactly as seed 001 words it; the other permissions follow the same pattern.
    throw new BootstrapKeyError(`Bootstrap key cannot ${permission.replace('_', ' ')}. Create an admin key first.`)
  }
  if (principal.kind === 'user') throw new UnauthenticatedError('User credentials cannot call admin operations')
  if (!principal.permissions.has(permission)) {
    throw new ForbiddenError(`Permission denied: ${permission} required`)
  }
  return principal
}
