import assert from 'node:assert/strict'
import { createRequire, syncBuiltinESMExports } from 'node:module'
import { after, afterEach, before, beforeEach, describe, it } from 'node:test'
import { ConflictError, ForbiddenError, NotFoundError, TooManyAttemptsError, ValidationError, type AdminPrincipal, type Roster } from '../../src/index.js'
import { request } from '../helpers/http.js'
import { jsonApiError } from '../helpers/json-api.js'
import { openTestRoster } from '../helpers/roster.js'
import { startTestServer } from '../helpers/server.js'
import { STORES } from '../helpers/stores.js'

// Counts real scrypt runs: node:crypto's export is wrapped and the ES module bindings resynced, so
// roster's own `import { scrypt } from 'node:crypto'` goes through the counter. Nothing is faked.
const crypto = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')
const realScrypt = crypto.scrypt
let runs = 0
before(() => {
  crypto.scrypt = ((...args: Parameters<typeof realScrypt>) => {
    runs++
    return (realScrypt as (...a: unknown[]) => void)(...args)
  }) as typeof realScrypt
  syncBuiltinESMExports()
})
after(() => {
  crypto.scrypt = realScrypt
  syncBuiltinESMExports()
})

/** How many times scrypt ran during `work`, and what `work` ended with. */
async function scryptRuns(work: () => Promise<unknown>): Promise<{ runs: number; outcome: unknown }> {
  const start = runs
  const outcome = await work().catch((error: unknown) => error)
  return { runs: runs - start, outcome }
}

for (const backend of STORES) {
  describe(`${backend.name}: validate and load first, hash last`, () => {
    let roster: Roster
    let key: AdminPrincipal
    let ownerNumber: number

    beforeEach(async () => {
      roster = await openTestRoster(await backend.roster())
      const created = await roster.tenants.create(roster.principals.bootstrap(), {
        entityName: 'Acme', owner: { email: 'owner@acme.com', firstName: 'Olive', lastName: 'Owner' },
      })
      key = (await roster.authenticate(created.key.secret)) as AdminPrincipal
      ownerNumber = created.owner!.number
    })
    afterEach(() => roster.close())

    it('a password change that fails for any reason but the hash itself runs no scrypt', async () => {
      await roster.accounts.create(key, { email: 'ann@acme.com' })
      const cases: [string, () => Promise<unknown>, (e: unknown) => boolean][] = [
        ['PATCH of an unknown account', () => roster.accounts.update(key, 999, { password: 'a long password' }), (e) => e instanceof NotFoundError],
        ['PATCH of a malformed id', () => roster.accounts.update(key, 'x', { password: 'a long password' }), (e) => e instanceof NotFoundError],
        ['PATCH with a bad field', () => roster.accounts.update(key, 2, { password: 'a long password', email: 'nope' }), (e) => e instanceof ValidationError],
        ['PATCH of the owner', () => roster.accounts.update(key, ownerNumber, { password: 'a long password' }), (e) => e instanceof ForbiddenError],
        ['set on an unknown account', () => roster.passwords.set(key, 999, 'a long password'), (e) => e instanceof NotFoundError],
        ['set on the owner', () => roster.passwords.set(key, ownerNumber, 'a long password'), (e) => e instanceof ForbiddenError],
        ['create with a taken email', () => roster.accounts.create(key, { email: 'ANN@acme.com', password: 'a long password' }), (e) => e instanceof ConflictError],
      ]
      for (const [name, work, check] of cases) {
        const { runs: count, outcome } = await scryptRuns(work)
        assert.ok(check(outcome), `${name}: ${String(outcome)}`)
        assert.equal(count, 0, name)
      }
      assert.equal((await scryptRuns(() => roster.accounts.update(key, 2, { password: 'a long password' }))).runs, 1)
    })

    it('a locked-out account is refused without scrypt', async () => {
      await roster.accounts.create(key, { email: 'ann@acme.com', password: 'a long password' })
      for (let i = 0; i < 5; i++) await roster.passwords.verify(key.tenantId, 'ann@acme.com', 'wrong password')
      const { runs: count, outcome } = await scryptRuns(() => roster.passwords.verify(key.tenantId, 'ann@acme.com', 'a long password'))
      assert.ok(outcome instanceof TooManyAttemptsError)
      assert.equal(count, 0)
    })
  })
}

describe('IAM over HTTP: hash last', () => {
  it('PATCH with a password to an account that does not exist: 404 before any scrypt work', async () => {
    const server = await startTestServer()
    try {
      const { key } = await server.roster.tenants.create(server.roster.principals.bootstrap(), { entityName: 'Acme' })
      const patch = () => request(server.url, '/api/v3/iam/accounts/424242', {
        method: 'PATCH', key: key.secret, body: { data: { type: 'accounts', attributes: { password: 'a long password' } } },
      })
      const { runs: count, outcome } = await scryptRuns(patch)
      jsonApiError(outcome as Awaited<ReturnType<typeof patch>>, 404)
      assert.equal(count, 0)
    } finally {
      await server.close()
    }
  })
})
