import type Database from 'better-sqlite3'
import type { AdminPrincipal } from '../../src/core/principal.js'
import { hashSecret } from '../../src/core/secrets.js'
import type { Roster } from '../../src/index.js'
import type { LoadedTenant } from '../lib/bulk-load.js'

/** One loaded tenant with a real admin key, issued and authenticated through roster. */
export interface BenchTenant extends LoadedTenant {
  readonly secret: string
  readonly secretHash: string
  readonly principal: AdminPrincipal
}

/** A user picked at random for point reads, with its tenant. */
export interface SampleUser {
  readonly tenant: BenchTenant
  readonly id: string
  readonly externalId: string
}

export interface UsersFixture {
  readonly tenants: readonly BenchTenant[]
  readonly samples: readonly SampleUser[]
}

const SAMPLE_SIZE = 1024

/** Issues one admin key per loaded tenant and picks random users to read, so every measured call hits real rows. */
export async function prepareUsersFixture(roster: Roster, raw: Database.Database, loaded: readonly LoadedTenant[]): Promise<UsersFixture> {
  const tenants: BenchTenant[] = []
  for (const tenant of loaded) {
    const key = await roster.keys.create(roster.principals.tenant(tenant.id), { name: 'bench' })
    const principal = await roster.authenticate(key.secret)
    if (principal.kind !== 'admin') throw new Error('bench key did not authenticate as an admin')
    tenants.push({ ...tenant, secret: key.secret, secretHash: hashSecret(key.secret), principal })
  }
  const byId = new Map(tenants.map((tenant) => [tenant.id, tenant]))
  const rows = raw
    .prepare('select id, external_id, tenant_id from users where external_id is not null order by random() limit ?')
    .all(SAMPLE_SIZE) as { id: string; external_id: string; tenant_id: string }[]
  const samples = rows.map((row) => ({ tenant: byId.get(row.tenant_id)!, id: row.id, externalId: row.external_id }))
  return { tenants, samples }
}
