import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { BootstrapKeyError, ConflictError, ForbiddenError, NotFoundError, ValidationError, type Roster, type User } from '../../src/index.js'
import { steppingClock } from '../helpers/clock.js'
import { createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { STORES } from '../helpers/stores.js'

const UNKNOWN = '00000000-0000-4000-8000-000000000000'
const invalid = (field: string, message: string) => (error: unknown) =>
  error instanceof ValidationError && error.field === field && error.message === message

for (const backend of STORES) {
  describe(`${backend.name}: groups service`, () => {
    let roster: Roster
    let clock: ReturnType<typeof steppingClock>
    let acme: TestTenant
    let ada: User

    beforeEach(async () => {
      clock = steppingClock()
      roster = await openTestRoster({ ...(await backend.roster()), clock })
      acme = await createTestTenant(roster, 'Acme')
      ada = await roster.users.create(acme.principal, { name: 'Ada' })
    })
    afterEach(() => roster.close())

    it('creates, gets and lists groups by name, names trimmed', async () => {
      const ops = await roster.groups.create(acme.principal, { name: '  Ops ' })
      assert.deepEqual(ops, { id: ops.id, tenantId: acme.tenantId, name: 'Ops', createdAt: clock.last(), updatedAt: null, version: 1 })
      const admins = await roster.groups.create(acme.principal, { name: 'Admins' })
      assert.deepEqual(await roster.groups.get(acme.principal, ops.id), ops)
      assert.deepEqual(await roster.groups.get(acme.principal, ops.id.toUpperCase()), ops)
      assert.deepEqual(await roster.groups.list(acme.principal), [admins, ops])
    })

    it('keeps names unique per tenant, exactly as given', async () => {
      await roster.groups.create(acme.principal, { name: 'Ops' })
      await assert.rejects(roster.groups.create(acme.principal, { name: 'Ops ' }), (e) => e instanceof ConflictError && e.field === 'name')
      await roster.groups.create(acme.principal, { name: 'ops' })
      const beta = await createTestTenant(roster, 'Beta')
      await roster.groups.create(beta.principal, { name: 'Ops' })
      assert.deepEqual((await roster.groups.list(beta.principal)).map((g) => g.name), ['Ops'])
    })

    it('validates the name and refuses unknown fields', async () => {
      const required = 'name is required and must be a non-empty string'
      await assert.rejects(roster.groups.create(acme.principal, {} as never), invalid('name', required))
      await assert.rejects(roster.groups.create(acme.principal, { name: '   ' }), invalid('name', required))
      await assert.rejects(roster.groups.create(acme.principal, { name: 7 } as never), invalid('name', required))
      await assert.rejects(roster.groups.create(acme.principal, { name: 'x'.repeat(256) }), invalid('name', 'name must be at most 255 characters'))
      await assert.rejects(roster.groups.create(acme.principal, { name: 'A', kind: 'x' } as never), invalid('kind', 'Unknown field: kind'))
      await roster.groups.create(acme.principal, { name: 'x'.repeat(255) })
    })

    it('renames a group, refusing a taken name and unknown groups', async () => {
      const ops = await roster.groups.create(acme.principal, { name: 'Ops' })
      await roster.groups.create(acme.principal, { name: 'Admins' })
      const renamed = await roster.groups.rename(acme.principal, ops.id, { name: 'Operations' })
      assert.deepEqual(renamed, { ...ops, name: 'Operations', updatedAt: clock.last(), version: 2 })
      await assert.rejects(roster.groups.rename(acme.principal, ops.id, { name: 'Admins' }), ConflictError)
      assert.equal((await roster.groups.rename(acme.principal, ops.id, { name: 'Operations' })).name, 'Operations')
      for (const id of ['nope', UNKNOWN]) await assert.rejects(roster.groups.rename(acme.principal, id, { name: 'X' }), NotFoundError)
      await assert.rejects(roster.groups.rename(acme.principal, ops.id, {} as never), ValidationError)
    })

    it('adds and removes members idempotently and lists a user’s groups by name', async () => {
      const ops = await roster.groups.create(acme.principal, { name: 'Ops' })
      const admins = await roster.groups.create(acme.principal, { name: 'Admins' })
      await roster.groups.addMember(acme.principal, ops.id, ada.id)
      await roster.groups.addMember(acme.principal, ops.id, ada.id)
      await roster.groups.addMember(acme.principal, admins.id.toUpperCase(), ada.id.toUpperCase())
      assert.deepEqual(await roster.groups.forUser(acme.principal, ada.id), [{ groupId: admins.id, name: 'Admins' }, { groupId: ops.id, name: 'Ops' }])
      await roster.groups.removeMember(acme.principal, admins.id, ada.id)
      await roster.groups.removeMember(acme.principal, admins.id, ada.id)
      assert.deepEqual(await roster.groups.forUser(acme.principal, ada.id), [{ groupId: ops.id, name: 'Ops' }])
    })

    it('deleting a group ends its memberships; deleting a member keeps the group', async () => {
      const ops = await roster.groups.create(acme.principal, { name: 'Ops' })
      const bob = await roster.users.create(acme.principal, { name: 'Bob' })
      await roster.groups.addMember(acme.principal, ops.id, ada.id)
      await roster.groups.addMember(acme.principal, ops.id, bob.id)
      await roster.users.delete(acme.principal, bob.id)
      assert.deepEqual(await roster.groups.get(acme.principal, ops.id), ops)
      await roster.groups.delete(acme.principal, ops.id)
      assert.deepEqual(await roster.groups.forUser(acme.principal, ada.id), [])
      await assert.rejects(roster.groups.get(acme.principal, ops.id), NotFoundError)
      await assert.rejects(roster.groups.delete(acme.principal, ops.id), NotFoundError)
      // The name is free again.
      await roster.groups.create(acme.principal, { name: 'Ops' })
    })

    it('never reaches another tenant’s groups or users', async () => {
      const beta = await createTestTenant(roster, 'Beta')
      const theirs = await roster.groups.create(beta.principal, { name: 'Theirs' })
      const stranger = await roster.users.create(beta.principal, { name: 'Stranger' })
      const ours = await roster.groups.create(acme.principal, { name: 'Ours' })
      await assert.rejects(roster.groups.get(acme.principal, theirs.id), NotFoundError)
      await assert.rejects(roster.groups.rename(acme.principal, theirs.id, { name: 'Mine' }), NotFoundError)
      await assert.rejects(roster.groups.delete(acme.principal, theirs.id), NotFoundError)
      await assert.rejects(roster.groups.addMember(acme.principal, theirs.id, ada.id), (e) => e instanceof NotFoundError && e.message === 'Group not found')
      await assert.rejects(roster.groups.addMember(acme.principal, ours.id, stranger.id), (e) => e instanceof NotFoundError && e.message === 'User not found')
      await assert.rejects(roster.groups.removeMember(acme.principal, ours.id, stranger.id), NotFoundError)
      await assert.rejects(roster.groups.forUser(acme.principal, stranger.id), NotFoundError)
      assert.deepEqual(await roster.groups.get(beta.principal, theirs.id), theirs)
      assert.deepEqual(await roster.groups.forUser(beta.principal, stranger.id), [])
    })

    it('needs manage_groups; the bootstrap key is refused', async () => {
      const narrow = await createTestTenant(roster, 'Narrow', ['manage_users'])
      const admin = roster.principals.tenant(narrow.tenantId)
      const group = await roster.groups.create(admin, { name: 'G' })
      const user = await roster.users.create(admin, { name: 'U' })
      const calls = (principal: typeof narrow.principal | ReturnType<Roster['principals']['bootstrap']>) => [
        () => roster.groups.list(principal), () => roster.groups.get(principal, group.id), () => roster.groups.create(principal, { name: 'H' }),
        () => roster.groups.rename(principal, group.id, { name: 'H' }), () => roster.groups.delete(principal, group.id),
        () => roster.groups.addMember(principal, group.id, user.id), () => roster.groups.removeMember(principal, group.id, user.id),
        () => roster.groups.forUser(principal, user.id),
      ]
      for (const call of calls(narrow.principal)) {
        await assert.rejects(call, (e) => e instanceof ForbiddenError && e.message === 'Permission denied: manage_groups required')
      }
      for (const call of calls(roster.principals.bootstrap())) await assert.rejects(call, BootstrapKeyError)
    })
  })
}
