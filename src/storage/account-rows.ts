import type { Account } from '../core/accounts/account.js'
import type { TenantId, UserId } from '../core/ids.js'
import type { UserStatus } from '../core/users/user.js'

// An IAM account as both adapters select it from `users`, and its mapping to the core's Account.

export interface AccountRow {
  user_id: string
  tenant_id: string
  number: number
  email: string | null
  first_name: string | null
  last_name: string | null
  name: string
  account_type: string
  auth_type: string
  status: string
  created_at: string
  updated_at: string
  expires_at: string | null
  version: number
}

/** The column each IAM-only change writes. */
export const ACCOUNT_CHANGE_COLUMNS = { accountType: 'account_type', expiresAt: 'expires_at', updatedAt: 'updated_at' } as const

export function toAccount(row: AccountRow): Account {
  const status = row.status as UserStatus
  return {
    id: row.number,
    userId: row.user_id as UserId,
    tenantId: row.tenant_id as TenantId,
    email: row.email,
    accountType: row.account_type,
    authType: row.auth_type,
    status,
    enabled: status === 'active',
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    personId: row.number,
    person: { id: row.number, firstName: row.first_name, lastName: row.last_name, name: row.name, email: row.email },
    version: row.version,
  }
}
