import type { Credential, IssuedCredential } from '../../core/credentials/credential.js'
import type { UserUsageReport, UsageSummary } from '../../core/usage/usage-service.js'

export function adminCredential(credential: Credential) {
  return {
    id: credential.id,
    user_id: credential.userId,
    name: credential.name,
    prefix: credential.prefix,
    created_at: credential.createdAt,
    last_used_at: credential.lastUsedAt,
    expires_at: credential.expiresAt,
    revoked_at: credential.revokedAt,
  }
}

/** The only answer that ever carries the credential's secret, as `key`. */
export function issuedCredential(credential: IssuedCredential) {
  return { ...adminCredential(credential), key: credential.secret }
}

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

export function usageSummary(summary: UsageSummary) {
  return {
    period: summary.period,
    totals: summary.totals,
    users: summary.users.map((u) => ({
      user_id: u.userId,
      external_id: u.user?.externalId ?? null,
      name: u.user?.name ?? null,
      email: u.user?.email ?? null,
      deleted: u.user === null,
      requests: u.requests,
      units: u.units,
    })),
  }
}
