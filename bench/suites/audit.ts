import type { Suite } from '../bench-types.js'
import { createUsersService } from '../../src/core/users/users-service.js'
import { createTenantsService } from '../../src/core/tenants/tenants-service.js'
import { SYSTEM_CLOCK } from '../../src/core/clock.js'
import { PERMISSIONS } from '../../src/core/permissions.js'
import { BOOTSTRAP_PRINCIPAL, type AdminPrincipal } from '../../src/core/principal.js'
import type { Repositories, Store } from '../../src/core/ports/store.js'
import type { TenantId, UserId } from '../../src/core/ids.js'
import { openSqliteStore } from '../../src/storage/sqlite/sqlite-store.js'
import { openRawConnection } from '../lib/raw-connection.js'
import { createTempFolder } from '../lib/temp-folder.js'
import { compareRates, cycle, median, rateFigure, rateOptions, type RateOptions } from '../lib/timing.js'
import { concurrentRate } from './concurrent-rate.js'
import { prepareRawAudit } from './audit-raw.js'

const TENANTS = 10
const USERS_PER_TENANT = 200
const CREATE_TARGET = 0.7
// The audit entry may cost the write at most 10%: with it, at least 0.9 of the rate without it.
const AUDIT_COST_TARGET = 0.9

/** Concurrent callers, as a service sees them: their commits share groups, and so do their entries' pages. */
const CALLERS = 32

/** Two asynchronous ops, each from CALLERS concurrent callers, in alternating rounds; the median rate of each. */
async function compareConcurrentPair(op: () => Promise<unknown>, baseline: () => Promise<unknown>, options: RateOptions) {
  await concurrentRate(op, CALLERS, options.warmupMs)
  await concurrentRate(baseline, CALLERS, options.warmupMs)
  const [values, baselines] = [[] as number[], [] as number[]]
  for (let round = 0; round < options.rounds; round++) {
    if (round % 2 === 0) baselines.push(await concurrentRate(baseline, CALLERS, options.roundMs))
    values.push(await concurrentRate(op, CALLERS, options.roundMs))
    if (round % 2 === 1) baselines.push(await concurrentRate(baseline, CALLERS, options.roundMs))
  }
  return { value: median(values), baseline: median(baselines) }
}

/** The same store with the audit log's append doing nothing: the write path as it was before the log. */
function withoutAudit(store: Store): Store {
  const skip: Repositories['audit'] = { append: async () => {}, list: async () => [], prune: async () => 0 }
  return { ...store, transaction: (work) => store.transaction((tx) => work({ ...tx, audit: skip })) }
}

/**
 * What the audit log costs the write path: creating and renaming users with the entry against the
 * same service writing none, and against raw better-sqlite3 doing the same SQL (entry included, and not).
 */
export const auditSuite: Suite = {
  name: 'audit',
  async run(options, report, note) {
    const folder = createTempFolder('audit')
    const path = folder.file('roster.db')
    const store = await openSqliteStore({ path, durability: options.durability })
    const handle = openRawConnection(path, options.durability)
    try {
      const tenants = createTenantsService(store, SYSTEM_CLOCK)
      const audited = createUsersService(store, SYSTEM_CLOCK)
      const plain = createUsersService(withoutAudit(store), SYSTEM_CLOCK)
      const fixture: { principal: AdminPrincipal; users: UserId[] }[] = []
      for (let t = 0; t < TENANTS; t++) {
        const { tenant, key } = await tenants.create(BOOTSTRAP_PRINCIPAL, { entityName: `Audit ${t}` })
        const principal: AdminPrincipal = { kind: 'admin', tenantId: tenant.id as TenantId, keyId: key.id, permissions: new Set(PERMISSIONS) }
        const users: UserId[] = []
        for (let u = 0; u < USERS_PER_TENANT; u++) users.push((await plain.create(principal, { name: `Seed ${u}` })).id)
        fixture.push({ principal, users })
      }
      const targets = fixture.flatMap((t) => t.users.map((id) => ({ principal: t.principal, id })))
      note('audit: scale', `${TENANTS} tenants, ${targets.length} users renamed in turn`)
      const raw = prepareRawAudit(handle)
      const rates = rateOptions(options)
      let n = 0
      const create = (service: typeof audited) => {
        const next = cycle(fixture)
        return () => {
          const i = n++
          return service.create(next().principal, { name: 'Bench User', externalId: `bench-${i}`, email: `bench-${i}@example.com` })
        }
      }
      const rawCreate = (withEntry: boolean) => {
        const next = cycle(fixture)
        return () => {
          const i = n++
          const { principal } = next()
          return raw.create({ tenantId: principal.tenantId, adminKeyId: principal.keyId!, externalId: `bench-${i}`, email: `bench-${i}@example.com` }, withEntry)
        }
      }
      const patch = (service: typeof audited) => {
        const next = cycle(targets)
        return () => {
          const t = next()
          return service.update(t.principal, t.id, { name: `Renamed ${n++}` })
        }
      }
      const rawPatch = (withEntry: boolean) => {
        const next = cycle(targets)
        return () => {
          const t = next()
          return raw.rename(t.principal.tenantId, t.principal.keyId!, t.id, `Renamed ${n++}`, withEntry)
        }
      }

      report(rateFigure('audit.users.create', await compareRates(create(audited), rawCreate(true), rates), CREATE_TARGET))
      report(rateFigure('audit.users.patch', await compareRates(patch(audited), rawPatch(true), rates), CREATE_TARGET))
      // Baseline here is roster itself without the entry: the ratio is what the entry leaves of the rate.
      report(rateFigure('audit.cost.users.create', await compareRates(create(audited), create(plain), rates), AUDIT_COST_TARGET))
      report(rateFigure('audit.cost.users.patch', await compareRates(patch(audited), patch(plain), rates), AUDIT_COST_TARGET))
      report(rateFigure(`audit.cost.users.create.c${CALLERS}`, await compareConcurrentPair(create(audited), create(plain), rates), AUDIT_COST_TARGET))
      report(rateFigure(`audit.cost.users.patch.c${CALLERS}`, await compareConcurrentPair(patch(audited), patch(plain), rates), AUDIT_COST_TARGET))
      // The same two costs in raw SQL, for scale: what the entry's INSERT costs SQLite alone.
      const rawCreateCost = await compareRates(rawCreate(true), rawCreate(false), rates)
      const rawPatchCost = await compareRates(rawPatch(true), rawPatch(false), rates)
      const share = (r: { value: number; baseline: number }) => `${Math.round((1 - r.value / r.baseline) * 1000) / 10}%`
      note('audit: raw SQL cost of the entry', `create ${share(rawCreateCost)}, patch ${share(rawPatchCost)} of the raw rate`)
    } finally {
      await store.close()
      handle.close()
      folder.remove()
    }
  },
}
