import assert from 'node:assert/strict'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { openRoster, SecretKeyError } from '../src/index.js'
import { sealingKey } from '../src/core/sealing/secret-box.js'
import { base32Decode, hotp, totpStep } from '../src/core/mfa/totp.js'
import { listeningUrl, runRoster, spawnRoster } from './helpers/cli.js'
import { request } from './helpers/http.js'
import { BOOTSTRAP_KEY } from './helpers/roster.js'
import { tempDbPath } from './helpers/temp-db.js'

const HOST_KEY = 'cli-host-secret-key-0123456789abcdefghijklm'

/**
 * Stops a serving CLI with SIGTERM and returns how it exited. One request first: serve prints its
 * listening line a moment before it installs its signal handlers, and a signal in that gap kills it.
 */
async function stop(cli: ReturnType<typeof spawnRoster>) {
  const url = await listeningUrl(cli)
  await request(url, '/v1/admin/keys', { key: BOOTSTRAP_KEY })
  cli.child.kill('SIGTERM')
  return cli.exited
}
const quiet = { onNotice: () => {} }

/** A database with one tenant (with an owner) and a user enrolled in MFA; returns what the tests need. */
async function seeded(db: string, options: { secretKey?: string } = {}) {
  const roster = await openRoster({ path: db, ...quiet, ...options })
  try {
    const { tenant, owner } = await roster.tenants.create(roster.principals.bootstrap(), {
      entityName: 'Acme', owner: { email: 'olive@acme.com', firstName: 'Olive', lastName: 'Owner' },
    })
    const host = roster.principals.tenant(tenant.id)
    const user = await roster.users.create(host, { name: 'Ada', email: 'ada@acme.com' })
    const { secret } = await roster.mfa.startEnrolment(host, user.id)
    await roster.mfa.confirm(host, user.id, { code: hotp(base32Decode(secret)!, totpStep(Date.now() / 1000)) })
    return { tenantId: tenant.id, ownerId: owner!.id, userId: user.id, secret }
  } finally {
    await roster.close()
  }
}

const storedKeyIds = (db: string) => {
  const raw = new Database(db, { readonly: true })
  try {
    return (raw.prepare('select distinct secret_key_id as id from mfa_totp_factors').all() as { id: string }[]).map((r) => r.id)
  } finally {
    raw.close()
  }
}

describe('roster CLI: recovery, ownership and secret keys', { concurrency: true, timeout: 60_000 }, () => {
  it('keys create --tenant prints a recovery key the server accepts; unknown tenants and mixed flags fail', async () => {
    const db = tempDbPath()
    const { tenantId } = await seeded(db)
    const created = await runRoster(['keys', 'create', '--tenant', tenantId, '--db', db])
    assert.equal(created.code, 0, created.stderr)
    assert.match(created.stdout, new RegExp(`^tenant ${tenantId} \\(Acme\\)\\nrecovery key [0-9a-f-]{36} \\(shown once\\): rsk_admin_[0-9A-Za-z]{40}\\n$`))
    const key = /rsk_admin_\w+/.exec(created.stdout)![0]
    const cli = spawnRoster(['serve', '--db', db, '--port', '0'], { ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY })
    const keys = await request(await listeningUrl(cli), '/v1/admin/keys', { key })
    assert.deepEqual(keys.body.data.map((k: { name: string }) => k.name).sort(), ['Admin key', 'Recovery key'])
    assert.deepEqual(await stop(cli), { code: 0, signal: null })
    const unknown = await runRoster(['keys', 'create', '--tenant', '00000000-0000-4000-8000-000000000000', '--db', db])
    assert.deepEqual([unknown.code, unknown.stderr.split('\n')[0]], [1, 'roster: Tenant not found'])
    const both = await runRoster(['keys', 'create', '--tenant', tenantId, '--entity', 'X', '--db', db])
    assert.equal(both.code, 1)
    assert.match(both.stderr, /not both/)
  })

  it('tenants transfer-ownership moves the owner; missing flags and unknown users fail', async () => {
    const db = tempDbPath()
    const { tenantId, ownerId, userId } = await seeded(db)
    const moved = await runRoster(['tenants', 'transfer-ownership', '--tenant', tenantId, '--user', userId, '--db', db])
    assert.equal(moved.code, 0, moved.stderr)
    assert.equal(moved.stdout, `tenant ${tenantId} (Acme) is now owned by user ${userId}\n`)
    const roster = await openRoster({ path: db, ...quiet })
    try {
      const page = await roster.accountUsers.list(roster.principals.tenant(tenantId), tenantId)
      assert.deepEqual([page.owner?.id, page.users.map((u) => u.id)], [userId, [ownerId]])
    } finally {
      await roster.close()
    }
    const missing = await runRoster(['tenants', 'transfer-ownership', '--tenant', tenantId, '--db', db])
    assert.deepEqual([missing.code, /--user USER_ID is required/.test(missing.stderr)], [1, true])
    const unknown = await runRoster(['tenants', 'transfer-ownership', '--tenant', tenantId, '--user', 'nobody', '--db', db])
    assert.deepEqual([unknown.code, unknown.stderr.split('\n')[0]], [1, 'roster: User not found'])
  })

  it('serve: creates <db>.key and says so once; --secret-key-file and ROSTER_SECRET_KEY are used instead, a wrong key is refused', async () => {
    const db = tempDbPath()
    const first = spawnRoster(['serve', '--db', db, '--port', '0'], { ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY })
    assert.deepEqual(await stop(first), { code: 0, signal: null })
    assert.match(first.stderr(), new RegExp(`created the secret key file ${db.replace(/[.\\/]/g, '\\$&')}\\.key \\(mode 0600\\)`))
    const second = spawnRoster(['serve', '--db', db, '--port', '0'], { ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY })
    assert.deepEqual(await stop(second), { code: 0, signal: null })
    assert.doesNotMatch(second.stderr(), /secret key file/)

    const other = tempDbPath()
    const file = path.join(path.dirname(other), 'host.key')
    writeFileSync(file, HOST_KEY, { mode: 0o600 })
    await seeded(other, { secretKey: HOST_KEY })
    const withFile = spawnRoster(['serve', '--db', other, '--port', '0', '--secret-key-file', file], { ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY })
    assert.deepEqual(await stop(withFile), { code: 0, signal: null }, withFile.stderr())
    assert.equal(existsSync(`${other}.key`), false)
    const withEnv = spawnRoster(['serve', '--db', other, '--port', '0'], { ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY, ROSTER_SECRET_KEY: HOST_KEY })
    assert.deepEqual(await stop(withEnv), { code: 0, signal: null }, withEnv.stderr())

    const wrong = await runRoster(['serve', '--db', other, '--port', '0'], { ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY, ROSTER_SECRET_KEY: 'w'.repeat(40) })
    assert.equal(wrong.code, 1)
    assert.match(wrong.stderr, new RegExp(`sealed with key ${sealingKey(HOST_KEY).id}, but roster was given key ${sealingKey('w'.repeat(40)).id}`))
    const short = await runRoster(['serve', '--db', other, '--port', '0'], { ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY, ROSTER_SECRET_KEY: 'short' })
    assert.deepEqual([short.code, /ROSTER_SECRET_KEY must be at least 32 characters/.test(short.stderr)], [1, true])
  })

  it('secrets rotate re-seals under a new key file; an interrupted rotation is finished by running it again', async () => {
    const db = tempDbPath()
    const seed = await seeded(db)
    const keyFile = `${db}.key`
    const oldKey = readFileSync(keyFile, 'utf8').trim()
    const rotated = await runRoster(['secrets', 'rotate', '--db', db])
    assert.equal(rotated.code, 0, rotated.stderr)
    const newKey = readFileSync(keyFile, 'utf8').trim()
    assert.notEqual(newKey, oldKey)
    assert.equal(rotated.stdout, `resealed 1 MFA secrets under key ${sealingKey(newKey).id}; ${keyFile} now holds the new key\n`)
    assert.deepEqual([existsSync(`${keyFile}.next`), storedKeyIds(db)], [false, [sealingKey(newKey).id]])
    const reopened = await openRoster({ path: db, ...quiet })
    try {
      // The secret still opens: the next step's code verifies (the confirming step is spent).
      const code = hotp(base32Decode(seed.secret)!, totpStep(Date.now() / 1000) + 1)
      assert.equal((await reopened.mfa.verify(reopened.principals.tenant(seed.tenantId), seed.userId, { code })).method, 'totp')
    } finally {
      await reopened.close()
    }

    // Cut short after the database moved to the next key but before the key file was replaced:
    const next = 'the-next-key-of-an-interrupted-rotation-0001'
    writeFileSync(`${keyFile}.next`, next, { mode: 0o600 })
    await (await openRoster({ path: db, secretKey: next, previousSecretKeys: [newKey], ...quiet })).close()
    await assert.rejects(openRoster({ path: db, ...quiet }), SecretKeyError)
    const finished = await runRoster(['secrets', 'rotate', '--db', db])
    assert.equal(finished.code, 0, finished.stderr)
    assert.deepEqual([readFileSync(keyFile, 'utf8').trim(), storedKeyIds(db)], [next, [sealingKey(next).id]])
    await (await openRoster({ path: db, ...quiet })).close()

    const env = await runRoster(['secrets', 'rotate', '--db', db], { ROSTER_SECRET_KEY: next })
    assert.deepEqual([env.code, /give --new-secret-key-file FILE/.test(env.stderr)], [1, true])
    const elsewhere = path.join(path.dirname(db), 'elsewhere.key')
    const toFile = await runRoster(['secrets', 'rotate', '--db', db, '--new-secret-key-file', elsewhere], { ROSTER_SECRET_KEY: next })
    assert.equal(toFile.code, 0, toFile.stderr)
    assert.deepEqual(storedKeyIds(db), [sealingKey(readFileSync(elsewhere, 'utf8').trim()).id])
    assert.equal(readFileSync(keyFile, 'utf8').trim(), next, 'the old key file is left alone')
  })
})
