import * as v from 'valibot'
import { ValidationError } from '../errors.js'
import { USER_STATUSES, type User, type UserStatus } from './user.js'

export const DEFAULT_PAGE_SIZE = 50
export const MAX_PAGE_SIZE = 1000

const limit = v.pipe(
  v.number('limit must be an integer from 1 to 1000'),
  v.integer('limit must be an integer from 1 to 1000'),
  v.minValue(1, 'limit must be an integer from 1 to 1000'),
  v.maxValue(MAX_PAGE_SIZE, 'limit must be an integer from 1 to 1000'),
)
const offset = v.pipe(
  v.number('offset must be a non-negative integer'),
  v.integer('offset must be a non-negative integer'),
  v.minValue(0, 'offset must be a non-negative integer'),
)
const text = (field: string) => v.pipe(v.string(`${field} must be a string`), v.maxLength(255, `${field} must be at most 255 characters`))

export const ListUsersInput = v.strictObject({
  status: v.optional(v.picklist(USER_STATUSES, 'status must be one of active, suspended, pending')),
  billingPlan: v.optional(text('billingPlan')),
  externalId: v.optional(text('externalId')),
  email: v.optional(text('email')),
  q: v.optional(text('q')),
  limit: v.optional(limit),
  offset: v.optional(offset),
  cursor: v.optional(v.string('cursor must be a string')),
  // Query strings carry text, in-process callers booleans.
  count: v.optional(v.union([v.boolean(), v.picklist(['true', 'false'])], 'count must be true or false')),
})
export type ListUsersInput = v.InferInput<typeof ListUsersInput>

/** What a user list filters on; absent filters match every user. */
export interface UserFilters {
  readonly status?: UserStatus | undefined
  readonly billingPlan?: string | undefined
  readonly externalId?: string | undefined
  readonly email?: string | undefined
  /** A substring of the name, email or external id, ignoring case. */
  readonly q?: string | undefined
}

/** A validated list query as repositories see it: `beforeNumber` replaces the opaque cursor. */
export interface UserListQuery extends UserFilters {
  readonly limit: number
  readonly offset: number
  /** Keyset paging: only users numbered below this (the list is newest first). */
  readonly beforeNumber?: number | undefined
}

/**
 * Whether counting the users that match `filters` is O(1) on every adapter: per-status counters for no
 * filter or `status` alone, a unique index for `email` or `externalId`. Other filters are counted on request.
 */
export function countIsCheap(filters: UserFilters): boolean {
  if (filters.email !== undefined || filters.externalId !== undefined) return true
  return filters.billingPlan === undefined && filters.q === undefined
}

export interface UserPage {
  readonly users: readonly User[]
  /**
   * How many users match the filters, exact; null when it was not counted (a filter other than status,
   * email or external id, without `count: true`), so no page ever counts a whole tenant unasked.
   */
  readonly total: number | null
  readonly limit: number
  readonly offset: number
  readonly hasMore: boolean
  /** Pass back as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null
}

// The cursor is opaque to callers; it holds the last number seen so deep pages cost one index seek.
export function encodeCursor(number: number): string {
  return Buffer.from(`n:${number}`).toString('base64url')
}

export function decodeCursor(cursor: string): number {
  const match = /^n:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString())
  if (!match) throw new ValidationError('cursor', 'cursor is not a cursor returned by this list')
  return Number(match[1])
}
