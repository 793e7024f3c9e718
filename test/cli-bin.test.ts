import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { openRoster } from '../src/index.js'
import { PROJECT_ROOT, runRoster } from './helpers/cli.js'
import { tempDbPath } from './helpers/temp-db.js'

// These run bin/roster.js, the compiled CLI in dist/ (built by `pretest`), the way `npx roster` runs it.
const compiled = { compiled: true }
const ADMIN_SECRET = /rsk_admin_[0-9A-Za-z]{40}/
const HEADER = 'tenant_id\ttenant_name\tkey_id\tprefix\tname\tpermissions\tcreated_at\trevoked_at'

/** `roster keys create` through the compiled CLI; returns the tenant id and the printed secret. */
async function createTenant(db: string, entity: string, extra: string[] = []): Promise<{ tenantId: string; secret: string }> {
  const { code, stdout, stderr } = await runRoster(['keys', 'create', '--entity', entity, '--db', db, ...extra], {}, compiled)
  assert.equal(code, 0, stderr)
  return { tenantId: /^tenant (\S+)/.exec(stdout)![1]!, secret: ADMIN_SECRET.exec(stdout)![0] }
}

/** The rows `roster keys list` printed, each split into its named columns. */
function rows(stdout: string): Record<string, string>[] {
  const [header, ...lines] = stdout.trimEnd().split('\n')
  assert.equal(header, HEADER)
  const names = HEADER.split('\t')
  return lines.map((line) => Object.fromEntries(line.split('\t').map((value, i) => [names[i], value])))
}

describe('compiled CLI (bin/roster.js)', { concurrency: true, timeout: 60_000 }, () => {
  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(`${PROJECT_ROOT}/package.json`, 'utf8')) as { version: string }
    for (const flag of ['--version', '-v']) assert.deepEqual(await runRoster([flag], {}, compiled), { code: 0, stdout: `${version}\n`, stderr: '' })
  })

  it('--help lists every command and the environment variables', async () => {
    const { code, stdout } = await runRoster(['--help'], {}, compiled)
    assert.equal(code, 0)
    for (const text of ['roster serve', 'roster keys create --entity', 'roster keys list [--tenant ID] [--db PATH]', 'roster --version', 'ROSTER_DB', 'ROSTER_PORT', 'ROSTER_HOST']) {
      assert.ok(stdout.includes(text), `--help lacks ${text}`)
    }
  })

  it('keys list shows every tenant’s keys, or one tenant’s with --tenant, revoked ones marked, never a secret', async () => {
    const db = tempDbPath()
    const acme = await createTenant(db, 'Acme')
    const beta = await createTenant(db, 'Beta\tCorp', ['--name', 'Ops', '--permissions', 'manage_users,manage_keys'])
    const roster = await openRoster({ path: db })
    // The tenant's only manage_keys key cannot be revoked, so a second, narrower key is.
    const temp = await roster.keys.create(roster.principals.tenant(acme.tenantId), { name: 'Temp', permissions: ['manage_users'] })
    const revoked = await roster.keys.revoke(roster.principals.tenant(acme.tenantId), temp.id)
    await roster.close()

    const all = await runRoster(['keys', 'list', '--db', db], {}, compiled)
    assert.equal(all.code, 0, all.stderr)
    assert.doesNotMatch(all.stdout, ADMIN_SECRET)
    assert.deepEqual(rows(all.stdout).map((r) => [r['tenant_id'], r['tenant_name'], r['name'], r['permissions'], r['prefix'], r['revoked_at']]), [
      // Each tenant's keys newest first, as keys.list gives them.
      [acme.tenantId, 'Acme', 'Temp', 'manage_users', temp.prefix, revoked.revokedAt],
      [acme.tenantId, 'Acme', 'Admin key', 'manage_users,manage_credentials,record_usage,manage_roles,manage_groups,manage_keys,view_audit', acme.secret.slice(0, 14), '-'],
      [beta.tenantId, 'Beta Corp', 'Ops', 'manage_users,manage_keys', beta.secret.slice(0, 14), '-'],
    ])

    const one = await runRoster(['keys', 'list', '--tenant', beta.tenantId, '--db', db], {}, compiled)
    assert.equal(one.code, 0, one.stderr)
    assert.deepEqual(rows(one.stdout).map((r) => r['tenant_id']), [beta.tenantId])
  })

  it('keys list: an unknown tenant, or a database that does not exist, exits 1 saying so and creates nothing', async () => {
    const db = tempDbPath()
    await createTenant(db, 'Acme')
    for (const tenant of ['6a0f9b8e-4d2c-4b7a-9e1f-2c3d4e5f6a7b', 'not-a-uuid']) {
      const unknown = await runRoster(['keys', 'list', '--tenant', tenant, '--db', db], {}, compiled)
      assert.deepEqual([unknown.code, unknown.stdout], [1, ''])
      assert.match(unknown.stderr, /Tenant not found/)
    }
    const missing = tempDbPath()
    const none = await runRoster(['keys', 'list', '--db', missing], {}, compiled)
    assert.deepEqual([none.code, none.stdout], [1, ''])
    assert.match(none.stderr, /no database at/)
    assert.throws(() => readFileSync(missing), { code: 'ENOENT' })
  })
})
