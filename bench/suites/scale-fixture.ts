import { randomUUID } from 'node:crypto'
import type Database from 'better-sqlite3'
import { generateSecret, hashSecret, visiblePrefix } from '../../src/core/secrets.js'
import { loadInBulk } from '../lib/bulk-load.js'

const HOUR_MS = 3_600_000
const EPOCH = Date.parse('2024-01-01T00:00:00.000Z')
const DOMAINS = ['acme.com', 'example.org', 'mail.net', 'corp.io'] as const

/** What the scale figures filter on, in the same proportions at every size. */
export const SCALE = {
  /** 1 in 100 users has an email at this domain: `q` and `filter[email__match]` on it match 1%. */
  rareDomain: 'zebra-corp.com',
  /** Held by 1 in 10 users. */
  role: 'member',
  /** 1 in 10 users is in it. */
  group: 'team',
} as const

export interface ScaleTenant {
  readonly tenantId: string
  readonly users: number
}

/**
 * One tenant of `users` users, straight through better-sqlite3 (roster's triggers keep counters and
 * the search index): 2% suspended, 1% with an email at SCALE.rareDomain, 10% holding SCALE.role,
 * 10% in SCALE.group.
 */
export function loadScaleTenant(handle: Database.Database, users: number): ScaleTenant {
  const tenantId = randomUUID()
  const at = new Date(EPOCH).toISOString()
  const insertUser = handle.prepare(
    `insert into users (id, tenant_id, number, external_id, name, first_name, last_name, email, email_lower, metadata,
      status, suspended_reason, billing_plan, account_type, auth_type, expires_at, created_at, updated_at, admin_key_id)
     values (?, ?, ?, ?, ?, 'Person', ?, ?, ?, '{}', ?, null, ?, 'user', 'none', null, ?, null, null)`,
  )
  const grant = handle.prepare('insert into user_roles (tenant_id, user_id, role_id, created_at) values (?, ?, ?, ?)')
  const join = handle.prepare('insert into group_memberships (tenant_id, group_id, user_id, created_at) values (?, ?, ?, ?)')
  const [roleId, groupId] = [randomUUID(), randomUUID()]
  loadInBulk(handle, () => {
    handle.prepare('insert into tenants (id, name, owner_user_id, next_user_number, created_at) values (?, ?, null, ?, ?)').run(tenantId, 'Scale Tenant', users + 1, at)
    handle.prepare('insert into roles (id, tenant_id, name, description, created_at, updated_at) values (?, ?, ?, null, ?, null)').run(roleId, tenantId, SCALE.role, at)
    handle.prepare('insert into groups (id, tenant_id, name, created_at, updated_at) values (?, ?, ?, ?, null)').run(groupId, tenantId, SCALE.group, at)
    for (let n = 1; n <= users; n++) {
      const id = randomUUID()
      const email = `person.${n}@${n % 100 === 7 ? SCALE.rareDomain : DOMAINS[n % DOMAINS.length]}`
      insertUser.run(id, tenantId, n, `ext-${n}`, `Person ${n}`, `N${n}`, email, email, n % 50 === 0 ? 'suspended' : 'active',
        n % 3 === 0 ? 'pro' : 'free', new Date(EPOCH + n * 1000).toISOString())
      if (n % 10 === 3) grant.run(tenantId, id, roleId, at)
      if (n % 10 === 5) join.run(tenantId, groupId, id, at)
    }
  })
  return { tenantId, users }
}

/** Hours of the current UTC month, which a summary without a period covers. */
export function currentMonthHours(now = Date.now()): { fromHour: number; toHour: number } {
  const date = new Date(now)
  const from = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1)
  const to = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1)
  return { fromHour: from / HOUR_MS, toHour: to / HOUR_MS }
}

/**
 * One credential each for the tenant's first `users` users and `hourlyRows` hourly usage rows against
 * them, spread over the current month's hours (as roster's metering would have left them; the rollup
 * triggers fill the daily and monthly totals). Returns the sum of every row's requests.
 */
export function bulkLoadUsage(handle: Database.Database, tenantId: string, scale: { users: number; hourlyRows: number }): number {
  const userIds = handle.prepare('select id from users where tenant_id = ? order by number limit ?').pluck().all(tenantId, scale.users) as string[]
  const insertCredential = handle.prepare(
    `insert into credentials (id, tenant_id, user_id, name, secret_hash, prefix, created_at, expires_at, revoked_at, created_by_key_id)
     values (?, ?, ?, 'bench', ?, ?, ?, null, null, null)`,
  )
  const insertUsage = handle.prepare(
    'insert into usage_hourly (credential_id, hour, tenant_id, user_id, requests, units, last_used_at) values (?, ?, ?, ?, ?, ?, ?)',
  )
  const { fromHour, toHour } = currentMonthHours()
  const hours = toHour - fromHour
  let total = 0
  handle.pragma('cache_size = -262144')
  handle.transaction(() => {
    const credentials = userIds.map((userId) => {
      const id = randomUUID()
      const secret = generateSecret('credential')
      insertCredential.run(id, tenantId, userId, hashSecret(secret), visiblePrefix(secret), new Date(fromHour * HOUR_MS).toISOString())
      return { id, userId }
    })
    // Row r goes to credential r mod n, hour r div n: distinct (credential, hour) pairs, the month filled evenly.
    const rows = Math.min(scale.hourlyRows, credentials.length * hours)
    for (let r = 0; r < rows; r++) {
      const credential = credentials[r % credentials.length]!
      const hour = fromHour + (Math.floor(r / credentials.length) * 7919) % hours
      const requests = 1 + (r % 97)
      total += requests
      insertUsage.run(credential.id, hour, tenantId, credential.userId, requests, requests * 2, new Date(hour * HOUR_MS).toISOString())
    }
  }).immediate()
  handle.pragma('wal_checkpoint(TRUNCATE)')
  return total
}
