import * as v from 'valibot'
import type { Clock } from '../clock.js'
import type { CredentialId } from '../credentials/credential.js'
import { NotFoundError } from '../errors.js'
import { isUuid, type UserId } from '../ids.js'
import { parseInput } from '../parse-input.js'
import type { Store } from '../ports/store.js'
import { requirePermission, type Principal } from '../principal.js'
import type { User } from '../users/user.js'
import type { DailyUsage, UsageTotals } from './usage.js'
import { PeriodInput, resolvePeriod, type Period } from './usage-period.js'

export interface CredentialUsageReport extends UsageTotals {
  readonly credentialId: CredentialId
  readonly name: string
  readonly prefix: string
  readonly revokedAt: string | null
}

export interface UserUsageReport {
  readonly userId: UserId
  readonly period: Period
  readonly totals: UsageTotals
  /** Every credential of the user, revoked ones included, with its usage in the period (0 when none). */
  readonly credentials: readonly CredentialUsageReport[]
  readonly daily: readonly DailyUsage[]
}

export interface UsageSummary {
  readonly period: Period
  readonly totals: UsageTotals
  /** Users with usage in the period, most requests first; `user` is null once the user was deleted. */
  readonly users: readonly (UsageTotals & { readonly userId: UserId; readonly user: User | null })[]
  readonly limit: number
  readonly offset: number
  /** How many users had usage in the period. */
  readonly total: number
}

const page = (field: string, min: number, max: number) =>
  v.pipe(
    v.number(`${field} must be an integer from ${min} to ${max}`),
    v.integer(`${field} must be an integer from ${min} to ${max}`),
    v.minValue(min, `${field} must be an integer from ${min} to ${max}`),
    v.maxValue(max, `${field} must be an integer from ${min} to ${max}`),
  )
const SummaryInput = v.strictObject({
  ...PeriodInput.entries,
  limit: v.optional(page('limit', 1, 1000)),
  offset: v.optional(page('offset', 0, Number.MAX_SAFE_INTEGER)),
})
export type SummaryInput = v.InferInput<typeof SummaryInput>

/** Usage reports of the principal's tenant (`manage_users`), exact to the last committed verification. */
export function createUsageService(store: Store, clock: Clock) {
  return {
    /** One user's usage in the period (default: the current UTC month): totals, per credential, per day. */
    async forUser(principal: Principal, userId: string, input: PeriodInput = {}): Promise<UserUsageReport> {
      const admin = requirePermission(principal, 'manage_users')
      const { range, period } = resolvePeriod(parseInput(PeriodInput, input, 'query'), clock.now())
      if (!isUuid(userId)) throw new NotFoundError('User not found')
      const id = userId as UserId
      return store.read(async (r) => {
        if (!(await r.users.findById(admin.tenantId, id))) throw new NotFoundError('User not found')
        const [rows, credentials] = [await r.usage.forUser(admin.tenantId, id, range), await r.credentials.listForUser(admin.tenantId, id)]
        const used = new Map(rows.byCredential.map((row) => [row.credentialId, row]))
        const totals = rows.byCredential.reduce((sum, row) => ({ requests: sum.requests + row.requests, units: sum.units + row.units }), { requests: 0, units: 0 })
        return {
          userId: id,
          period,
          totals,
          credentials: credentials.map((c) => ({
            credentialId: c.id, name: c.name, prefix: c.prefix, revokedAt: c.revokedAt,
            requests: used.get(c.id)?.requests ?? 0, units: used.get(c.id)?.units ?? 0,
          })),
          daily: rows.daily,
        }
      })
    },

    /** The tenant's totals in the period and per-user totals, most requests first, paged. */
    async summary(principal: Principal, input: SummaryInput = {}): Promise<UsageSummary> {
      const admin = requirePermission(principal, 'manage_users')
      const { limit = 50, offset = 0, ...periodInput } = parseInput(SummaryInput, input, 'query')
      const { range, period } = resolvePeriod(periodInput, clock.now())
      return store.read(async (r) => {
        const rows = await r.usage.forTenant(admin.tenantId, range, { limit, offset })
        const users = []
        for (const row of rows.users) users.push({ ...row, user: await r.users.findById(admin.tenantId, row.userId) })
        return { period, totals: rows.totals, users, limit, offset, total: rows.userCount }
      })
    },
  }
}

export type UsageService = ReturnType<typeof createUsageService>
