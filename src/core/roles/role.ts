import * as v from 'valibot'
import type { TenantId } from '../ids.js'

export type RoleId = string & { readonly __brand: 'RoleId' }

/** A tenant-scoped role that accounts hold (IAM's `roles` resource). */
export interface Role {
  readonly id: RoleId
  readonly tenantId: TenantId
  readonly name: string
  readonly description: string | null
  readonly createdAt: string
  readonly updatedAt: string | null
  /** Raised by every change to the role: its ETag, and what `ifVersion` compares. */
  readonly version: number
}

export interface NewRole {
  readonly id: RoleId
  readonly name: string
  readonly description: string | null
  readonly createdAt: string
}

/** Fields to change; an absent or undefined field is left as it is. */
export type RoleChanges = { readonly [K in 'name' | 'description']?: Role[K] | undefined } & { readonly updatedAt: string }

export const MAX_ROLE_NAME = 100

// No commas: filter[role_name] takes a comma-separated list of names.
const name = v.pipe(
  v.string('name is required and must be a non-empty string'),
  v.trim(),
  v.nonEmpty('name is required and must be a non-empty string'),
  v.maxLength(MAX_ROLE_NAME, `name must be at most ${MAX_ROLE_NAME} characters`),
  v.regex(/^[^,]*$/, 'name must not contain a comma'),
)
const description = v.nullable(
  v.pipe(v.string('description must be a string'), v.trim(), v.maxLength(1000, 'description must be at most 1000 characters')),
)

export const CreateRoleInput = v.strictObject({ name, description: v.optional(description) })
export type CreateRoleInput = v.InferInput<typeof CreateRoleInput>

export const UpdateRoleInput = v.strictObject({ name: v.optional(name), description: v.optional(description) })
export type UpdateRoleInput = v.InferInput<typeof UpdateRoleInput>

/** A role list as repositories run it. */
export interface RoleListQuery {
  readonly name?: string | undefined
  /** Lower-cased; `*` matches any run of characters, anywhere in the name. */
  readonly nameMatch?: string | undefined
  readonly sort: readonly { readonly field: 'name' | 'createdAt' | 'updatedAt'; readonly descending: boolean }[]
  readonly limit: number
  readonly offset: number
}
