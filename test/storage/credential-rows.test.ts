import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { createTestTenant, openTestRoster } from '../helpers/roster.js'
import { settableClock } from '../helpers/settable-clock.js'
import { tempDbPath } from '../helpers/temp-db.js'

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

describe('credential rows on disk', () => {
  it('keep only a SHA-256 hash and a 13-character prefix of each secret, in no row and no byte of the file', async () => {
    const path = tempDbPath()
    const roster = await openTestRoster({ path, durability: 'full', clock: settableClock() })
    const acme = await createTestTenant(roster)
    const user = await roster.users.create(acme.principal, { name: 'Ada' })
    const issued = []
    for (const name of ['Live', 'Revoked', 'Expiring']) {
      issued.push(await roster.credentials.create(acme.principal, user.id, { name, ...(name === 'Expiring' && { expiresAt: '2027-01-01' }) }))
    }
    // Verified (so metered), listed and revoked: every path that writes or reads a credential row.
    for (const credential of issued) assert.equal((await roster.credentials.verify(credential.secret, { units: 2 })).valid, true)
    await roster.credentials.list(acme.principal, user.id)
    await roster.credentials.revoke(acme.principal, issued[1]!.id)
    await roster.close()

    const db = new Database(path, { readonly: true })
    try {
      const rows = db.prepare('select id, secret_hash, prefix from credentials order by name').all() as { id: string; secret_hash: string; prefix: string }[]
      const byId = new Map(rows.map((row) => [row.id, row]))
      for (const credential of issued) {
        assert.deepEqual(byId.get(credential.id), { id: credential.id, secret_hash: sha256(credential.secret), prefix: credential.secret.slice(0, 13) })
      }
      const tables = db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]
      const dump = tables.map(({ name }) => JSON.stringify(db.prepare(`select * from "${name}"`).all())).join('\n')
      // The dump does reach the credential rows: their hashes are in it.
      assert.ok(issued.every(({ secret }) => dump.includes(sha256(secret))))
      for (const { secret } of issued) {
        // The random body past the visible prefix is what must never be stored.
        assert.equal(dump.includes(secret.slice(13)), false, 'a credential secret is stored in a row')
      }
    } finally {
      db.close()
    }
    const bytes = [path, `${path}-wal`].filter(existsSync).map((file) => readFileSync(file).toString('latin1')).join('')
    assert.ok(bytes.includes(sha256(issued[0]!.secret)), 'the byte scan reads the rows')
    for (const { secret } of issued) assert.equal(bytes.includes(secret.slice(13)), false, 'a credential secret is in the database file')
  })
})
