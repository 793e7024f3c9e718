import assert from 'node:assert/strict'
import { createHash, randomUUID } from 'node:crypto'
import { readFileSync, existsSync } from 'node:fs'
import { describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { Kysely, Migrator, SqliteDialect } from 'kysely'
import { openRoster } from '../../src/index.js'
import { sealingKey } from '../../src/core/sealing/secret-box.js'
import { base32Decode, base32Encode, hotp, totpStep } from '../../src/core/mfa/totp.js'
import { MIGRATIONS } from '../../src/storage/migration-list.js'
import { manualClock } from '../helpers/manual-clock.js'
import { tempDbPath } from '../helpers/temp-db.js'

const HOST_KEY = 'legacy-upgrade-host-secret-key-0123456789ab'
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

/** A database as the roster before sealed secrets left it: migrated up to 2026_11_23_010 only. */
async function legacyDatabase(file: string): Promise<void> {
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(file) }) })
  const migrator = new Migrator({
    db, provider: { getMigrations: async () => ({ ...MIGRATIONS }) },
    migrationTableName: 'roster_migration', migrationLockTableName: 'roster_migration_lock',
  })
  const { error } = await migrator.migrateTo('2026_11_23_010_index_accounts')
  assert.equal(error, undefined)
  await db.destroy()
}

/** The bytes of the database file and its WAL, as a copy of them would hold. */
function fileBytes(file: string): Buffer {
  return Buffer.concat([file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f)))
}

describe('secrets an earlier roster stored in clear', () => {
  it('are sealed, salted and scrubbed from the file when roster opens, and keep working', async () => {
    const file = tempDbPath()
    await legacyDatabase(file)
    const clock = manualClock()
    const [tenantId, userId, goneId] = [randomUUID(), randomUUID(), randomUUID()]
    const secret = base32Encode(Buffer.from('legacy-secret-twenty')) // 20 bytes, as roster issued them
    const forgotten = base32Encode(Buffer.from('deleted-secret-bytes'))
    const codes = ['abcde12345', 'fghjk67890']
    const raw = new Database(file)
    raw.pragma('journal_mode = WAL')
    const at = clock.now()
    raw.prepare('insert into tenants (id, name, next_user_number, created_at) values (?, ?, 3, ?)').run(tenantId, 'Acme', at)
    for (const [id, number] of [[userId, 1], [goneId, 2]] as const) {
      raw.prepare(`insert into users (id, tenant_id, number, name, status, account_type, auth_type, created_at)
        values (?, ?, ?, 'Someone', 'active', 'user', 'none', ?)`).run(id, tenantId, number, at)
    }
    const step = totpStep(clock.seconds())
    raw.prepare(`insert into mfa_totp_factors (id, tenant_id, user_id, secret, status, last_used_step, created_at, confirmed_at)
      values (?, ?, ?, ?, 'confirmed', ?, ?, ?)`).run(randomUUID(), tenantId, userId, secret, step, at, at)
    raw.prepare(`insert into mfa_totp_factors (id, tenant_id, user_id, secret, status, created_at) values (?, ?, ?, ?, 'pending', ?)`)
      .run(randomUUID(), tenantId, goneId, forgotten, at)
    raw.prepare('delete from mfa_totp_factors where user_id = ?').run(goneId)
    for (const code of codes) {
      raw.prepare('insert into mfa_recovery_codes (tenant_id, user_id, code_hash, created_at) values (?, ?, ?, ?)').run(tenantId, userId, sha256(code), at)
    }
    raw.close()
    const before = fileBytes(file)
    assert.ok(before.includes(secret) && before.includes(forgotten) && before.includes(sha256(codes[0]!)), 'the old file holds them in clear')

    const roster = await openRoster({ path: file, clock, secretKey: HOST_KEY })
    try {
      const after = fileBytes(file)
      for (const leaked of [secret, forgotten, ...codes.map(sha256)]) assert.ok(!after.includes(leaked), `still in the file: ${leaked}`)
      const check = new Database(file, { readonly: true })
      const factor = check.prepare('select secret, secret_key_id from mfa_totp_factors').get() as { secret: string; secret_key_id: string }
      const salts = check.prepare('select distinct salt from mfa_recovery_codes').all() as { salt: string | null }[]
      check.close()
      assert.equal(factor.secret_key_id, sealingKey(HOST_KEY).id)
      assert.equal(salts.length, 1)
      assert.notEqual(salts[0]!.salt, null)

      const host = roster.principals.tenant(tenantId)
      clock.advance(30)
      const code = hotp(base32Decode(secret)!, step + 1)
      assert.equal((await roster.mfa.verify(host, userId, { code })).method, 'totp')
      assert.deepEqual(await roster.mfa.verify(host, userId, { code: 'ABCDE-12345' }), { method: 'recovery_code', recoveryCodesRemaining: 1 })
    } finally {
      await roster.close()
    }
  })
})
