import type { TenantId, UserId } from '../ids.js'
import type { HourRange, TenantUsageRows, UsageIncrement, UserUsageRows } from '../usage/usage.js'

/** Hourly usage counters; reads are scoped to one tenant. */
export interface UsageRepository {
  /** Adds each increment to its (credential, hour) counter and moves `last_used_at` forward; never reads first. */
  add(increments: readonly UsageIncrement[]): Promise<void>
  /** One user's usage in the range, per credential and per UTC day. */
  forUser(tenantId: TenantId, userId: UserId, range: HourRange): Promise<UserUsageRows>
  /**
   * The tenant's totals in the range, and one page of per-user totals by requests descending. Whole months
   * and days are read from per-user rollups kept in the same transaction as `add` (splitHourRange), so a
   * month costs one row per user with usage, and the totals equal the sum of every increment added.
   */
  forTenant(tenantId: TenantId, range: HourRange, page: { limit: number; offset: number }): Promise<TenantUsageRows>
}
