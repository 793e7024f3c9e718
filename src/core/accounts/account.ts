import type { TenantId, UserId } from '../ids.js'
import type { UserStatus } from '../users/user.js'

/** A user as the IAM surface sees it: one account per user, numbered per tenant. */
export interface Account {
  /** The user's per-tenant number: the IAM `id` and resource id. */
  readonly id: number
  readonly userId: UserId
  readonly tenantId: TenantId
  readonly email: string | null
  readonly accountType: string
  /** `password` once a password is set, else `none`. */
  readonly authType: string
  readonly status: UserStatus
  /** `status == 'active'`. */
  readonly enabled: boolean
  readonly createdAt: string
  /** The last change, or the creation time for an account never changed (IAM's `updated_at` is never null). */
  readonly updatedAt: string
  readonly expiresAt: string | null
  /** Person and account are one-to-one, so the person shares the account's number. */
  readonly personId: number
  readonly person: Person
  /** The user's version (see User.version). */
  readonly version: number
}

/** The profile of the person behind an account (IAM's `people` resource). */
export interface Person {
  readonly id: number
  readonly firstName: string | null
  readonly lastName: string | null
  readonly name: string
  readonly email: string | null
}

/** IAM-only columns a repository changes beside the user fields. */
export interface AccountChanges {
  readonly accountType?: string
  readonly expiresAt?: string | null
  readonly updatedAt: string
}

/** The account type the tenant's owner has; it is given by the tenants service only. */
export const OWNER_ACCOUNT_TYPE = 'owner'
export const DEFAULT_ACCOUNT_TYPE = 'user'
export const AUTH_TYPES = ['none', 'password'] as const
