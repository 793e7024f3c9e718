import type { CredentialId } from '../credentials/credential.js'
import type { TenantId, UserId } from '../ids.js'

export const HOUR_MS = 3_600_000

/** Usage to add to one credential's counter for one UTC hour (whole hours since the Unix epoch). */
export interface UsageIncrement {
  readonly tenantId: TenantId
  readonly credentialId: CredentialId
  readonly userId: UserId
  readonly hour: number
  readonly requests: number
  readonly units: number
  /** Written to the credential's `last_used_at`; the latest of a batch wins. */
  readonly usedAt: string
}

export interface UsageTotals {
  readonly requests: number
  readonly units: number
}

/** A period in whole hours: `fromHour` inclusive, `toHour` exclusive. */
export interface HourRange {
  readonly fromHour: number
  readonly toHour: number
}

export interface CredentialUsage extends UsageTotals {
  readonly credentialId: CredentialId
}

export interface DailyUsage extends UsageTotals {
  /** The UTC day, `YYYY-MM-DD`. */
  readonly date: string
}

export interface UserUsageRows {
  readonly byCredential: readonly CredentialUsage[]
  /** Per UTC day, only days with usage, oldest first. */
  readonly daily: readonly DailyUsage[]
}

export interface UserUsageTotal extends UsageTotals {
  readonly userId: UserId
}

export interface TenantUsageRows {
  readonly totals: UsageTotals
  /** Users with usage in the period, most requests first. */
  readonly users: readonly UserUsageTotal[]
  /** How many users had usage in the period. */
  readonly userCount: number
}
