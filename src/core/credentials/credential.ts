import * as v from 'valibot'
import type { AdminKeyId, TenantId, UserId } from '../ids.js'
import { dateTimeSchema } from '../accounts/datetime.js'
import { textSchema } from '../text-schema.js'

export type CredentialId = string & { readonly __brand: 'CredentialId' }

/** An API key of one user, as stored: its hash and a short prefix for display, never the secret. */
export interface Credential {
  readonly id: CredentialId
  readonly tenantId: TenantId
  readonly userId: UserId
  readonly name: string
  readonly prefix: string
  readonly createdAt: string
  readonly lastUsedAt: string | null
  readonly expiresAt: string | null
  readonly revokedAt: string | null
}

export interface NewCredential {
  readonly id: CredentialId
  readonly userId: UserId
  readonly name: string
  readonly secretHash: string
  readonly prefix: string
  readonly createdAt: string
  readonly expiresAt: string | null
  readonly createdByKeyId: AdminKeyId | null
}

/** A credential as returned by its creation, the only time its secret is shown. */
export interface IssuedCredential extends Credential {
  readonly secret: string
}

export const CreateCredentialInput = v.strictObject({
  name: textSchema('name', 255, 'name is required and must be a non-empty string'),
  expiresAt: v.optional(v.nullable(dateTimeSchema('expiresAt'))),
})
export type CreateCredentialInput = v.InferInput<typeof CreateCredentialInput>

const UNITS_MESSAGE = 'units must be an integer from 0 to 1000000'
const units = v.optional(
  v.pipe(v.number(UNITS_MESSAGE), v.integer(UNITS_MESSAGE), v.minValue(0, UNITS_MESSAGE), v.maxValue(1_000_000, UNITS_MESSAGE)),
)

/** Options of the trusted `verify`: `units` to record (default 1), and `tenantId` to accept only that tenant's credentials. */
export const VerifyOptions = v.strictObject({
  units,
  tenantId: v.optional(v.string('tenantId must be a string')),
})
export type VerifyOptions = v.InferInput<typeof VerifyOptions>

/** Options of `verifyAs`: the tenant is always the admin key's own. */
export const VerifyAsOptions = v.strictObject({ units })
export type VerifyAsOptions = v.InferInput<typeof VerifyAsOptions>
