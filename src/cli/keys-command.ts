import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { AdminKey } from '../core/keys/admin-key.js'
import type { Tenant } from '../core/tenants/tenant.js'
import { openRoster } from '../open-roster.js'
import { storeLocation } from './env-defaults.js'
import { SECRET_KEY_FILE_OPTION, secretKeyOptions } from './secret-key-options.js'
import { UsageError } from './usage-error.js'

/**
 * `roster keys create|list …`: admin keys from the shell, for whoever holds the database file:
 * `create --entity NAME` (a tenant and its first key), `create --tenant ID` (a recovery key), `list`.
 */
export async function keysCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args
  if (action === 'create') return createKey(rest)
  if (action === 'list') return listKeys(rest)
  throw new UsageError(`unknown command "keys ${args.join(' ')}"`)
}

async function createKey(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      entity: { type: 'string' }, tenant: { type: 'string' }, db: { type: 'string' }, postgres: { type: 'string' }, name: { type: 'string' }, permissions: { type: 'string' },
      ...SECRET_KEY_FILE_OPTION,
    },
  })
  if (values.tenant !== undefined) {
    if (values.entity !== undefined) throw new UsageError('give --entity NAME (a new tenant) or --tenant ID (an existing one), not both')
    return createRecoveryKey({ ...values, tenant: values.tenant })
  }
  if (!values.entity) throw new UsageError('--entity NAME is required')
  const roster = await openRoster({ ...storeLocation(values.db, values.postgres), ...secretKeyOptions(values['secret-key-file']) })
  try {
    const { tenant, key } = await roster.tenants.create(roster.principals.bootstrap(), {
      entityName: values.entity,
      ...(values.name !== undefined && { name: values.name }),
      ...(values.permissions !== undefined && { permissions: values.permissions.split(',').map((p) => p.trim()) as never }),
    })
    process.stdout.write(`tenant ${tenant.id} (${tenant.name})\nadmin key (shown once): ${key.secret}\n`)
  } finally {
    await roster.close()
  }
}

/**
 * `roster keys create --tenant ID`: the host's recovery path for a tenant that has lost every key.
 * Whoever can run this can read the database file, so it needs no key; the new key is listed among
 * the tenant's keys (named "Recovery key" unless named) for anyone auditing them.
 */
async function createRecoveryKey(values: {
  tenant: string; db?: string | undefined; postgres?: string | undefined; name?: string | undefined; permissions?: string | undefined; 'secret-key-file'?: string | undefined
}): Promise<void> {
  const roster = await openRoster({ ...storeLocation(values.db, values.postgres), ...secretKeyOptions(values['secret-key-file']) })
  try {
    const key = await roster.keys.recover(roster.principals.bootstrap(), {
      tenantId: values.tenant,
      ...(values.name !== undefined && { name: values.name }),
      ...(values.permissions !== undefined && { permissions: values.permissions.split(',').map((p) => p.trim()) as never }),
    })
    process.stdout.write(`tenant ${key.tenantId} (${key.tenantName})\nrecovery key ${key.id} (shown once): ${key.secret}\n`)
  } finally {
    await roster.close()
  }
}

const KEY_COLUMNS = ['tenant_id', 'tenant_name', 'key_id', 'prefix', 'name', 'permissions', 'created_at', 'revoked_at']

/**
 * `roster keys list [--tenant ID] [--db PATH]`: every admin key (of one tenant, or of all), never a secret,
 * as tab-separated columns under a header line, so the output reads in a terminal and pipes into scripts.
 */
async function listKeys(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { tenant: { type: 'string' }, db: { type: 'string' }, postgres: { type: 'string' }, ...SECRET_KEY_FILE_OPTION } })
  const location = storeLocation(values.db, values.postgres)
  // Opening creates the file: a mistyped path would list an empty new database instead of saying so.
  if (location.path !== undefined && location.path !== ':memory:' && !existsSync(location.path)) throw new UsageError(`no database at ${location.path}`)
  const roster = await openRoster({ ...location, ...secretKeyOptions(values['secret-key-file']) })
  try {
    // The shell user holds the database file, so it acts as the trusted host does: as the tenant itself.
    const tenants = values.tenant === undefined
      ? await roster.tenants.list(roster.principals.bootstrap())
      : [await roster.tenants.get(roster.principals.tenant(values.tenant), values.tenant)]
    const lines = [KEY_COLUMNS]
    for (const tenant of tenants) {
      for (const key of await roster.keys.list(roster.principals.tenant(tenant.id))) lines.push(keyColumns(tenant, key))
    }
    process.stdout.write(lines.map((columns) => `${columns.join('\t')}\n`).join(''))
  } finally {
    await roster.close()
  }
}

function keyColumns(tenant: Tenant, key: AdminKey): string[] {
  // Tabs and newlines in names would break the columns; names are free text, so they are flattened.
  const flat = (text: string) => text.replace(/[\t\r\n]+/g, ' ')
  return [tenant.id, flat(tenant.name), key.id, key.prefix, flat(key.name), key.permissions.join(','), key.createdAt, key.revokedAt ?? '-']
}
