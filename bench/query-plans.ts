// Prints SQLite's query plan for every list and count query roster runs for a catalogue of requests,
// flags any that scan users or sort in a temporary B-tree, and lists which indexes on users some plan
// uses. `npm run plans` builds a 200,000-account tenant first (--accounts N for another size).
import Database from 'better-sqlite3'
import { parseArgs } from 'node:util'
import { openRoster, type Roster } from '../src/index.js'
import type { AdminPrincipal } from '../src/core/principal.js'
import { loadIamAccounts } from './suites/iam-fixture.js'
import { bulkLoadUsage } from './suites/scale-fixture.js'
import { createTempFolder } from './lib/temp-folder.js'

interface Run {
  readonly sql: string
  readonly args: unknown[]
}

// Every statement prepared from here on records its runs while `recording` is set: installed before
// roster opens, so statements it prepares once at open are seen too.
const runs: Run[] = []
let recording = false
const proto = (Database as unknown as { prototype: { prepare(sql: string): Database.Statement } }).prototype
const prepare = proto.prepare
proto.prepare = function (this: Database.Database, sql: string) {
  const statement = prepare.call(this, sql)
  for (const method of ['get', 'all', 'run', 'iterate'] as const) {
    const original = statement[method].bind(statement) as (...args: unknown[]) => unknown
    ;(statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      if (recording) runs.push({ sql, args })
      return original(...args)
    }
  }
  return statement
}

/** The statements `work` runs, with their arguments. */
async function capture(work: () => Promise<unknown>): Promise<Run[]> {
  runs.length = 0
  recording = true
  try {
    await work()
  } finally {
    recording = false
  }
  return [...runs]
}

function catalogue(roster: Roster, admin: AdminPrincipal): [string, () => Promise<unknown>][] {
  const users = (input: object) => () => roster.users.list(admin, input as never)
  const accounts = (input: object) => () => roster.accounts.list(admin, input as never)
  const sorts = ['id', '-id', 'email', '-email', 'created_at', '-created_at', 'updated_at', '-updated_at', 'expires_at', '-expires_at',
    'account_type', '-account_type', 'auth_type', '-auth_type', 'enabled', '-enabled']
  return [
    ['admin list, first page', users({ limit: 50 })],
    ['admin list, deep page by cursor', users({ limit: 50, cursor: Buffer.from('n:1000').toString('base64url') })],
    ['admin list, status=suspended', users({ status: 'suspended' })],
    ['admin list, billing_plan + count', users({ billingPlan: 'pro', count: true })],
    ['admin list, external_id', users({ externalId: 'nobody' })],
    ['admin list, email', users({ email: 'person.5@acme.com' })],
    ['admin list, q (1% match)', users({ q: 'person.12' })],
    ['admin list, q + count', users({ q: 'person.12', count: true })],
    ['admin list, q + cursor', users({ q: 'person.12', cursor: Buffer.from('n:100000').toString('base64url') })],
    ['admin list, q of 2 characters', users({ q: '.9' })],
    ['IAM page + count', accounts({ page: { size: 50 }, count: true })],
    ['IAM enabled + count', accounts({ filter: { enabled: 'false' }, page: { size: 50 }, count: true })],
    ['IAM email__match + count', accounts({ filter: { email__match: 'person.12' }, page: { size: 50 }, count: true })],
    ['IAM email__match sorted by created_at', accounts({ filter: { email__match: 'person.12345' }, sort: '-created_at', page: { size: 50 } })],
    ['IAM role_name (2.5%) + count', accounts({ filter: { role_name: 'billing' }, page: { size: 50 }, count: true })],
    ['IAM role_name (0.1%) + count', accounts({ filter: { role_name: 'admin' }, page: { size: 50 }, count: true })],
    ['IAM role_name, two roles + count', accounts({ filter: { role_name: 'admin,billing' }, page: { size: 50 }, count: true })],
    ['IAM ou_accounts + count', accounts({ filter: { ou_accounts: 'engineering' }, page: { size: 50 }, count: true })],
    ['IAM type + enabled + created since, -created_at + count', accounts({ filter: { account_type: 'user', enabled: 'true', created_at__gte: '2025-06-01T00:00:00Z' }, sort: '-created_at', page: { size: 50 }, count: true })],
    ['IAM expires_at range + count', accounts({ filter: { expires_at__gte: '2026-01-01T00:00:00Z', expires_at__lte: '2026-02-01T00:00:00Z' }, page: { size: 50 }, count: true })],
    ['IAM auth_type + count', accounts({ filter: { auth_type: 'password' }, page: { size: 50 }, count: true })],
    ['IAM id__in', accounts({ filter: { id__in: '1,2,3' }, page: { size: 50 } })],
    ['IAM email', accounts({ filter: { email: 'person.7@corp.io' }, page: { size: 50 } })],
    ['IAM password_reset_token', accounts({ filter: { password_reset_token: 'rsk_reset_unknown' }, page: { size: 50 } })],
    ...sorts.map((sort): [string, () => Promise<unknown>] => [`IAM sort=${sort}`, accounts({ sort, page: { size: 50 } })]),
    ['account users page (seed 003)', () => roster.accountUsers.list(admin, admin.tenantId, { limit: 100, offset: 0 })],
    ['usage summary, this month', () => roster.usage.summary(admin, {})],
    ['usage summary, last 24 h', () => roster.usage.summary(admin, { from: new Date(Date.now() - 86_400_000).toISOString() })],
  ]
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { accounts: { type: 'string', default: '200000' } } })
  const folder = createTempFolder('plans')
  const path = folder.file('roster.db')
  let roster = await openRoster({ path, durability: 'normal' })
  const handle = new Database(path)
  try {
    const accounts = Number(values.accounts)
    const fixture = loadIamAccounts(handle, { accounts, tenants: 10, others: Math.min(accounts, 5_000) })
    bulkLoadUsage(handle, fixture.bigTenantId, { users: 1_500, hourlyRows: Math.min(accounts, 200_000) })
    // Reopened, so roster's open-time PRAGMA optimize gathers statistics on the loaded data, as in a live installation.
    await roster.close()
    roster = await openRoster({ path, durability: 'normal' })
    const admin = roster.principals.tenant(fixture.bigTenantId)
    const plans = (sql: string, args: unknown[]) =>
      (handle.prepare(`explain query plan ${sql}`).all(...(args as never[])) as { detail: string }[]).map((row) => row.detail)
    const used = new Set<string>()
    const flagged: string[] = []
    for (const [label, call] of catalogue(roster, admin)) {
      const runs = await capture(call)
      console.log(`\n## ${label}`)
      for (const run of runs) {
        if (!/^\s*(with|select)/i.test(run.sql)) continue
        const plan = plans(run.sql, run.args)
        for (const line of plan) for (const [, index] of line.matchAll(/INDEX (\w+)/g)) used.add(index!)
        const bad = plan.filter((line) => /^SCAN users\b|TEMP B-TREE/.test(line))
        if (bad.length > 0) flagged.push(`${label}: ${bad.join('; ')}`)
        console.log(`  ${run.sql.replace(/\s+/g, ' ').slice(0, 160)}${run.sql.length > 160 ? '…' : ''}`)
        for (const line of plan) console.log(`    ${line}`)
      }
    }
    const indexes = handle.prepare("select name from sqlite_master where type = 'index' and tbl_name = 'users' order by name").pluck().all() as string[]
    console.log('\n## indexes on users')
    for (const index of indexes) console.log(`  ${used.has(index) ? 'used  ' : 'UNUSED'} ${index}`)
    console.log(`\n## plans that scan users or sort in a temporary B-tree (${flagged.length})`)
    for (const line of flagged) console.log(`  ${line}`)
  } finally {
    await roster.close()
    handle.close()
    folder.remove()
  }
}

await main()
