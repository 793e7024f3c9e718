import { after } from 'node:test'
import { openRoster, type OpenRosterOptions, type Roster } from '../../src/index.js'
import type { AdminPrincipal } from '../../src/core/principal.js'
import type { Permission } from '../../src/core/permissions.js'

export const BOOTSTRAP_KEY = 'test-bootstrap-key-0123456789abcdefghij'

/** A roster over `path` (default `:memory:`), or the PostgreSQL database given, with the test bootstrap key set. */
export async function openTestRoster(options: OpenRosterOptions = {}): Promise<Roster> {
  const place = options.path !== undefined || options.postgres !== undefined ? {} : await defaultPlace()
  return openRoster({ ...place, bootstrapKey: BOOTSTRAP_KEY, durability: 'normal', ...options })
}

/**
 * Where a test that names no store runs: `:memory:`, or with ROSTER_TEST_DEFAULT_STORE=postgres (as
 * `npm run test:postgres` sets it for the HTTP tests) a new PostgreSQL database.
 */
async function defaultPlace(): Promise<OpenRosterOptions> {
  if (!onPostgres) return { path: ':memory:' }
  const { freshPostgresDatabase, POSTGRES_TEST_SECRET_KEY } = await import('./postgres-databases.js')
  return { postgres: { connectionString: await freshPostgresDatabase(onPostgres), max: 4 }, secretKey: POSTGRES_TEST_SECRET_KEY }
}

const onPostgres = process.env.ROSTER_TEST_DEFAULT_STORE === 'postgres' ? process.env.ROSTER_TEST_POSTGRES_URL || null : null
if (onPostgres) {
  after(async () => {
    const { dropPostgresDatabases } = await import('./postgres-databases.js')
    await dropPostgresDatabases(onPostgres)
  })
}

export interface TestTenant {
  readonly tenantId: string
  readonly name: string
  /** The admin key's secret, for HTTP requests. */
  readonly key: string
  readonly keyId: string
  /** The principal the key authenticates as, for library calls. */
  readonly principal: AdminPrincipal
}

/** Creates a tenant through the bootstrap key, with its first admin key narrowed to `permissions` if given. */
export async function createTestTenant(roster: Roster, name = 'Acme', permissions?: Permission[]): Promise<TestTenant> {
  const { tenant, key } = await roster.tenants.create(roster.principals.bootstrap(), {
    entityName: name,
    ...(permissions && { permissions }),
  })
  const principal = (await roster.authenticate(key.secret)) as AdminPrincipal
  return { tenantId: tenant.id, name: tenant.name, key: key.secret, keyId: key.id, principal }
}
