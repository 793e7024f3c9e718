import type { AdminKeyId, TenantId } from '../ids.js'
import type { Permission } from '../permissions.js'

/** An admin key as stored: never the secret, only its hash and a short prefix for display. */
export interface AdminKey {
  readonly id: AdminKeyId
  readonly tenantId: TenantId
  readonly name: string
  readonly prefix: string
  readonly permissions: readonly Permission[]
  readonly createdAt: string
  readonly revokedAt: string | null
}

export interface NewAdminKey {
  readonly id: AdminKeyId
  readonly name: string
  readonly secretHash: string
  readonly prefix: string
  readonly permissions: readonly Permission[]
  readonly createdAt: string
}

/** A key as returned by its creation, the only time its secret is shown. */
export interface IssuedAdminKey extends AdminKey {
  readonly secret: string
  readonly tenantName: string
}
