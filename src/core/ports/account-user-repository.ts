import type { TenantId } from '../ids.js'
import type { User } from '../users/user.js'

/** A tenant's users as seed 003 lists them: everyone but the tenant's owner. */
export interface AccountUserRepository {
  /**
   * One page of the tenant's users other than its owner, oldest first (so pages stay put while
   * users are added), and how many such users there are, counted in O(1) from the tenant's counters.
   */
  page(tenantId: TenantId, page: { limit: number; offset: number }): Promise<{ users: User[]; total: number }>
}
