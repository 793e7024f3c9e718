import { randomUUID } from 'node:crypto'
import type Database from 'better-sqlite3'
import { loadInBulk } from '../lib/bulk-load.js'

export const IAM_EPOCH = Date.parse('2025-01-01T00:00:00.000Z')
const DOMAINS = ['acme.com', 'example.org', 'mail.net', 'corp.io'] as const
const ROLES = ['admin', 'billing', 'support', 'auditor', 'developer'] as const
const GROUPS = ['engineering', 'sales', 'finance', 'operations', 'legal'] as const

/** The tenant holding most accounts, plus what the figures filter on. */
export interface IamFixture {
  readonly bigTenantId: string
  readonly accounts: number
  readonly otherTenants: readonly string[]
}

/**
 * Loads `accounts` accounts into one tenant and `others` accounts spread over `tenants` more, interleaved
 * as a live installation writes them, straight through better-sqlite3. Attributes vary the way the IAM
 * filters need: 1% admin and 10% service accounts, 5% suspended and 1% pending, a third with passwords,
 * a fifth expiring, 30% updated since creation, and a tenth holding a role or sitting in a group.
 */
export function loadIamAccounts(handle: Database.Database, scale: { accounts: number; tenants: number; others: number }): IamFixture {
  const insertTenant = handle.prepare('insert into tenants (id, name, owner_user_id, next_user_number, created_at) values (?, ?, null, ?, ?)')
  const insertUser = handle.prepare(
    `insert into users (id, tenant_id, number, external_id, name, first_name, last_name, email, email_lower, metadata,
      status, suspended_reason, billing_plan, account_type, auth_type, expires_at, created_at, updated_at, admin_key_id, password_hash)
     values (?, ?, ?, null, ?, ?, ?, ?, ?, '{}', ?, null, null, ?, ?, ?, ?, ?, null, ?)`,
  )
  const insertRole = handle.prepare('insert into roles (id, tenant_id, name, description, created_at, updated_at) values (?, ?, ?, null, ?, null)')
  const grant = handle.prepare('insert into user_roles (tenant_id, user_id, role_id, created_at) values (?, ?, ?, ?)')
  const insertGroup = handle.prepare('insert into groups (id, tenant_id, name, created_at, updated_at) values (?, ?, ?, ?, null)')
  const join = handle.prepare('insert into group_memberships (tenant_id, group_id, user_id, created_at) values (?, ?, ?, ?)')
  const big = randomUUID()
  const others = Array.from({ length: scale.tenants }, () => randomUUID())
  const perOther = Math.floor(scale.others / scale.tenants)
  const created = new Date(IAM_EPOCH).toISOString()
  const every = Math.max(1, Math.floor(scale.accounts / Math.max(1, scale.others)))

  const load = () => {
    insertTenant.run(big, 'Big Tenant', scale.accounts + 1, created)
    others.forEach((id, t) => insertTenant.run(id, `Tenant ${t}`, perOther + 1, created))
    const roleIds = ROLES.map((name) => { const id = randomUUID(); insertRole.run(id, big, name, created); return id })
    const groupIds = GROUPS.map((name) => { const id = randomUUID(); insertGroup.run(id, big, name, created); return id })
    const account = (tenant: string, n: number, domain: string) => {
      const at = IAM_EPOCH + n * 30_000
      const email = `person.${n}@${domain}`
      const id = randomUUID()
      insertUser.run(
        id, tenant, n, `Person ${n}`, 'Person', `N${n}`, email, email,
        n % 20 === 0 ? 'suspended' : n % 97 === 0 ? 'pending' : 'active',
        n % 100 === 1 ? 'admin' : n % 10 === 0 ? 'service' : 'user',
        n % 3 === 0 ? 'password' : 'none',
        n % 5 === 0 ? new Date(at + (n % 730) * 86_400_000).toISOString() : null,
        new Date(at).toISOString(),
        n % 10 < 3 ? new Date(at + 3_600_000).toISOString() : null,
        n % 3 === 0 ? 'scrypt$15$8$1$bench$bench' : null,
      )
      return id
    }
    let other = 0
    for (let n = 1; n <= scale.accounts; n++) {
      const userId = account(big, n, DOMAINS[n % DOMAINS.length]!)
      // One small role (admin: 1 in 1,000) and four large ones (2.5% each); five groups of 1 in 100.
      if (n % 1000 === 7) grant.run(big, userId, roleIds[0], created)
      if (n % 10 === 7) grant.run(big, userId, roleIds[1 + (Math.floor(n / 10) % 4)], created)
      if (n % 20 === 3) join.run(big, groupIds[Math.floor(n / 20) % 5], userId, created)
      if (n % every === 0 && other < perOther * scale.tenants) {
        const t = other % scale.tenants
        account(others[t]!, Math.floor(other / scale.tenants) + 1, `tenant${t}.example.com`)
        other++
      }
    }
  }
  loadInBulk(handle, load)
  return { bigTenantId: big, accounts: scale.accounts, otherTenants: others }
}
