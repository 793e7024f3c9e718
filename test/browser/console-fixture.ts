import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { createRosterServer, type Roster } from '../../src/index.js'
import type { AdminPrincipal } from '../../src/core/principal.js'
import { createTestTenant, openTestRoster } from '../helpers/roster.js'
import { settableClock } from '../helpers/settable-clock.js'

/** A roster serving the console on 127.0.0.1, with a tenant whose users, keys, roles, groups and usage the pages show. */
export interface ConsoleFixture {
  readonly url: string
  readonly roster: Roster
  /** The tenant's all-permission admin key. */
  readonly adminKey: string
  readonly tenantId: string
  /** The user with the most usage (two credentials, used on most days of the month). */
  readonly acme: { readonly id: string; readonly requests: number; readonly units: number; readonly busiestDay: string; readonly busiestRequests: number }
  /** The first day of the current UTC month, `YYYY-MM-DD`: the console's default usage period starts here. */
  readonly monthStart: string
  close(): Promise<void>
}

// Notable users, created last so they head the newest-first list; filler users page it past 50.
const NOTABLE = [
  { name: 'Initech', email: 'it@initech.example', external_id: 'cust_initech', billing_plan: 'free', metadata: { region: 'us-west' }, suspend: 'Unpaid invoice' },
  { name: 'Umbrella Health', email: 'ops@umbrella.example', external_id: 'cust_umbrella', billing_plan: 'enterprise', metadata: {}, status: 'pending' },
  { name: 'Stark Industries', email: 'api@stark.example', external_id: 'cust_stark', billing_plan: 'enterprise', metadata: { tier: 'enterprise', region: 'us-east' } },
  { name: 'Globex', email: 'dev@globex.example', external_id: 'cust_globex', billing_plan: 'pro', metadata: { tier: 'growth', seats: 40 } },
  { name: 'Acme Corporation', email: 'api@acme.example', external_id: 'cust_abc123', billing_plan: 'pro', metadata: { tier: 'enterprise', signup_source: 'referral', contacts: ['ada@acme.example'] } },
] as const
const FILLERS = 58
const PLANS = ['free', 'pro', 'enterprise'] as const

/** Requests on day `d` (1–28) for a user of weight `w`: a deterministic, uneven shape that makes a readable chart. */
const requestsOn = (d: number, w: number) => (d % 7 === 0 ? 0 : Math.round(w * (3 + ((d * 7) % 11) + (d > 14 ? 4 : 0))))

export async function startConsoleFixture(): Promise<ConsoleFixture> {
  const now = new Date()
  const monthStart = `${now.toISOString().slice(0, 8)}01`
  const clock = settableClock(`${monthStart}T08:00:00.000Z`)
  const roster = await openTestRoster({ clock })
  const tenant = await createTestTenant(roster, 'Northwind Traders')
  const host = roster.principals.tenant(tenant.tenantId as never) as AdminPrincipal
  await roster.users.create(host, { name: 'Olive Owner', email: 'owner@northwind.example' })

  for (let i = 1; i <= FILLERS; i++) {
    clock.advanceMs(37 * 60_000)
    await roster.users.create(host, {
      name: `Customer ${String(i).padStart(2, '0')}`, email: `customer${i}@example.com`, externalId: `cust_${1000 + i}`,
      billingPlan: PLANS[i % PLANS.length]!, metadata: { batch: 'import-2026' },
    })
  }
  const ids: Record<string, string> = {}
  for (const user of NOTABLE) {
    clock.advanceMs(3 * 3_600_000 + 11 * 60_000)
    const created = await roster.users.create(host, {
      name: user.name, email: user.email, externalId: user.external_id, billingPlan: user.billing_plan, metadata: user.metadata,
      ...('status' in user && { status: user.status }),
    })
    if ('suspend' in user) await roster.users.suspend(host, created.id, { reason: user.suspend })
    ids[user.name] = created.id
  }

  // Usage: verify each credential on days 1–28 of this month, as often as the day's shape says.
  const weights: [string, number, string][] = [['Acme Corporation', 3, 'production'], ['Acme Corporation', 1, 'staging'],
    ['Globex', 2, 'backend'], ['Stark Industries', 1, 'etl'], ['Customer 07', 0.5, 'default'], ['Customer 12', 0.25, 'default']]
  const secrets = await Promise.all(weights.map(async ([name, , label]) => {
    const id = ids[name] ?? (await roster.users.list(host, { q: name })).users[0]!.id
    ids[name] = id
    return (await roster.credentials.create(host, id, { name: label })).secret
  }))
  const acmeDaily = new Map<string, number>()
  let acmeUnits = 0
  for (let day = 1; day <= 28; day++) {
    const date = `${monthStart.slice(0, 8)}${String(day).padStart(2, '0')}`
    clock.set(`${date}T12:00:00.000Z`)
    for (const [w, [name, weight]] of weights.entries()) {
      const count = requestsOn(day, weight)
      for (let n = 0; n < count; n++) {
        const units = 1 + ((day + n) % 4)
        const result = await roster.credentials.verify(secrets[w]!, { units })
        if (!result.valid) throw new Error(`fixture: a credential did not verify (${result.reason})`)
        if (name === 'Acme Corporation') {
          acmeDaily.set(date, (acmeDaily.get(date) ?? 0) + 1)
          acmeUnits += units
        }
      }
    }
  }
  clock.set(`${monthStart.slice(0, 8)}28T18:00:00.000Z`)

  const billing = await roster.roles.create(host, { name: 'billing', description: 'Sees invoices and usage' })
  const support = await roster.roles.create(host, { name: 'support', description: 'Answers customer tickets' })
  await roster.roles.grant(host, ids['Acme Corporation']!, [billing.id])
  await roster.roles.grant(host, ids['Globex']!, [billing.id, support.id])
  const reviewers = await roster.groups.create(host, { name: 'Enterprise accounts' })
  await roster.groups.addMember(host, reviewers.id, ids['Stark Industries']!)
  await roster.groups.addMember(host, reviewers.id, ids['Umbrella Health']!)
  await roster.keys.create(tenant.principal, { name: 'Billing service', permissions: ['manage_users', 'record_usage'] })

  const server: Server = createRosterServer(roster, { console: true })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const [busiestDay, busiestRequests] = [...acmeDaily.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))
  return {
    url: `http://127.0.0.1:${port}`,
    roster,
    adminKey: tenant.key,
    tenantId: tenant.tenantId,
    acme: { id: ids['Acme Corporation']!, requests: [...acmeDaily.values()].reduce((a, b) => a + b, 0), units: acmeUnits, busiestDay, busiestRequests },
    monthStart,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await roster.close()
    },
  }
}
