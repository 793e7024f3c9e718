import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import type { Account } from '../../src/index.js'
import { settableClock } from '../helpers/settable-clock.js'
import { createTestTenant, openTestRoster } from '../helpers/roster.js'

const DAYS = ['2026-01-01', '2026-01-02', '2026-01-03'].map((d) => `${d}T00:00:00.000Z`)
const EXPIRIES = [null, '2026-05-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z']
const TYPES = ['user', 'service', 'admin']
const LOCALS = ['ann', 'bob', 'b_o', 'cy%', 'dee', 'ann.b']
const DOMAINS = ['x.org', 'Acme.com', 'y.net']
const ROLES = ['r1', 'r2', 'r3']
const GROUPS = ['g1', 'g2']

const spec = fc.record({
  local: fc.constantFrom(...LOCALS),
  domain: fc.constantFrom(...DOMAINS),
  upper: fc.boolean(),
  accountType: fc.constantFrom(...TYPES),
  enabled: fc.boolean(),
  expiresAt: fc.constantFrom(...EXPIRIES),
  day: fc.nat(DAYS.length - 1),
  updated: fc.boolean(),
  roles: fc.subarray(ROLES),
  groups: fc.subarray(GROUPS),
  token: fc.boolean(),
})
type Spec = typeof spec extends fc.Arbitrary<infer T> ? T : never

interface Model {
  readonly account: Account
  readonly roles: readonly string[]
  readonly groups: readonly string[]
  readonly token: string | null
  readonly tokenExpiresAt: string | null
}

/** What `filter[key]=value` means, written as plainly as possible over the model. */
function holds(m: Model, key: string, value: unknown, ctx: { tenantId: string; groupIds: Record<string, string> }): boolean {
  const a = m.account
  const list = (v: unknown) => String(v).split(',')
  const nullish = value === null || value === 'null'
  switch (key) {
    case 'id': case 'person_id': return a.id === Number(value)
    case 'id__in': return list(value).map(Number).includes(a.id)
    case 'email': return nullish ? a.email === null : a.email?.toLowerCase() === String(value).toLowerCase()
    case 'email__match': {
      const pattern = String(value).toLowerCase().split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')
      return a.email !== null && new RegExp(pattern).test(a.email.toLowerCase())
    }
    case 'account_type': return a.accountType === value
    case 'account_type__in': return list(value).includes(a.accountType)
    case 'auth_type': return a.authType === value
    case 'enabled': return a.enabled === (value === 'true')
    case 'created_at': return a.createdAt === value
    case 'created_at__gte': return a.createdAt >= String(value)
    case 'created_at__lte': return a.createdAt <= String(value)
    case 'updated_at': return a.updatedAt === value
    case 'expires_at': return nullish ? a.expiresAt === null : a.expiresAt === value
    case 'expires_at__gte': return a.expiresAt !== null && a.expiresAt >= String(value)
    case 'expires_at__lte': return a.expiresAt !== null && a.expiresAt <= String(value)
    case 'password_reset_token': return nullish ? m.token === null : m.token === value
    case 'password_reset_token_expires_at': return nullish ? m.tokenExpiresAt === null : m.tokenExpiresAt === value
    case 'organization_id': return value === ctx.tenantId
    case 'role_name': return list(value).some((name) => m.roles.includes(name))
    case 'ou_accounts': return list(value).some((g) => m.groups.some((name) => name === g || ctx.groupIds[name] === g))
  }
  throw new Error(`no model for ${key}`)
}

type SortField = 'id' | 'email' | 'account_type' | 'auth_type' | 'created_at' | 'updated_at' | 'expires_at' | 'enabled'
const sortValue = (a: Account, field: SortField): string | number | null => {
  switch (field) {
    case 'id': return a.id
    case 'email': return a.email?.toLowerCase() ?? null
    case 'account_type': return a.accountType
    case 'auth_type': return a.authType
    case 'created_at': return a.createdAt
    case 'updated_at': return a.updatedAt
    case 'expires_at': return a.expiresAt
    case 'enabled': return a.enabled ? 1 : 0
  }
}
/** SQLite's order: NULL below everything, text by code unit, then id in the last key's direction. */
function compare(keys: { field: SortField; desc: boolean }[]) {
  return (x: Account, y: Account) => {
    for (const { field, desc } of [...keys, { field: 'id' as const, desc: keys.at(-1)?.desc ?? false }]) {
      const [a, b] = [sortValue(x, field), sortValue(y, field)]
      if (a === b) continue
      const order = a === null ? -1 : b === null ? 1 : a < b ? -1 : 1
      return desc ? -order : order
    }
    return 0
  }
}

describe('accounts list property', () => {
  it('any combination of filters, under any sort and page size, returns exactly the in-memory answer', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(spec, { minLength: 1, maxLength: 14 }),
        fc.boolean(),
        fc.array(fc.tuple(fc.dictionary(fc.constantFrom(
          'id', 'person_id', 'id__in', 'email', 'email__match', 'account_type', 'account_type__in', 'auth_type', 'enabled',
          'created_at', 'created_at__gte', 'created_at__lte', 'updated_at', 'expires_at', 'expires_at__gte', 'expires_at__lte',
          'password_reset_token', 'password_reset_token_expires_at', 'organization_id', 'role_name', 'ou_accounts',
        ), fc.nat(1000), { maxKeys: 4 }), fc.array(fc.record({
          field: fc.constantFrom<SortField>('id', 'email', 'account_type', 'auth_type', 'created_at', 'updated_at', 'expires_at', 'enabled'),
          desc: fc.boolean(),
        }), { maxLength: 2 }), fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 12 }),
        async (specs: Spec[], withPassword, queries) => runCase(specs, withPassword, queries),
      ),
      { numRuns: 30 },
    )
  })
})

async function runCase(specs: Spec[], withPassword: boolean, queries: [Record<string, number>, { field: SortField; desc: boolean }[], number][]) {
  const clock = settableClock(DAYS[0]!)
  const roster = await openTestRoster({ clock })
  try {
    const acme = await createTestTenant(roster, 'Acme')
    const other = await createTestTenant(roster, 'Other')
    const p = acme.principal
    const roleIds = Object.fromEntries(await Promise.all(ROLES.map(async (name) => [name, (await roster.roles.create(p, { name })).id])))
    const groupIds: Record<string, string> = Object.fromEntries(await Promise.all(GROUPS.map(async (name) => [name, (await roster.groups.create(p, { name })).id])))
    const seen = new Set<string>()
    const made: { spec: Spec; id: number; token: string | null; tokenExpiresAt: string | null }[] = []
    for (const [i, s] of specs.entries()) {
      const email = `${s.local}${i % 3}@${s.domain}`
      if (seen.has(email.toLowerCase())) continue
      seen.add(email.toLowerCase())
      clock.set(DAYS[s.day]!)
      const account = await roster.accounts.create(p, {
        email: s.upper ? email.toUpperCase() : email, accountType: s.accountType, enabled: s.enabled, expiresAt: s.expiresAt,
        ...(withPassword && i === 0 && { password: 'a long password' }),
      })
      await roster.accounts.create(other.principal, { email, accountType: s.accountType })
      if (s.roles.length > 0) await roster.roles.grant(p, account.id, s.roles.map((name) => roleIds[name]!))
      for (const g of s.groups) await roster.groups.addMember(p, groupIds[g]!, account.userId)
      made.push({ spec: s, id: account.id, token: null, tokenExpiresAt: null })
    }
    clock.set('2026-02-01T00:00:00.000Z')
    for (const m of made) {
      if (m.spec.updated) await roster.accounts.update(p, m.id, { accountType: m.spec.accountType })
      if (m.spec.token) {
        const issued = await roster.passwords.issueResetToken(p, m.id, { ttlSeconds: 3600 * (1 + (m.id % 2)) })
        m.token = issued.token
        m.tokenExpiresAt = issued.expiresAt
      }
    }
    const models: Model[] = []
    for (const m of made) {
      const { account } = await roster.accounts.get(p, m.id)
      models.push({ account, roles: m.spec.roles, groups: m.spec.groups, token: m.token, tokenExpiresAt: m.tokenExpiresAt })
    }
    const tokens = models.map((m) => m.token).filter((t): t is string => t !== null)
    const expiries = models.map((m) => m.tokenExpiresAt).filter((t): t is string => t !== null)
    // Each filter picks its value from a pool that hits some accounts and misses others.
    const pools: Record<string, unknown[]> = {
      id: [1, 2, 3, 7], person_id: [1, 4], id__in: ['1,2', '2,5,9', '3'],
      email: [`ann0@x.org`, 'BOB1@ACME.COM', 'null', `dee2@y.net`], email__match: ['a', 'ACME', 'b*o', '%', '_', 'n*.*o', 'zzz'],
      account_type: TYPES, account_type__in: ['user,admin', 'service'], auth_type: ['none', 'password'], enabled: ['true', 'false'],
      created_at: DAYS, created_at__gte: DAYS, created_at__lte: DAYS, updated_at: [...DAYS, '2026-02-01T00:00:00.000Z'],
      expires_at: EXPIRIES.map((e) => e ?? 'null'), expires_at__gte: EXPIRIES.slice(1), expires_at__lte: EXPIRIES.slice(1),
      password_reset_token: [...tokens, 'null', 'rsk_reset_unknown'], password_reset_token_expires_at: [...expiries, 'null'],
      organization_id: [acme.tenantId, other.tenantId], role_name: ['r1', 'r2,r3', 'r9'],
      ou_accounts: ['g1', 'g1,g2', groupIds.g2!, 'nope'],
    }
    const ctx = { tenantId: acme.tenantId, groupIds }
    for (const [picks, sortKeys, size] of queries) {
      const filter = Object.fromEntries(Object.entries(picks).map(([key, n]) => [key, pools[key]![n % pools[key]!.length]]))
      const unique = sortKeys.filter((k, i) => sortKeys.findIndex((o) => o.field === k.field) === i)
      const sort = unique.map((k) => (k.desc ? '-' : '') + k.field).join(',') || undefined
      const cut = unique.findIndex((k) => k.field === 'id')
      const expected = models
        .filter((m) => Object.entries(filter).every(([key, value]) => holds(m, key, value, ctx)))
        .map((m) => m.account)
        .sort(compare(cut === -1 ? unique : unique.slice(0, cut + 1)))
        .map((a) => a.id)
      const first = await roster.accounts.list(p, { filter, sort, count: true })
      assert.deepEqual(first.accounts.map((a) => a.id), expected, JSON.stringify({ filter, sort }))
      assert.equal(first.total, expected.length)
      // The same rows again, a few at a time by cursor, and by page number.
      const walked: number[] = []
      let page = await roster.accounts.list(p, { filter, sort, page: { size } })
      walked.push(...page.accounts.map((a) => a.id))
      while (page.nextCursor) {
        page = await roster.accounts.list(p, { filter, sort, page: { size, after: page.nextCursor } })
        walked.push(...page.accounts.map((a) => a.id))
      }
      assert.deepEqual(walked, expected, `cursor walk ${JSON.stringify({ filter, sort, size })}`)
      const second = await roster.accounts.list(p, { filter, sort, page: { size, number: 2 } })
      assert.deepEqual(second.accounts.map((a) => a.id), expected.slice(size, 2 * size))
    }
  } finally {
    await roster.close()
  }
}
