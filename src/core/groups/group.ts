import * as v from 'valibot'
import type { TenantId } from '../ids.js'
import { textSchema } from '../text-schema.js'

export type GroupId = string & { readonly __brand: 'GroupId' }

/** A named set of users of one tenant (seed 003's group memberships, seed 002's `ou_accounts`). */
export interface Group {
  readonly id: GroupId
  readonly tenantId: TenantId
  /** Unique in the tenant, compared exactly. */
  readonly name: string
  readonly createdAt: string
  readonly updatedAt: string | null
  /** Raised by every change to the group: its ETag, and what `ifVersion` compares. */
  readonly version: number
}

export type NewGroup = Pick<Group, 'id' | 'name' | 'createdAt'>

/** One group a user belongs to, as listed on the user. */
export interface GroupMembership {
  readonly groupId: GroupId
  readonly name: string
}

export const MAX_GROUP_NAME_LENGTH = 255
const name = textSchema('name', MAX_GROUP_NAME_LENGTH, 'name is required and must be a non-empty string')

export const CreateGroupInput = v.strictObject({ name })
export type CreateGroupInput = v.InferInput<typeof CreateGroupInput>

export const RenameGroupInput = v.strictObject({ name })
export type RenameGroupInput = v.InferInput<typeof RenameGroupInput>
