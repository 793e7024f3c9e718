import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { createAuthenticator } from '../../src/core/auth/authenticator.js'
import { createKeyCache } from '../../src/core/auth/key-cache.js'
import { SYSTEM_CLOCK } from '../../src/core/clock.js'
import type { Store } from '../../src/core/ports/store.js'
import { trustedTenantPrincipal } from '../../src/core/principal.js'
import { openRoster, UnauthenticatedError, type Roster } from '../../src/index.js'
import { openSqliteStore } from '../../src/storage/sqlite/sqlite-store.js'
import { BOOTSTRAP_KEY, createTestTenant } from '../helpers/roster.js'
import { addTenant, newKey } from '../helpers/store-fixtures.js'
import { tempDbPath } from '../helpers/temp-db.js'

/** The store with its reads counted. */
function counting(store: Store): Store & { reads: number } {
  const counted = Object.assign(Object.create(store) as Store, { reads: 0 })
  counted.read = (work) => {
    counted.reads++
    return store.read(work)
  }
  return counted as Store & { reads: number }
}

describe('admin key cache', () => {
  const closing: { close(): Promise<void> }[] = []
  afterEach(async () => {
    for (const open of closing.splice(0)) await open.close()
  })
  const open = async (path: string, keyCache = true): Promise<Roster> => {
    const roster = await openRoster({ path, bootstrapKey: BOOTSTRAP_KEY, durability: 'normal', keyCache })
    closing.push(roster)
    return roster
  }

  it('authenticates a key seen recently without reading the store, and reads again once it is forgotten', async () => {
    const store = await openSqliteStore({ path: ':memory:' })
    closing.push(store)
    const tenant = await addTenant(store)
    const key = newKey('a-secret-admin-key')
    await store.transaction((tx) => tx.keys.insert(tenant, key))
    const reads = counting(store)
    const cache = createKeyCache(reads)
    const auth = createAuthenticator(reads, SYSTEM_CLOCK, cache)
    await auth.setBootstrapKey(BOOTSTRAP_KEY)
    reads.reads = 0
    const first = await auth.authenticate('a-secret-admin-key')
    for (let i = 0; i < 5; i++) assert.equal(await auth.authenticate('a-secret-admin-key'), first)
    assert.equal(reads.reads, 1)
    cache.forget(key.id)
    await auth.authenticate('a-secret-admin-key')
    assert.equal(reads.reads, 2)
  })

  it('does not keep a key read before it was forgotten', async () => {
    const store = await openSqliteStore({ path: ':memory:' })
    closing.push(store)
    const principal = trustedTenantPrincipal(await addTenant(store))
    const keyed = { ...principal, keyId: newKey('k').id }
    const cache = createKeyCache(store)
    const ticket = cache.ticket()
    cache.forget(keyed.keyId)
    cache.put('hash', keyed, ticket)
    assert.equal(cache.get('hash'), null)
    cache.put('hash', keyed, cache.ticket())
    assert.equal(cache.get('hash'), keyed)
  })

  it('refuses a key revoked through this roster on the next call', async () => {
    const roster = await open(':memory:')
    const acme = await createTestTenant(roster)
    const temp = await roster.keys.create(acme.principal, { name: 'Temp' })
    for (let i = 0; i < 3; i++) await roster.authenticate(temp.secret)
    await roster.keys.revoke(acme.principal, temp.id)
    await assert.rejects(roster.authenticate(temp.secret), UnauthenticatedError)
  })

  it('refuses a key revoked by another process on the same file within milliseconds', async () => {
    const path = tempDbPath()
    const server = await open(path)
    const acme = await createTestTenant(server)
    const temp = await server.keys.create(acme.principal, { name: 'Temp' })
    await server.authenticate(temp.secret)
    const other = await open(path)
    await other.keys.revoke(other.principals.tenant(acme.tenantId), temp.id)
    await sleep(20)
    await assert.rejects(server.authenticate(temp.secret), UnauthenticatedError)
  })

  it('can be turned off', async () => {
    const path = tempDbPath()
    const server = await open(path, false)
    const acme = await createTestTenant(server)
    // A narrower key to revoke: the tenant's only manage_keys key cannot be.
    const narrow = await server.keys.create(acme.principal, { permissions: ['manage_users'] })
    await server.authenticate(narrow.secret)
    const other = await open(path)
    await other.keys.revoke(other.principals.tenant(acme.tenantId), narrow.id)
    await assert.rejects(server.authenticate(narrow.secret), UnauthenticatedError)
  })
})
