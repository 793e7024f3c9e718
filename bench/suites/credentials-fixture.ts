import { randomUUID } from 'node:crypto'
import type Database from 'better-sqlite3'
import { generateSecret, hashSecret, visiblePrefix } from '../../src/core/secrets.js'
import type { LoadedTenant } from '../lib/bulk-load.js'

const HOUR_MS = 3_600_000
// Bulk-loaded usage spreads over the last 60 days, so "last 24 h" and "this month" both find rows.
const HISTORY_HOURS = 60 * 24
// The largest tenant holds this share of all credentials (and so of all usage); the rest spread evenly.
const LARGEST_SHARE = 0.1

export interface CredentialsScale {
  readonly credentials: number
  readonly usageRows: number
  /** How many credentials the verification figures draw from. */
  readonly hot: number
}

export interface HotCredential {
  readonly secret: string
  readonly hash: string
}

export interface LoadedCredentials {
  /** The tenant with the most credentials and usage: the summaries' worst case. */
  readonly largest: LoadedTenant
  /** Its user with the most credentials, for the per-user report. */
  readonly busiestUserId: string
  /** Credentials of every tenant, in random order, whose secrets the verification figures present. */
  readonly hot: readonly HotCredential[]
  readonly usageRows: number
}

/**
 * Issues `credentials` credentials to users of the loaded tenants (a tenth to the first tenant) and
 * writes `usageRows` hourly usage rows against them, straight through better-sqlite3 in one
 * transaction, as roster's own metering would have left them.
 */
export function bulkLoadCredentials(handle: Database.Database, tenants: readonly LoadedTenant[], scale: CredentialsScale): LoadedCredentials {
  // Only active users: a suspended user's credential would not verify.
  const usersOf = new Map<string, string[]>(tenants.map((t) => [t.id, []]))
  for (const row of handle.prepare("select id, tenant_id from users where status = 'active'").iterate() as Iterable<{ id: string; tenant_id: string }>) {
    usersOf.get(row.tenant_id)?.push(row.id)
  }
  const largest = tenants[0]!
  const inLargest = Math.round(scale.credentials * LARGEST_SHARE)
  const insertCredential = handle.prepare(
    `insert into credentials (id, tenant_id, user_id, name, secret_hash, prefix, created_at, expires_at, revoked_at, created_by_key_id)
     values (?, ?, ?, ?, ?, ?, ?, null, null, null)`,
  )
  const insertUsage = handle.prepare(
    'insert into usage_hourly (credential_id, hour, tenant_id, user_id, requests, units, last_used_at) values (?, ?, ?, ?, ?, ?, ?)',
  )
  const credentials: { id: string; tenantId: string; userId: string; secret: string; hash: string }[] = []
  const perUser = new Map<string, number>()
  for (let i = 0; i < scale.credentials; i++) {
    const tenant = i < inLargest ? largest : tenants[1 + ((i - inLargest) % Math.max(1, tenants.length - 1))] ?? largest
    const users = usersOf.get(tenant.id)!
    const userId = users[Math.floor(Math.random() * users.length)]!
    const secret = generateSecret('credential')
    credentials.push({ id: randomUUID(), tenantId: tenant.id, userId, secret, hash: hashSecret(secret) })
    if (tenant === largest) perUser.set(userId, (perUser.get(userId) ?? 0) + 1)
  }
  const currentHour = Math.floor(Date.now() / HOUR_MS)
  const rowsPer = Math.floor(scale.usageRows / scale.credentials)
  const extra = scale.usageRows - rowsPer * scale.credentials
  const load = () => {
    const createdAt = new Date((currentHour - HISTORY_HOURS - 1) * HOUR_MS).toISOString()
    credentials.forEach((c, i) => {
      insertCredential.run(c.id, c.tenantId, c.userId, `bench ${i}`, c.hash, visiblePrefix(c.secret), createdAt)
      for (const hour of distinctHours(rowsPer + (i < extra ? 1 : 0), currentHour)) {
        const requests = 1 + Math.floor(Math.random() * 200)
        const lastUsedAt = new Date((hour + 1) * HOUR_MS - 1000).toISOString()
        insertUsage.run(c.id, hour, c.tenantId, c.userId, requests, requests * (1 + Math.floor(Math.random() * 3)), lastUsedAt)
      }
    })
  }
  handle.pragma('cache_size = -262144')
  handle.transaction(load).immediate()
  handle.pragma('wal_checkpoint(TRUNCATE)')
  handle.exec('analyze')
  const busiestUserId = [...perUser.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? usersOf.get(largest.id)![0]!
  const hot = shuffle(credentials).slice(0, scale.hot).map(({ secret, hash }) => ({ secret, hash }))
  return { largest, busiestUserId, hot, usageRows: scale.usageRows }
}

/** `count` distinct hours among the HISTORY_HOURS before `currentHour`, ascending. */
function distinctHours(count: number, currentHour: number): number[] {
  const picked = new Set<number>()
  const n = Math.min(count, HISTORY_HOURS)
  while (picked.size < n) picked.add(currentHour - 1 - Math.floor(Math.random() * HISTORY_HOURS))
  return [...picked].sort((a, b) => a - b)
}

function shuffle<T>(items: readonly T[]): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

/** Indices into `n` items drawn with probability proportional to 1/rank (Zipf, s = 1): a few keys carry most traffic. */
export function zipfDraws(n: number, count: number): number[] {
  const weights = Array.from({ length: n }, (_, rank) => 1 / (rank + 1))
  const cumulative: number[] = []
  let total = 0
  for (const w of weights) cumulative.push((total += w))
  return Array.from({ length: count }, () => {
    const x = Math.random() * total
    let [lo, hi] = [0, n - 1]
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid]! < x) lo = mid + 1
      else hi = mid
    }
    return lo
  })
}
