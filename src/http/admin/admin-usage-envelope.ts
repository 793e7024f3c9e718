import type { UsageSummary, UserUsageReport } from '../../core/usage/usage-service.js'

export function userUsage(report: UserUsageReport) {
  return {
    user_id: report.userId,
    period: report.period,
    totals: report.totals,
    credentials: report.credentials.map((c) => ({
      credential_id: c.credentialId, name: c.name, prefix: c.prefix, revoked_at: c.revokedAt, requests: c.requests, units: c.units,
    })),
    daily: report.daily,
  }
}

/** Per-user rows keep a deleted user's usage: its profile fields are null and `deleted` is true. */
export function usageSummary(summary: UsageSummary) {
  return {
    period: summary.period,
    totals: summary.totals,
    users: summary.users.map((u) => ({
      user_id: u.userId,
      external_id: u.user?.externalId ?? null,
      name: u.user?.name ?? null,
      email: u.user?.email ?? null,
      status: u.user?.status ?? null,
      deleted: u.user === null,
      requests: u.requests,
      units: u.units,
    })),
  }
}

export function usagePagination(summary: UsageSummary) {
  return { total: summary.total, limit: summary.limit, offset: summary.offset, has_more: summary.offset + summary.users.length < summary.total }
}
