import { openRoster, type OpenRosterOptions, type Roster } from '../../src/index.js'
import type { AdminPrincipal } from '../../src/core/principal.js'
import type { Permission } from '../../src/core/permissions.js'

export const BOOTSTRAP_KEY = 'test-bootstrap-key-0123456789abcdefghij'

/** A roster over `path` (default `:memory:`), or the PostgreSQL database given, with the test bootstrap key set. */
export function openTestRoster(options: OpenRosterOptions = {}): Promise<Roster> {
  // A PostgreSQL place names no path.
  return openRoster({ ...(options.postgres ? {} : { path: ':memory:' }), bootstrapKey: BOOTSTRAP_KEY, durability: 'normal', ...options })
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
