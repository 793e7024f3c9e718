import type { Account, AccountChanges } from '../accounts/account.js'
import type { AccountQuery } from '../accounts/account-query.js'
import type { TenantId, UserId } from '../ids.js'

/** Users of one tenant seen as IAM accounts. No method ever reads or writes another tenant's rows. */
export interface AccountRepository {
  /** The account with this per-tenant number, or null. */
  findByNumber(tenantId: TenantId, number: number): Promise<Account | null>
  /** The account of this user, or null when the user is not in this tenant. */
  findByUserId(tenantId: TenantId, userId: UserId): Promise<Account | null>
  /**
   * At most `query.limit` accounts meeting every condition, in `query.sort` order: from `query.offset`,
   * or the ones right after the cursor, or (for a `before` cursor) the ones right before it. A cursor page
   * costs the page at any depth; an `email` match of three or more characters between its `*`s is looked
   * up in a substring index, and role and group conditions through their membership indexes.
   */
  list(tenantId: TenantId, query: AccountQuery): Promise<Account[]>
  /**
   * How many accounts meet every condition, exact. O(1) with no condition, `enabled` alone, or one role or
   * group alone: counters kept in the same transaction as every write that moves them.
   */
  count(tenantId: TenantId, conditions: AccountQuery['conditions']): Promise<number>
  /** Writes the IAM-only fields of the user and raises its version; false when it is not in this tenant. */
  update(tenantId: TenantId, userId: UserId, changes: AccountChanges): Promise<boolean>
}
