import { parseArgs } from 'node:util'
import { openRoster } from '../open-roster.js'
import { SECRET_KEY_FILE_OPTION, secretKeyOptions } from './secret-key-options.js'
import { UsageError } from './usage-error.js'

/** `roster keys create --entity NAME …` (a tenant and its first admin key) or `--tenant ID` (a recovery key), printed once. */
export async function keysCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args
  if (action === 'create') return createKey(rest)
  throw new UsageError(`unknown command "keys ${args.join(' ')}"`)
}

async function createKey(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      entity: { type: 'string' }, tenant: { type: 'string' }, db: { type: 'string' }, name: { type: 'string' }, permissions: { type: 'string' },
      ...SECRET_KEY_FILE_OPTION,
    },
  })
  if (values.tenant !== undefined) {
    if (values.entity !== undefined) throw new UsageError('give --entity NAME (a new tenant) or --tenant ID (an existing one), not both')
    return createRecoveryKey({ ...values, tenant: values.tenant })
  }
  if (!values.entity) throw new UsageError('--entity NAME is required')
  const roster = await openRoster({ path: values.db ?? './roster.db', ...secretKeyOptions(values['secret-key-file']) })
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
  tenant: string; db?: string | undefined; name?: string | undefined; permissions?: string | undefined; 'secret-key-file'?: string | undefined
}): Promise<void> {
  const roster = await openRoster({ path: values.db ?? './roster.db', ...secretKeyOptions(values['secret-key-file']) })
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
