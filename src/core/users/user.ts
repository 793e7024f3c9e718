import * as v from 'valibot'
import { textSchema } from '../text-schema.js'
import type { AdminKeyId, TenantId, UserId } from '../ids.js'

export const USER_STATUSES = ['active', 'suspended', 'pending'] as const
export type UserStatus = (typeof USER_STATUSES)[number]

/** One person or customer of a tenant, as every surface sees it. */
export interface User {
  readonly id: UserId
  readonly tenantId: TenantId
  /** The tenant's name, shown as the admin surface's `admin_entity_name`. */
  readonly tenantName: string
  /** Per-tenant sequence number: the IAM surface's account id. */
  readonly number: number
  readonly externalId: string | null
  readonly name: string
  readonly firstName: string | null
  readonly lastName: string | null
  readonly email: string | null
  readonly metadata: Readonly<Record<string, unknown>>
  readonly status: UserStatus
  readonly suspendedReason: string | null
  readonly billingPlan: string | null
  readonly accountType: string
  readonly authType: string
  readonly expiresAt: string | null
  readonly createdAt: string
  readonly updatedAt: string | null
  readonly adminKeyId: AdminKeyId | null
  /** Raised by every change to the user: its ETag, and what `ifVersion` compares. */
  readonly version: number
}

/** What a repository needs to insert a user; the number is assigned by the repository. */
export type NewUser = Omit<User, 'tenantId' | 'tenantName' | 'number' | 'suspendedReason' | 'updatedAt' | 'version'>

type ChangeableField = 'externalId' | 'name' | 'firstName' | 'lastName' | 'email' | 'metadata' | 'status' | 'suspendedReason' | 'billingPlan'
/** Fields to change; an absent or undefined field is left as it is. */
export type UserChanges = { readonly [K in ChangeableField]?: User[K] | undefined } & { readonly updatedAt: string }

export const MAX_NAME_LENGTH = 255
export const MAX_METADATA_BYTES = 16 * 1024
const NAME_MESSAGE = 'Name is required and must be a non-empty string'
// Deliberately loose: one @, no spaces, a dot in the domain. Deliverability is the host's business.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

const name = textSchema('Name', MAX_NAME_LENGTH, NAME_MESSAGE)

export const emailSchema = (field = 'email') =>
  v.pipe(
    v.string(`${field} must be a string`),
    v.trim(),
    v.maxLength(254, `${field} must be at most 254 characters`),
    v.regex(EMAIL, `${field} must be a valid email address`),
  )

export const MAX_METADATA_DEPTH = 32

// Counted without recursion: a body of a million brackets must get a 400, not exhaust the stack in JSON.stringify.
function nestingDepth(value: unknown): number {
  let deepest = 0
  const pending: [unknown, number][] = [[value, 1]]
  for (let next = pending.pop(); next && deepest <= MAX_METADATA_DEPTH; next = pending.pop()) {
    const [current, depth] = next
    if (typeof current !== 'object' || current === null) continue
    deepest = Math.max(deepest, depth)
    for (const child of Object.values(current)) pending.push([child, depth + 1])
  }
  return deepest
}

const metadata = v.pipe(
  v.custom<Record<string, unknown>>(
    (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
    'metadata must be a JSON object',
  ),
  v.check((value) => nestingDepth(value) <= MAX_METADATA_DEPTH, `metadata must nest at most ${MAX_METADATA_DEPTH} levels deep`),
  v.check(
    (value) => Buffer.byteLength(JSON.stringify(value)) <= MAX_METADATA_BYTES,
    `metadata must be at most ${MAX_METADATA_BYTES} bytes as JSON`,
  ),
)

const nullable = <S extends v.GenericSchema>(schema: S) => v.nullable(schema)

export const CreateUserInput = v.strictObject({
  name,
  externalId: v.optional(nullable(textSchema('externalId', 255))),
  email: v.optional(nullable(emailSchema())),
  firstName: v.optional(nullable(textSchema('firstName', 255))),
  lastName: v.optional(nullable(textSchema('lastName', 255))),
  metadata: v.optional(metadata),
  billingPlan: v.optional(nullable(textSchema('billingPlan', 100))),
  status: v.optional(v.picklist(['active', 'pending'], 'status must be "active" or "pending"')),
})
export type CreateUserInput = v.InferInput<typeof CreateUserInput>

export const UpdateUserInput = v.strictObject({
  name: v.optional(name),
  externalId: v.optional(nullable(textSchema('externalId', 255))),
  email: v.optional(nullable(emailSchema())),
  firstName: v.optional(nullable(textSchema('firstName', 255))),
  lastName: v.optional(nullable(textSchema('lastName', 255))),
  metadata: v.optional(metadata),
  billingPlan: v.optional(nullable(textSchema('billingPlan', 100))),
})
export type UpdateUserInput = v.InferInput<typeof UpdateUserInput>

export const SuspendUserInput = v.strictObject({
  reason: v.optional(nullable(textSchema('reason', 1000))),
})
export type SuspendUserInput = v.InferInput<typeof SuspendUserInput>

/** Reactivating takes no fields; any field sent is unknown. */
export const ReactivateUserInput = v.strictObject({})
export type ReactivateUserInput = v.InferInput<typeof ReactivateUserInput>
