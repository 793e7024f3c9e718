import * as v from 'valibot'
import type { GroupMembership } from '../groups/group.js'
import { textSchema } from '../text-schema.js'
import { emailSchema, type User } from '../users/user.js'

/** A user as seed 003 shows it: the user with the groups it belongs to. */
export type AccountUser = User & { readonly groupMemberships: readonly GroupMembership[] }

/** One page of an account: its owner (on every page, never among `users`) and its other users, oldest first. */
export interface AccountUserPage {
  readonly owner: AccountUser | null
  readonly users: readonly AccountUser[]
  /** Users other than the owner. */
  readonly total: number
  readonly limit: number
  readonly offset: number
  readonly hasMore: boolean
}

export const DEFAULT_ACCOUNT_USERS_LIMIT = 100
export const MAX_ACCOUNT_USERS_LIMIT = 1000

const required = (field: string) => `${field} is required and must be a non-empty string`

// Seed 003 requires all three fields.
export const CreateAccountUserInput = v.strictObject({
  email: v.pipe(v.string(required('email')), emailSchema('email')),
  firstName: textSchema('firstName', 255, required('firstName')),
  lastName: textSchema('lastName', 255, required('lastName')),
})
export type CreateAccountUserInput = v.InferInput<typeof CreateAccountUserInput>

const LIMIT_MESSAGE = `limit must be an integer from 1 to ${MAX_ACCOUNT_USERS_LIMIT}`
const OFFSET_MESSAGE = 'offset must be a non-negative integer'

export const ListAccountUsersInput = v.strictObject({
  limit: v.optional(v.pipe(v.number(LIMIT_MESSAGE), v.integer(LIMIT_MESSAGE), v.minValue(1, LIMIT_MESSAGE), v.maxValue(MAX_ACCOUNT_USERS_LIMIT, LIMIT_MESSAGE))),
  offset: v.optional(v.pipe(v.number(OFFSET_MESSAGE), v.safeInteger(OFFSET_MESSAGE), v.minValue(0, OFFSET_MESSAGE))),
})
export type ListAccountUsersInput = v.InferInput<typeof ListAccountUsersInput>
