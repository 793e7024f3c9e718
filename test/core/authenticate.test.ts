import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { openRoster, UnauthenticatedError, ValidationError, type Roster } from '../../src/index.js'
import { BOOTSTRAP_KEY, createTestTenant, openTestRoster } from '../helpers/roster.js'
import { STORES } from '../helpers/stores.js'
import { tempDbPath } from '../helpers/temp-db.js'

const unauthenticated = (message?: RegExp) => (e: unknown) => e instanceof UnauthenticatedError && (!message || message.test(e.message))

describe('authenticate', () => {
  const opened: Roster[] = []
  const open = async (options: Parameters<typeof openRoster>[0]) => {
    const roster = await openRoster({ durability: 'normal', ...options })
    opened.push(roster)
    return roster
  }
  afterEach(async () => {
    for (const roster of opened.splice(0)) await roster.close()
  })

  for (const backend of STORES) {
    it(`${backend.name}: turns the bootstrap key and admin keys into principals`, async () => {
      const roster = await open({ ...(await backend.roster()), bootstrapKey: BOOTSTRAP_KEY })
      assert.deepEqual(await roster.authenticate(BOOTSTRAP_KEY), { kind: 'bootstrap' })
      const acme = await createTestTenant(roster, 'Acme', ['manage_users'])
      assert.deepEqual(await roster.authenticate(acme.key), { kind: 'admin', tenantId: acme.tenantId, keyId: acme.keyId, permissions: new Set(['manage_users']) })
    })
  }

  it('rejects a missing, empty, unknown or nearly right key', async () => {
    const roster = await open({ path: ':memory:', bootstrapKey: BOOTSTRAP_KEY })
    const acme = await createTestTenant(roster)
    for (const missing of [undefined, null, '']) await assert.rejects(roster.authenticate(missing), unauthenticated(/Missing API key/))
    for (const wrong of ['rsk_admin_unknown', acme.key.slice(0, -1), `${acme.key}x`, BOOTSTRAP_KEY.toUpperCase(), ` ${BOOTSTRAP_KEY}`]) {
      await assert.rejects(roster.authenticate(wrong), unauthenticated(/^Invalid or revoked API key$/))
    }
  })

  it('rejects a revoked key', async () => {
    const roster = await openTestRoster()
    const acme = await createTestTenant(roster)
    opened.push(roster)
    const other = await roster.keys.create(acme.principal, { name: 'Other' })
    await roster.keys.revoke(acme.principal, acme.keyId)
    await assert.rejects(roster.authenticate(acme.key), unauthenticated())
    assert.equal((await roster.authenticate(other.secret)).kind, 'admin')
  })

  it('requires a bootstrap key of at least 32 characters', async () => {
    await assert.rejects(openRoster({ path: ':memory:', bootstrapKey: 'x'.repeat(31) }), (e) => e instanceof ValidationError && /32/.test(e.message))
    const roster = await open({ path: ':memory:', bootstrapKey: 'y'.repeat(32) })
    assert.equal((await roster.authenticate('y'.repeat(32))).kind, 'bootstrap')
    await assert.rejects(roster.bootstrap.setKey('short'), ValidationError)
    assert.equal((await roster.authenticate('y'.repeat(32))).kind, 'bootstrap')
  })

  it('replaces the bootstrap key: the old one stops working', async () => {
    const roster = await open({ path: ':memory:', bootstrapKey: BOOTSTRAP_KEY })
    const next = 'z'.repeat(40)
    await roster.bootstrap.setKey(next)
    assert.equal((await roster.authenticate(next)).kind, 'bootstrap')
    await assert.rejects(roster.authenticate(BOOTSTRAP_KEY), unauthenticated())
  })

  it('generates a bootstrap key once per database, and it survives a reopen', async () => {
    const path = tempDbPath()
    const first = await open({ path })
    const generated = await first.bootstrap.ensureKey()
    assert.match(generated ?? '', /^rsk_boot_[0-9A-Za-z]{40}$/)
    assert.equal(await first.bootstrap.ensureKey(), null)
    assert.equal((await first.authenticate(generated)).kind, 'bootstrap')
    await first.close()
    const second = await open({ path })
    assert.equal(await second.bootstrap.ensureKey(), null)
    assert.equal((await second.authenticate(generated)).kind, 'bootstrap')
  })

  it('generates none when a bootstrap key was given', async () => {
    const roster = await open({ path: ':memory:', bootstrapKey: BOOTSTRAP_KEY })
    assert.equal(await roster.bootstrap.ensureKey(), null)
  })
})
