import * as v from 'valibot'
import type { AdminKeyId, TenantId, UserId } from '../ids.js'
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

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/

export const CreateCredentialInput = v.strictObject({
  name: textSchema('name', 255, 'name is required and must be a non-empty string'),
  expiresAt: v.optional(
    v.nullable(
      v.pipe(
        v.string('expiresAt must be an ISO 8601 timestamp'),
        v.regex(ISO_TIMESTAMP, 'expiresAt must be an ISO 8601 timestamp'),
        v.check((value) => !Number.isNaN(Date.parse(value)), 'expiresAt must be an ISO 8601 timestamp'),
        v.transform((value) => new Date(value).toISOString()),
      ),
    ),
  ),
})
export type CreateCredentialInput = v.InferInput<typeof CreateCredentialInput>

export const VerifyOptions = v.strictObject({
  units: v.optional(
    v.pipe(
      v.number('units must be an integer from 1 to 1000000'),
      v.integer('units must be an integer from 1 to 1000000'),
      v.minValue(1, 'units must be an integer from 1 to 1000000'),
      v.maxValue(1_000_000, 'units must be an integer from 1 to 1000000'),
    ),
  ),
  tenantId: v.optional(v.string('tenantId must be a string')),
})
export type VerifyOptions = v.InferInput<typeof VerifyOptions>
