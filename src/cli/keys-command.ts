import { parseArgs } from 'node:util'
import { openRoster } from '../open-roster.js'
import { UsageError } from './usage-error.js'

/** `roster keys create --entity NAME …`: a tenant and its first admin key, printed once. */
export async function keysCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args
  if (action === 'create') return createKey(rest)
  throw new UsageError(`unknown command "keys ${args.join(' ')}"`)
}

async function createKey(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { entity: { type: 'string' }, db: { type: 'string' }, name: { type: 'string' }, permissions: { type: 'string' } },
  })
  if (!values.entity) throw new UsageError('--entity NAME is required')
  const roster = await openRoster({ path: values.db ?? './roster.db' })
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
