import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { BootstrapKeyError, ForbiddenError, NotFoundError, PERMISSIONS, UnauthenticatedError, ValidationError, type Roster } from '../../src/index.js'
import { createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { STORES } from '../helpers/stores.js'
import { tempDbPath } from '../helpers/temp-db.js'

for (const backend of STORES) {
  describe(`${backend.name}: keys service`, () => {
    let roster: Roster
    let acme: TestTenant
    let beta: TestTenant

    beforeEach(async () => {
      roster = await openTestRoster(await backend.roster())
      acme = await createTestTenant(roster, 'Acme')
      beta = await createTestTenant(roster, 'Beta')
    })
    afterEach(() => roster.close())

    it('issues a narrowed key that authenticates for the same tenant with exactly its permissions', async () => {
      const key = await roster.keys.create(acme.principal, { name: 'Support', permissions: ['manage_users', 'manage_users'] })
      assert.match(key.secret, /^rsk_admin_[0-9A-Za-z]{40}$/)
      assert.deepEqual([key.name, key.permissions, key.tenantId, key.tenantName, key.revokedAt], ['Support', ['manage_users'], acme.tenantId, 'Acme', null])
      assert.ok(key.secret.startsWith(key.prefix) && key.prefix.length < key.secret.length)
      const principal = await roster.authenticate(key.secret)
      assert.deepEqual(principal, { kind: 'admin', tenantId: acme.tenantId, keyId: key.id, permissions: new Set(['manage_users']) })
    })

    it('gives a new key its creator’s permissions by default, never more', async () => {
      const narrow = await createTestTenant(roster, 'Narrow', ['manage_keys', 'record_usage'])
      const key = await roster.keys.create(narrow.principal, {})
      assert.deepEqual([...key.permissions].sort(), ['manage_keys', 'record_usage'])
      const full = await roster.keys.create(acme.principal)
      assert.deepEqual([...full.permissions].sort(), [...PERMISSIONS].sort())
    })

    it('refuses to grant a permission the creating key lacks, and issues nothing', async () => {
      const narrow = await createTestTenant(roster, 'Narrow', ['manage_keys'])
      await assert.rejects(roster.keys.create(narrow.principal, { permissions: ['manage_keys', 'manage_users'] }),
        (e) => e instanceof ForbiddenError && /manage_users/.test(e.message))
      assert.equal((await roster.keys.list(narrow.principal)).length, 1)
    })

    it('needs manage_keys for every call; the bootstrap key gets BootstrapKeyError', async () => {
      const usersOnly = await createTestTenant(roster, 'UsersOnly', ['manage_users'])
      const calls = (p: Parameters<Roster['keys']['list']>[0]) =>
        [() => roster.keys.create(p, {}), () => roster.keys.list(p), () => roster.keys.revoke(p, acme.keyId)]
      for (const call of calls(usersOnly.principal)) {
        await assert.rejects(call(), (e) => e instanceof ForbiddenError && e.message === 'Permission denied: manage_keys required')
      }
      for (const call of calls(roster.principals.bootstrap())) await assert.rejects(call(), BootstrapKeyError)
      await roster.authenticate(acme.key)
    })

    it('lists the tenant’s keys newest first without secrets', async () => {
      const second = await roster.keys.create(acme.principal, { name: 'Second' })
      const keys = await roster.keys.list(acme.principal)
      assert.deepEqual(keys.map((k) => k.id).sort(), [acme.keyId, second.id].sort())
      assert.ok(!keys.some((k) => beta.keyId === k.id))
      for (const key of keys) {
        assert.deepEqual(Object.keys(key).sort(), ['createdAt', 'id', 'name', 'permissions', 'prefix', 'revokedAt', 'tenantId'])
        assert.ok(!JSON.stringify(key).includes(second.secret))
      }
    })

    it('revokes a key at once; it no longer authenticates and revoking again keeps the first time', async () => {
      const extra = await roster.keys.create(acme.principal, { name: 'Temp' })
      const revoked = await roster.keys.revoke(acme.principal, extra.id)
      assert.ok(revoked.revokedAt)
      await assert.rejects(roster.authenticate(extra.secret), UnauthenticatedError)
      assert.equal((await roster.keys.revoke(acme.principal, extra.id)).revokedAt, revoked.revokedAt)
      await roster.authenticate(acme.key)
    })

    it('never revokes another tenant’s key; malformed and unknown ids are not found', async () => {
      for (const id of [beta.keyId, 'nope', '550e8400-e29b-41d4-a716-446655440000']) {
        await assert.rejects(roster.keys.revoke(acme.principal, id), (e) => e instanceof NotFoundError && e.message === 'Admin key not found')
      }
      assert.equal((await roster.authenticate(beta.key)).kind, 'admin')
    })

    it('rejects bad input naming the field', async () => {
      const cases: [unknown, string][] = [
        [{ permissions: ['manage_everything'] }, 'permissions.0'], [{ permissions: [] }, 'permissions'],
        [{ permissions: 'manage_users' }, 'permissions'], [{ name: '' }, 'name'], [{ entityName: 'Other' }, 'entityName'],
      ]
      for (const [input, field] of cases) {
        await assert.rejects(roster.keys.create(acme.principal, input as never), (e) => e instanceof ValidationError && e.field === field)
      }
    })
  })
}

describe('admin key storage', () => {
  it('stores only the SHA-256 hash of a key, never the key', async () => {
    const path = tempDbPath()
    const roster = await openTestRoster({ path })
    const acme = await createTestTenant(roster)
    await roster.close()
    const handle = new Database(path, { readonly: true })
    try {
      const row = handle.prepare('select * from admin_keys where id = ?').get(acme.keyId) as Record<string, unknown>
      assert.equal(row.secret_hash, createHash('sha256').update(acme.key).digest('hex'))
      assert.ok(!Object.values(row).some((value) => String(value).includes(acme.key)))
    } finally {
      handle.close()
    }
  })
})
