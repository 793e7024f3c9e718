import { parseArgs } from 'node:util'
import { openRoster } from '../open-roster.js'
import { storeLocation } from './env-defaults.js'
import { SECRET_KEY_FILE_OPTION, secretKeyOptions } from './secret-key-options.js'
import { UsageError } from './usage-error.js'

/** `roster tenants transfer-ownership --tenant ID --user USER_ID`: the host moves a tenant's ownership. */
export async function tenantsCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args
  if (action === 'transfer-ownership') return transferOwnership(rest)
  throw new UsageError(`unknown command "tenants ${args.join(' ')}"`)
}

/**
 * Admin keys never change who owns a tenant (the owner policy keeps the owner's account from them);
 * whoever runs this on the host holds the database file, so it acts as the tenant's trusted principal.
 */
async function transferOwnership(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { tenant: { type: 'string' }, user: { type: 'string' }, db: { type: 'string' }, postgres: { type: 'string' }, ...SECRET_KEY_FILE_OPTION } })
  if (!values.tenant) throw new UsageError('--tenant TENANT_ID is required')
  if (!values.user) throw new UsageError('--user USER_ID is required')
  const roster = await openRoster({ ...storeLocation(values.db, values.postgres), ...secretKeyOptions(values['secret-key-file']) })
  try {
    const tenant = await roster.tenants.transferOwnership(roster.principals.tenant(values.tenant), values.user)
    process.stdout.write(`tenant ${tenant.id} (${tenant.name}) is now owned by user ${tenant.ownerUserId}\n`)
  } finally {
    await roster.close()
  }
}
