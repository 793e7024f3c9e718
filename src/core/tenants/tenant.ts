import type { TenantId, UserId } from '../ids.js'

/** The isolation boundary: the admin surface's entity, the account-users `accountId`, the IAM `organization`. */
export interface Tenant {
  readonly id: TenantId
  readonly name: string
  readonly ownerUserId: UserId | null
  readonly createdAt: string
}
