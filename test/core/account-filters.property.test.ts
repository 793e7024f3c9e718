import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import type { Account, Roster } from '../../src/index.js'
import { createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { settableClock } from '../helpers/settable-clock.js'

// One fixed tenant of varied accounts; the property draws filter combinations, sorts and page sizes over it.
const DAYS = ['2026-02-01', '2026-02-02', '2026-02-03', '2026-02-04'].map((d) => `${d}T00:00:00.000Z`)
const EXPIRIES = [null, '2026-06-01T00:00:00.000Z', '2026-09-01T00:00:00.000Z']
const TYPES = ['user', 'service', 'bot']
const LOCALS = ['ann', 'bo_b', 'cy', 'ann.lee', 'dan%']
const DOMAINS = ['a.org', 'b.net']
const ROLES = ['r1', 'r2', 'r3']
const GROUPS = ['g1', 'g2']
const COUNT = 36

interface Row { account: Account; roles: string[]; groups: string[] }

const matches = (email: string | null, pattern: string) => {
  if (email === null) return false
  const lower = email.toLowerCase()
  const parts = pattern.toLowerCase().split('*')
  let at = 0
  for (const part of parts) {
    const found = lower.indexOf(part, at)
    if (found === -1) return false
    at = found + part.length
  }
  return true
}

type Filter = Record<string, string>
const valuesArb = fc.record({
  id__in: fc.subarray([1, 2, 3, 5, 8, 13, 21, 34], { minLength: 1 }).map((ids) => ids.join(',')),
  email__match: fc.constantFrom('ann', 'A*E', '.org', 'b_', '%', '*n*t', 'zz'),
  email: fc.constantFrom('null', 'cy@a.org', 'ann@b.net'),
  account_type: fc.constantFrom(...TYPES),
  account_type__in: fc.subarray(TYPES, { minLength: 1 }).map((t) => t.join(',')),
  auth_type: fc.constantFrom('none', 'password'),
  enabled: fc.constantFrom('true', 'false'),
  created_at__gte: fc.constantFrom(...DAYS),
  created_at__lte: fc.constantFrom(...DAYS),
  expires_at: fc.constantFrom('null', ...EXPIRIES.slice(1) as string[]),
  expires_at__gte: fc.constantFrom(...EXPIRIES.slice(1) as string[]),
  expires_at__lte: fc.constantFrom(...EXPIRIES.slice(1) as string[]),
  role_name: fc.subarray(ROLES, { minLength: 1 }).map((r) => r.join(',')),
})
// At most three filters at once: more would nearly always match nothing and prove little.
const FILTER_KEYS = ['id__in', 'email__match', 'email', 'account_type', 'account_type__in', 'auth_type', 'enabled',
  'created_at__gte', 'created_at__lte', 'expires_at', 'expires_at__gte', 'expires_at__lte', 'role_name'] as const
const filterArb = fc.tuple(valuesArb, fc.shuffledSubarray([...FILTER_KEYS], { maxLength: 3 }))
  .map(([values, keys]): Filter => Object.fromEntries(keys.map((k) => [k, values[k]])))

function keep(row: Row, filter: Filter, groupIds: Record<string, string>): boolean {
  const a = row.account
  return Object.entries(filter).every(([key, value]) => {
    switch (key) {
      case 'id__in': return value.split(',').map(Number).includes(a.id)
      case 'email__match': return matches(a.email, value)
      case 'email': return value === 'null' ? a.email === null : a.email?.toLowerCase() === value
      case 'account_type': return a.accountType === value
      case 'account_type__in': return value.split(',').includes(a.accountType)
      case 'auth_type': return a.authType === value
      case 'enabled': return String(a.enabled) === value
      case 'created_at__gte': return a.createdAt >= value
      case 'created_at__lte': return a.createdAt <= value
      case 'expires_at': return value === 'null' ? a.expiresAt === null : a.expiresAt === value
      case 'expires_at__gte': return a.expiresAt !== null && a.expiresAt >= value
      case 'expires_at__lte': return a.expiresAt !== null && a.expiresAt <= value
      case 'role_name': return value.split(',').some((r) => row.roles.includes(r))
      case 'ou_accounts': return value.split(',').some((g) => row.groups.some((name) => groupIds[name] === g))
      default: throw new Error(key)
    }
  })
}

const SORTABLE = { email: 'email', account_type: 'accountType', created_at: 'createdAt', expires_at: 'expiresAt', enabled: 'enabled' } as const
type SortName = keyof typeof SORTABLE
const sortArb = fc.subarray(Object.keys(SORTABLE) as SortName[], { maxLength: 3 })
  .chain((names) => fc.tuple(...names.map((n) => fc.tuple(fc.constant(n), fc.boolean()))))

// SQLite orders NULL first and false before true; emails compare case-insensitively; ties fall to id in the
// direction of the last key.
const sortValue = (a: Account, name: SortName) => (name === 'email' ? a.email?.toLowerCase() ?? null : a[SORTABLE[name]])
function compare(a: Account, b: Account, sort: [SortName, boolean][]): number {
  for (const [name, descending] of sort) {
    const x = sortValue(a, name)
    const y = sortValue(b, name)
    if (x === y) continue
    const order = x === null ? -1 : y === null ? 1 : x < y ? -1 : 1
    return descending ? -order : order
  }
  return sort.at(-1)?.[1] ? b.id - a.id : a.id - b.id
}

describe('account filters: any combination returns what an in-memory filter returns', () => {
  let roster: Roster
  let acme: TestTenant
  const rows: Row[] = []
  const groupIds: Record<string, string> = {}

  before(async () => {
    const clock = settableClock(DAYS[0])
    roster = await openTestRoster({ clock })
    acme = await createTestTenant(roster, 'Acme')
    const other = await createTestTenant(roster, 'Other')
    const p = acme.principal
    const roles = Object.fromEntries(await Promise.all(ROLES.map(async (name) => [name, (await roster.roles.create(p, { name })).id])))
    for (const name of GROUPS) groupIds[name] = (await roster.groups.create(p, { name })).id
    for (let i = 0; i < COUNT; i++) {
      clock.set(DAYS[(i * 7) % DAYS.length]!)
      const email = i % 9 === 4 ? undefined : `${LOCALS[i % LOCALS.length]}${i}@${DOMAINS[(i >> 1) % 2]}`
      // IAM create needs an email; accounts without one come from the admin surface.
      const account = email === undefined
        ? (await roster.accounts.get(p, (await roster.users.create(p, { name: `Nameless ${i}` })).id)).account
        : await roster.accounts.create(p, {
          email: i % 5 === 0 ? email.toUpperCase() : email,
          accountType: TYPES[(i * 5) % 3]!, enabled: i % 4 !== 1, expiresAt: EXPIRIES[i % 3],
          ...(i % 11 === 3 && { password: 'long enough password' }),
        })
      const held = ROLES.filter((_, r) => (i >> r) % 3 === 0)
      if (held.length > 0) await roster.roles.grant(p, account.id, held.map((r) => roles[r]))
      const groups = GROUPS.filter((_, g) => (i + g) % 3 === 0)
      for (const g of groups) await roster.groups.addMember(p, groupIds[g]!, account.userId)
      rows.push({ account: (await roster.accounts.get(p, account.id)).account, roles: held, groups })
      // The same emails in another tenant, so a leak across tenants would show.
      if (email) await roster.accounts.create(other.principal, { email })
    }
    assert.equal(rows.length, COUNT)
  })
  after(() => roster.close())

  it('filters, sort and every page agree with the model, by page number and by cursor', async () => {
    const withGroups = fc.tuple(filterArb, fc.option(fc.subarray(GROUPS, { minLength: 1 }), { nil: undefined }))
    await fc.assert(fc.asyncProperty(withGroups, sortArb, fc.integer({ min: 1, max: 15 }), async ([drawn, groups], sort, size) => {
      const filter: Filter = { ...drawn, ...(groups && { ou_accounts: groups.map((g) => groupIds[g]).join(',') }) }
      const expected = rows.filter((row) => keep(row, filter, groupIds)).map((r) => r.account)
        .sort((a, b) => compare(a, b, sort)).map((a) => a.id)
      const sortText = sort.map(([name, descending]) => (descending ? '-' : '') + name).join(',')
      const byNumber: number[] = []
      let total: number | null = null
      for (let number = 1; number <= Math.ceil(COUNT / size) + 1; number++) {
        const page = await roster.accounts.list(acme.principal, { filter, sort: sortText, page: { number, size }, count: true })
        total = page.total
        byNumber.push(...page.accounts.map((a) => a.id))
      }
      assert.deepEqual(byNumber, expected, JSON.stringify({ filter, sortText, size }))
      assert.equal(total, expected.length)
      const byCursor: number[] = []
      let after: string | undefined
      for (let step = 0; step <= COUNT; step++) {
        const page = await roster.accounts.list(acme.principal, { filter, sort: sortText, page: { size, ...(after && { after }) } })
        byCursor.push(...page.accounts.map((a) => a.id))
        if (!page.nextCursor) break
        after = page.nextCursor
      }
      assert.deepEqual(byCursor, expected, `cursor walk ${JSON.stringify({ filter, sortText, size })}`)
    }), { numRuns: 120, seed: 20261123 })
  })
})
