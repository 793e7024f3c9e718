import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ValidationError, type Account, type ListAccountsInput, type Roster } from '../../src/index.js'
import { settableClock } from '../helpers/settable-clock.js'
import { createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { STORES } from '../helpers/stores.js'

const invalid = (field: string, message?: RegExp) => (error: unknown) => {
  assert.ok(error instanceof ValidationError, `expected ValidationError, got ${String(error)}`)
  assert.equal(error.field, field)
  if (message) assert.match(error.message, message)
  return true
}

for (const backend of STORES) describe(`${backend.name}: accounts list: filters, sort, pages, count, includes`, () => {
  let roster: Roster
  let acme: TestTenant
  let beta: TestTenant
  const clock = settableClock('2026-01-01T00:00:00.000Z')
  let token: string

  // Six accounts of Acme, created a day apart; beta has one that must never show.
  before(async () => {
    roster = await openTestRoster({ ...(await backend.roster()), clock })
    acme = await createTestTenant(roster, 'Acme')
    beta = await createTestTenant(roster, 'Beta')
    const specs = [
      { email: 'ann@acme.com', accountType: 'admin' },
      { email: 'Bob@Example.org', accountType: 'service', expiresAt: '2026-06-01T00:00:00Z' },
      { email: 'cy@acme.com', enabled: false, expiresAt: '2027-01-01T00:00:00Z' },
      { email: 'dee_x@mail.net', password: 'long password' },
      { email: 'ed%@acme.com', accountType: 'service' },
      { email: 'fay@example.org', expiresAt: '2026-03-01T00:00:00Z' },
    ]
    for (const [i, spec] of specs.entries()) {
      clock.set(`2026-01-0${i + 1}T00:00:00.000Z`)
      await roster.accounts.create(acme.principal, spec)
    }
    await roster.accounts.create(beta.principal, { email: 'ann@acme.com' })
    clock.set('2026-02-01T00:00:00.000Z')
    await roster.accounts.update(acme.principal, 2, { email: 'bob@example.org' })
    const ops = await roster.roles.create(acme.principal, { name: 'ops' })
    const audit = await roster.roles.create(acme.principal, { name: 'audit' })
    await roster.roles.grant(acme.principal, 1, [ops.id, audit.id])
    await roster.roles.grant(acme.principal, 3, [audit.id])
    const sales = await roster.groups.create(acme.principal, { name: 'sales' })
    const eng = await roster.groups.create(acme.principal, { name: 'eng' })
    for (const [group, n] of [[sales, 2], [sales, 4], [eng, 5]] as const) {
      const { account } = await roster.accounts.get(acme.principal, n)
      await roster.groups.addMember(acme.principal, group.id, account.userId)
    }
    token = (await roster.passwords.issueResetToken(acme.principal, 6)).token
  })
  after(() => roster.close())

  const ids = async (input: ListAccountsInput) => (await roster.accounts.list(acme.principal, input)).accounts.map((a: Account) => a.id)

  it('lists the tenant’s accounts by id, page size 1000 by default', async () => {
    const page = await roster.accounts.list(acme.principal)
    assert.deepEqual(page.accounts.map((a) => a.id), [1, 2, 3, 4, 5, 6])
    assert.equal(page.size, 1000)
    assert.equal(page.number, 1)
    assert.equal(page.total, null)
    assert.equal(page.nextCursor, null)
    assert.equal(page.prevCursor, null)
  })

  const cases: [string, Record<string, unknown>, number[]][] = [
    ['id', { id: '3' }, [3]],
    ['id as a number', { id: 3 }, [3]],
    ['person_id', { person_id: '4' }, [4]],
    ['id and person_id disagreeing', { id: '3', person_id: '4' }, []],
    ['id__in', { id__in: '1,3,99' }, [1, 3]],
    ['id__in as an array', { id__in: [2, '5'] }, [2, 5]],
    ['email, case-insensitively', { email: 'BOB@example.ORG' }, [2]],
    ['email null', { email: 'null' }, []],
    ['email__match substring', { email__match: 'ACME' }, [1, 3, 5]],
    ['email__match with * wildcard', { email__match: 'a*@acme' }, [1]],
    ['email__match treats % and _ literally', { email__match: 'd%' }, [5]],
    ['email__match underscore', { email__match: 'e_x' }, [4]],
    ['account_type', { account_type: 'service' }, [2, 5]],
    ['account_type__in', { account_type__in: 'admin,service' }, [1, 2, 5]],
    ['auth_type', { auth_type: 'password' }, [4]],
    ['enabled true', { enabled: 'true' }, [1, 2, 4, 5, 6]],
    ['enabled false', { enabled: false }, [3]],
    ['created_at', { created_at: '2026-01-03T00:00:00Z' }, [3]],
    ['created_at__gte', { created_at__gte: '2026-01-05' }, [5, 6]],
    ['created_at__lte', { created_at__lte: '2026-01-02T00:00:00.000Z' }, [1, 2]],
    ['created_at range', { created_at__gte: '2026-01-02', created_at__lte: '2026-01-04' }, [2, 3, 4]],
    ['updated_at of a changed account', { updated_at: '2026-02-01T00:00:00Z' }, [2]],
    ['updated_at of an unchanged one is its created_at', { updated_at: '2026-01-01T00:00:00Z' }, [1]],
    ['expires_at', { expires_at: '2026-06-01T00:00:00Z' }, [2]],
    ['expires_at null', { expires_at: null }, [1, 4, 5]],
    ['expires_at "null"', { expires_at: 'null' }, [1, 4, 5]],
    ['expires_at__gte skips nulls', { expires_at__gte: '2026-05-01' }, [2, 3]],
    ['expires_at__lte skips nulls', { expires_at__lte: '2026-06-01T00:00:00Z' }, [2, 6]],
    ['password_reset_token', { password_reset_token: 'TOKEN' }, [6]],
    ['password_reset_token unknown', { password_reset_token: 'rsk_reset_nope' }, []],
    ['password_reset_token null', { password_reset_token: 'null' }, [1, 2, 3, 4, 5]],
    ['password_reset_token_expires_at null', { password_reset_token_expires_at: null }, [1, 2, 3, 4, 5]],
    ['organization_id of the tenant', { organization_id: 'OWN' }, [1, 2, 3, 4, 5, 6]],
    ['organization_id of another tenant', { organization_id: 'OTHER' }, []],
    ['role_name', { role_name: 'audit' }, [1, 3]],
    ['role_name list', { role_name: 'ops,nobody' }, [1]],
    ['ou_accounts by name', { ou_accounts: 'sales' }, [2, 4]],
    ['ou_accounts by names', { ou_accounts: 'sales,eng' }, [2, 4, 5]],
    ['ou_accounts unknown group', { ou_accounts: 'nobody' }, []],
    ['several filters AND together', { email__match: 'acme', enabled: 'true', account_type__in: 'admin,service' }, [1, 5]],
  ]
  for (const [name, filter, expected] of cases) {
    it(`filter: ${name}`, async () => {
      const resolved = Object.fromEntries(Object.entries(filter).map(([k, v]) => [k, v === 'TOKEN' ? token : v === 'OWN' ? acme.tenantId : v === 'OTHER' ? beta.tenantId : v]))
      assert.deepEqual(await ids({ filter: resolved }), expected)
    })
  }

  it('filter: ou_accounts by group id, and password_reset_token_expires_at by value', async () => {
    const groups = await roster.groups.list(acme.principal)
    const eng = groups.find((g) => g.name === 'eng')!
    assert.deepEqual(await ids({ filter: { ou_accounts: eng.id } }), [5])
    const { account } = await roster.accounts.get(acme.principal, 6)
    const expiry = (await roster.accounts.list(acme.principal, { filter: { password_reset_token: token } })).accounts[0]
    assert.equal(expiry?.id, account.id)
    // Issued at 2026-02-01 with the default hour.
    assert.deepEqual(await ids({ filter: { password_reset_token_expires_at: '2026-02-01T01:00:00Z' } }), [6])
  })

  const refusals: [string, Record<string, unknown>, string][] = [
    ['unknown filter', { nickname: 'x' }, 'filter[nickname]'],
    ['operator the seed does not list', { email__in: 'a' }, 'filter[email__in]'],
    ['id not an integer', { id: 'abc' }, 'filter[id]'],
    ['id zero', { id: '0' }, 'filter[id]'],
    ['id__in empty', { id__in: '' }, 'filter[id__in]'],
    ['id__in with a word', { id__in: '1,x' }, 'filter[id__in]'],
    ['enabled not a boolean', { enabled: 'yes' }, 'filter[enabled]'],
    ['created_at not a date', { created_at__gte: 'yesterday' }, 'filter[created_at__gte]'],
    ['created_at null (never null)', { created_at: 'null' }, 'filter[created_at]'],
    ['updated_at null (never null)', { updated_at: null }, 'filter[updated_at]'],
    ['expires_at__lte null', { expires_at__lte: 'null' }, 'filter[expires_at__lte]'],
    ['email empty', { email: '' }, 'filter[email]'],
    ['email__match too long', { email__match: 'x'.repeat(256) }, 'filter[email__match]'],
    ['account_type as an object', { account_type: { a: 1 } }, 'filter[account_type]'],
    ['too many ids', { id__in: Array.from({ length: 1001 }, (_, i) => i + 1) }, 'filter[id__in]'],
  ]
  for (const [name, filter, field] of refusals) {
    it(`refuses ${name}, naming ${field}`, async () => {
      await assert.rejects(roster.accounts.list(acme.principal, { filter }), invalid(field))
    })
  }

  it('sorts by every field, both ways, with id breaking ties in the direction of the last key', async () => {
    assert.deepEqual(await ids({ sort: '-id' }), [6, 5, 4, 3, 2, 1])
    assert.deepEqual(await ids({ sort: 'person_id' }), [1, 2, 3, 4, 5, 6])
    assert.deepEqual(await ids({ sort: 'email' }), [1, 2, 3, 4, 5, 6])
    assert.deepEqual(await ids({ sort: '-email' }), [6, 5, 4, 3, 2, 1])
    assert.deepEqual(await ids({ sort: 'account_type' }), [1, 2, 5, 3, 4, 6])
    assert.deepEqual(await ids({ sort: '-account_type,-id' }), [6, 4, 3, 5, 2, 1])
    assert.deepEqual(await ids({ sort: '-auth_type' }), [4, 6, 5, 3, 2, 1])
    assert.deepEqual(await ids({ sort: '-created_at' }), [6, 5, 4, 3, 2, 1])
    assert.deepEqual(await ids({ sort: 'updated_at' }), [1, 3, 4, 5, 6, 2])
    assert.deepEqual(await ids({ sort: 'expires_at' }), [1, 4, 5, 6, 2, 3], 'nulls first ascending')
    assert.deepEqual(await ids({ sort: '-expires_at' }), [3, 2, 6, 5, 4, 1], 'nulls last descending')
    assert.deepEqual(await ids({ sort: 'enabled' }), [3, 1, 2, 4, 5, 6])
    assert.deepEqual(await ids({ sort: '-enabled,-created_at' }), [6, 5, 4, 2, 1, 3])
  })

  it('refuses an unknown, repeated or empty sort field', async () => {
    for (const sort of ['name', '-password', 'id,id', 'email,-email', 'email,', ',']) {
      await assert.rejects(roster.accounts.list(acme.principal, { sort }), invalid('sort'), sort)
    }
  })

  it('counts every match, and pages by number', async () => {
    const page = await roster.accounts.list(acme.principal, { sort: '-id', page: { number: '2', size: '4' }, count: 'true' })
    assert.deepEqual(page.accounts.map((a) => a.id), [2, 1])
    assert.equal(page.total, 6)
    assert.equal(page.number, 2)
    assert.equal(page.size, 4)
    assert.equal(page.nextCursor, null)
    assert.ok(page.prevCursor)
    const past = await roster.accounts.list(acme.principal, { page: { number: 9, size: 4 }, count: true })
    assert.deepEqual(past.accounts, [])
    assert.equal(past.total, 6)
    assert.equal((await roster.accounts.list(acme.principal, { filter: { organization_id: beta.tenantId }, count: true })).total, 0)
  })

  it('caps page[size] at 1000', async () => {
    assert.equal((await roster.accounts.list(acme.principal, { page: { size: 5000 } })).size, 1000)
  })

  it('walks forwards and backwards by cursor under any sort', async () => {
    for (const sort of ['id', '-email', 'expires_at', '-expires_at,id', 'enabled,-updated_at', 'account_type,-created_at']) {
      const all = await ids({ sort })
      const forward: number[] = []
      let page = await roster.accounts.list(acme.principal, { sort, page: { size: 2 } })
      forward.push(...page.accounts.map((a) => a.id))
      while (page.nextCursor) {
        page = await roster.accounts.list(acme.principal, { sort, page: { size: 2, after: page.nextCursor } })
        forward.push(...page.accounts.map((a) => a.id))
      }
      assert.deepEqual(forward, all, `forward under ${sort}`)
      const backward: number[] = [...page.accounts.map((a) => a.id)]
      while (page.prevCursor) {
        page = await roster.accounts.list(acme.principal, { sort, page: { size: 2, before: page.prevCursor } })
        backward.unshift(...page.accounts.map((a) => a.id))
      }
      assert.deepEqual(backward, all, `backward under ${sort}`)
    }
  })

  it('refuses page parameters it cannot use, naming them', async () => {
    const list = (page: Record<string, unknown>) => roster.accounts.list(acme.principal, { page } as never)
    const first = await roster.accounts.list(acme.principal, { page: { size: 2 } })
    await assert.rejects(list({ number: 0 }), invalid('page[number]'))
    await assert.rejects(list({ number: 'x' }), invalid('page[number]'))
    await assert.rejects(list({ size: -1 }), invalid('page[size]'))
    await assert.rejects(list({ size: 0 }), invalid('page[size]'))
    await assert.rejects(list({ offset: 3 }), invalid('page[offset]', /Unknown/))
    await assert.rejects(list({ after: 'garbage' }), invalid('page[after]'))
    await assert.rejects(roster.accounts.list(acme.principal, { sort: '-id', page: { after: first.nextCursor! } }), invalid('page[after]', /sort/))
    await assert.rejects(list({ after: first.nextCursor, before: first.nextCursor }), invalid('page[before]'))
    await assert.rejects(list({ number: 2, after: first.nextCursor }), invalid('page[number]'))
    await assert.rejects(roster.accounts.list(acme.principal, { count: 'yes' }), invalid('count'))
    await assert.rejects(roster.accounts.list(acme.principal, { limit: 5 } as never), invalid('limit', /Unknown/))
  })

  it('includes roles, person and organization for the page', async () => {
    const page = await roster.accounts.list(acme.principal, { filter: { id__in: '1,2' }, include: 'roles,person,organization' })
    const [one, two] = page.accounts
    assert.deepEqual(page.included.roles?.get(one!.userId)?.map((r) => r.name), ['audit', 'ops'])
    assert.equal(page.included.roles?.get(two!.userId), undefined)
    assert.equal(page.included.organization?.id, acme.tenantId)
    assert.ok(page.included.include.has('person'))
    const none = await roster.accounts.list(acme.principal, { filter: { id: 1 } })
    assert.equal(none.included.roles, undefined)
    assert.equal(none.included.organization, undefined)
    await assert.rejects(roster.accounts.list(acme.principal, { include: ['roles', 'groups'] }), invalid('include'))
  })
})
