import assert from 'node:assert/strict'
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { openRoster, SecretKeyError, ValidationError, type OpenRosterOptions, type Roster } from '../../src/index.js'
import { sealingKey } from '../../src/core/sealing/secret-box.js'
import { base32Decode, hotp, totpStep } from '../../src/core/mfa/totp.js'
import { manualClock } from '../helpers/manual-clock.js'
import { tempDbPath } from '../helpers/temp-db.js'

const KEY_A = 'host-secret-key-a-0123456789abcdefghijklmno'
const KEY_B = 'host-secret-key-b-0123456789abcdefghijklmno'
const clock = manualClock()

/** Opens roster over `db`, collecting its notices. */
async function open(db: string, options: OpenRosterOptions = {}): Promise<{ roster: Roster; notices: string[] }> {
  const notices: string[] = []
  const roster = await openRoster({ path: db, clock, onNotice: (message) => notices.push(message), ...options })
  return { roster, notices }
}

/** Enrols a user in MFA and returns a checker that verifies a fresh code on any roster over the same file. */
async function enrolSomeone(roster: Roster) {
  const { tenant } = await roster.tenants.create(roster.principals.bootstrap(), { entityName: 'Acme' })
  const host = roster.principals.tenant(tenant.id)
  const user = await roster.users.create(host, { name: 'Ada' })
  const { secret } = await roster.mfa.startEnrolment(host, user.id)
  const code = () => hotp(base32Decode(secret)!, totpStep(clock.seconds()))
  await roster.mfa.confirm(host, user.id, { code: code() })
  return async (other: Roster) => {
    clock.advance(30)
    return (await other.mfa.verify(other.principals.tenant(tenant.id), user.id, { code: code() })).method
  }
}

describe('the secret key', () => {
  it('without one, roster creates <db>.key (mode 0600) once, says so once, and uses it again', async () => {
    const db = tempDbPath()
    const first = await open(db)
    const file = `${db}.key`
    assert.equal(statSync(file).mode & 0o777, 0o600)
    assert.match(readFileSync(file, 'utf8'), /^[\w-]{43}\n$/)
    assert.deepEqual(first.notices, [`roster: created the secret key file ${file} (mode 0600). It seals the database's MFA secrets: back it up, but never beside copies of the database.`])
    assert.equal(first.roster.secrets.keyId(), sealingKey(readFileSync(file, 'utf8').trim()).id)
    const verify = await enrolSomeone(first.roster)
    await first.roster.close()
    const second = await open(db)
    assert.deepEqual(second.notices, [])
    assert.equal(await verify(second.roster), 'totp')
    await second.roster.close()
  })

  it(':memory: gets a throwaway key and no file; a given key creates no file', async () => {
    const memory = await open(':memory:')
    assert.deepEqual(memory.notices, [])
    assert.match(memory.roster.secrets.keyId(), /^[0-9a-f]{16}$/)
    await memory.roster.close()
    const db = tempDbPath()
    const given = await open(db, { secretKey: KEY_A })
    assert.equal(given.roster.secrets.keyId(), sealingKey(KEY_A).id)
    assert.equal(existsSync(`${db}.key`), false)
    await given.roster.close()
  })

  it('refuses a wrong key, a lost key file, an unreadable or short key, and two keys at once', async () => {
    const db = tempDbPath()
    const { roster } = await open(db, { secretKey: KEY_A })
    await enrolSomeone(roster)
    await roster.close()
    await assert.rejects(open(db, { secretKey: KEY_B }), (e) =>
      e instanceof SecretKeyError && e.message.includes(`sealed with key ${sealingKey(KEY_A).id}, but roster was given key ${sealingKey(KEY_B).id}`))
    await assert.rejects(open(db), (e) => e instanceof SecretKeyError && e.message.includes(`${db}.key does not exist`))
    assert.equal(existsSync(`${db}.key`), false, 'no new key file beside secrets it cannot open')
    await assert.rejects(open(db, { secretKeyFile: path.join(path.dirname(db), 'missing.key') }), (e) => e instanceof SecretKeyError && /Cannot read the secret key file/.test(e.message))
    await assert.rejects(open(db, { secretKey: 'short' }), (e) => e instanceof ValidationError && e.field === 'secretKey')
    const shortFile = path.join(path.dirname(db), 'short.key')
    writeFileSync(shortFile, 'short\n', { mode: 0o600 })
    await assert.rejects(open(db, { secretKeyFile: shortFile }), (e) => e instanceof SecretKeyError && e.message === `The secret key file ${shortFile} must hold a key of at least 32 characters`)
    await assert.rejects(open(db, { secretKey: KEY_A, secretKeyFile: `${db}.key` }), ValidationError)
    const reopened = await open(db, { secretKey: KEY_A })
    await reopened.roster.close()
  })

  it('reads --secret-key-file keys and warns when others can read the file', async () => {
    const db = tempDbPath()
    const file = path.join(path.dirname(db), 'host.key')
    writeFileSync(file, `${KEY_A}\n`, { mode: 0o644 })
    chmodSync(file, 0o644)
    const loose = await open(db, { secretKeyFile: file })
    assert.equal(loose.roster.secrets.keyId(), sealingKey(KEY_A).id)
    assert.deepEqual(loose.notices, [`roster: warning: the secret key file ${file} can be read by other users; run chmod 600 on it`])
    await loose.roster.close()
  })

  it('rotates: previousSecretKeys re-seals at open, and secrets.rotate re-seals in place; the old key then fails', async () => {
    const db = tempDbPath()
    const first = await open(db, { secretKey: KEY_A })
    const verify = await enrolSomeone(first.roster)
    await first.roster.close()

    const second = await open(db, { secretKey: KEY_B, previousSecretKeys: [KEY_A] })
    assert.equal(await verify(second.roster), 'totp')
    await second.roster.close()
    const keyIds = () => {
      const raw = new Database(db, { readonly: true })
      try {
        return (raw.prepare('select secret_key_id from mfa_totp_factors').all() as { secret_key_id: string }[]).map((r) => r.secret_key_id)
      } finally {
        raw.close()
      }
    }
    assert.deepEqual(keyIds(), [sealingKey(KEY_B).id])
    await assert.rejects(open(db, { secretKey: KEY_A }), SecretKeyError)

    const third = await open(db, { secretKey: KEY_B })
    const rotated = await third.roster.secrets.rotate(KEY_A)
    assert.deepEqual(rotated, { keyId: sealingKey(KEY_A).id, resealed: 1 })
    assert.equal(third.roster.secrets.keyId(), sealingKey(KEY_A).id)
    assert.equal(await verify(third.roster), 'totp')
    await assert.rejects(third.roster.secrets.rotate('too short'), ValidationError)
    assert.equal(third.roster.secrets.keyId(), sealingKey(KEY_A).id)
    await third.roster.close()
    assert.deepEqual(keyIds(), [sealingKey(KEY_A).id])
    await assert.rejects(open(db, { secretKey: KEY_B }), SecretKeyError)
    const fourth = await open(db, { secretKey: KEY_A })
    assert.equal(await verify(fourth.roster), 'totp')
    await fourth.roster.close()
  })
})
