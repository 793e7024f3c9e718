import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { ForbiddenError, NotFoundError, ValidationError, type Roster } from '../../src/index.js'
import { hashPassword, verifyPassword } from '../../src/core/passwords/password-hash.js'
import { hashSecret } from '../../src/core/secrets.js'
import { settableClock } from '../helpers/settable-clock.js'
import { createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { tempDbPath } from '../helpers/temp-db.js'
import Database from 'better-sqlite3'

const spent = (error: unknown) => error instanceof ValidationError && error.field === 'token'

describe('password hashing', () => {
  it('uses salted scrypt with N=2^15, r=8, p=1 and verifies only the right password', async () => {
    const [one, two] = await Promise.all([hashPassword('correct horse'), hashPassword('correct horse')])
    assert.match(one, /^scrypt\$15\$8\$1\$[\w-]{22}\$[\w-]{43}$/)
    assert.notEqual(one, two, 'salted')
    assert.equal(await verifyPassword('correct horse', one), true)
    assert.equal(await verifyPassword('correct horsf', one), false)
    assert.equal(await verifyPassword('correct horse', 'md5$abc'), false)
    assert.equal(await verifyPassword('correct horse', 'scrypt$99$8$1$a$b'), false)
  })
})

describe('passwords service', () => {
  let roster: Roster
  let acme: TestTenant
  let path: string
  const clock = settableClock('2026-03-01T00:00:00.000Z')

  beforeEach(async () => {
    clock.set('2026-03-01T00:00:00.000Z')
    path = tempDbPath()
    roster = await openTestRoster({ path, clock })
    acme = await createTestTenant(roster, 'Acme')
  })
  afterEach(() => roster.close())

  it('sets a password: auth_type becomes password, only a hash is stored, verify checks it', async () => {
    const account = await roster.accounts.create(acme.principal, { email: 'Ann@X.org' })
    clock.set('2026-03-02T00:00:00.000Z')
    const set = await roster.passwords.set(acme.principal, account.id, 'correct horse battery')
    assert.equal(set.authType, 'password')
    assert.equal(set.updatedAt, '2026-03-02T00:00:00.000Z')
    const raw = new Database(path, { readonly: true })
    const row = raw.prepare('select password_hash from users where id = ?').get(account.userId) as { password_hash: string }
    raw.close()
    assert.match(row.password_hash, /^scrypt\$/)
    assert.ok(!row.password_hash.includes('correct horse'))
    assert.equal((await roster.passwords.verify(acme.tenantId, 'ann@x.org', 'correct horse battery'))?.id, account.id)
    assert.equal(await roster.passwords.verify(acme.tenantId, 'ann@x.org', 'wrong horse battery'), null)
    assert.equal(await roster.passwords.verify(acme.tenantId, 'nobody@x.org', 'correct horse battery'), null)
    const other = await createTestTenant(roster, 'Other')
    assert.equal(await roster.passwords.verify(other.tenantId, 'ann@x.org', 'correct horse battery'), null)
  })

  it('verify refuses accounts without a password, disabled or expired', async () => {
    const none = await roster.accounts.create(acme.principal, { email: 'none@x.org' })
    assert.equal(none.authType, 'none')
    assert.equal(await roster.passwords.verify(acme.tenantId, 'none@x.org', 'anything at all'), null)
    const off = await roster.accounts.create(acme.principal, { email: 'off@x.org', password: 'long password', enabled: false })
    assert.equal(off.authType, 'password')
    assert.equal(await roster.passwords.verify(acme.tenantId, 'off@x.org', 'long password'), null)
    await roster.accounts.create(acme.principal, { email: 'old@x.org', password: 'long password', expiresAt: '2026-03-10T00:00:00Z' })
    assert.ok(await roster.passwords.verify(acme.tenantId, 'old@x.org', 'long password'))
    clock.set('2026-03-10T00:00:00.000Z')
    assert.equal(await roster.passwords.verify(acme.tenantId, 'old@x.org', 'long password'), null)
  })

  it('clears a password through clear and through authType none', async () => {
    const account = await roster.accounts.create(acme.principal, { email: 'a@x.org', password: 'long password' })
    assert.equal((await roster.passwords.clear(acme.principal, account.id)).authType, 'none')
    assert.equal(await roster.passwords.verify(acme.tenantId, 'a@x.org', 'long password'), null)
    await roster.accounts.update(acme.principal, account.id, { password: 'other password' })
    assert.ok(await roster.passwords.verify(acme.tenantId, 'a@x.org', 'other password'))
    await assert.rejects(roster.accounts.update(acme.principal, account.id, { authType: 'none', password: 'x long one' }), (e) => e instanceof ValidationError && e.field === 'password')
    assert.equal((await roster.accounts.update(acme.principal, account.id, { authType: 'password' })).authType, 'password', 'already has one')
    assert.equal((await roster.accounts.update(acme.principal, account.id, { authType: 'none' })).authType, 'none')
    assert.equal(await roster.passwords.verify(acme.tenantId, 'a@x.org', 'other password'), null)
  })

  it('issues a reset token stored hashed with an expiry, usable once', async () => {
    const account = await roster.accounts.create(acme.principal, { email: 'a@x.org' })
    const issued = await roster.passwords.issueResetToken(acme.principal, account.id)
    assert.match(issued.token, /^rsk_reset_[\w-]{43}$/)
    assert.equal(issued.expiresAt, '2026-03-01T01:00:00.000Z')
    const raw = new Database(path, { readonly: true })
    const row = raw.prepare('select password_reset_token_hash as h, password_reset_token_expires_at as e from users where id = ?').get(account.userId) as { h: string; e: string }
    raw.close()
    assert.deepEqual(row, { h: hashSecret(issued.token), e: issued.expiresAt })
    const reset = await roster.passwords.reset(acme.tenantId, issued.token, 'brand new password')
    assert.equal(reset.id, account.id)
    assert.equal(reset.authType, 'password')
    assert.ok(await roster.passwords.verify(acme.tenantId, 'a@x.org', 'brand new password'))
    await assert.rejects(roster.passwords.reset(acme.tenantId, issued.token, 'another password'), spent)
    assert.deepEqual((await roster.accounts.list(acme.principal, { filter: { password_reset_token: issued.token } })).accounts, [])
  })

  it('refuses expired, replaced, foreign and malformed tokens', async () => {
    const account = await roster.accounts.create(acme.principal, { email: 'a@x.org' })
    const short = await roster.passwords.issueResetToken(acme.principal, account.id, { ttlSeconds: 60 })
    clock.advanceMs(60_000)
    await assert.rejects(roster.passwords.reset(acme.tenantId, short.token, 'new password!'), spent)
    const first = await roster.passwords.issueResetToken(acme.principal, account.id)
    const second = await roster.passwords.issueResetToken(acme.principal, account.id)
    await assert.rejects(roster.passwords.reset(acme.tenantId, first.token, 'new password!'), spent)
    const other = await createTestTenant(roster, 'Other')
    await assert.rejects(roster.passwords.reset(other.tenantId, second.token, 'new password!'), spent)
    for (const token of ['', 'x'.repeat(500), 42 as never]) await assert.rejects(roster.passwords.reset(acme.tenantId, token, 'new password!'), spent)
    await assert.rejects(roster.passwords.reset(acme.tenantId, second.token, 'short'), (e) => e instanceof ValidationError && e.field === 'password')
    assert.equal((await roster.passwords.reset(acme.tenantId, second.token, 'new password!')).id, account.id)
  })

  it('setting a password voids an outstanding reset token', async () => {
    const account = await roster.accounts.create(acme.principal, { email: 'a@x.org' })
    const issued = await roster.passwords.issueResetToken(acme.principal, account.id)
    await roster.passwords.set(acme.principal, account.id, 'set by admin')
    await assert.rejects(roster.passwords.reset(acme.tenantId, issued.token, 'new password!'), spent)
  })

  it('validates input and permissions', async () => {
    const account = await roster.accounts.create(acme.principal, { email: 'a@x.org' })
    await assert.rejects(roster.passwords.set(acme.principal, account.id, 'short'), (e) => e instanceof ValidationError && e.field === 'password')
    await assert.rejects(roster.passwords.set(acme.principal, account.id, 'x'.repeat(257)), (e) => e instanceof ValidationError && e.field === 'password')
    await assert.rejects(roster.passwords.issueResetToken(acme.principal, account.id, { ttlSeconds: 59 }), (e) => e instanceof ValidationError && e.field === 'ttlSeconds')
    await assert.rejects(roster.passwords.issueResetToken(acme.principal, account.id, { ttl: 60 } as never), (e) => e instanceof ValidationError && e.field === 'ttl')
    await assert.rejects(roster.passwords.issueResetToken(acme.principal, 99), NotFoundError)
    const narrow = await createTestTenant(roster, 'Narrow', ['manage_roles'])
    await assert.rejects(roster.passwords.set(narrow.principal, 1, 'long password'), ForbiddenError)
    await assert.rejects(roster.passwords.issueResetToken(narrow.principal, 1), ForbiddenError)
    assert.equal(await roster.passwords.verify(acme.tenantId, 42 as never, 'x'), null)
  })
})
