import type { AccountUser, AccountUserPage } from '../../core/account-users/account-user.js'
import type { Group, GroupMembership } from '../../core/groups/group.js'
import type { MfaEnrolment, MfaStatus, MfaVerification } from '../../core/mfa/mfa.js'
import type { Reply } from '../router.js'

/** Seed 003's user object, in its field order. */
export function accountUser(user: AccountUser) {
  return {
    id: user.id,
    first_name: user.firstName,
    last_name: user.lastName,
    email_address: user.email,
    group_memberships: user.groupMemberships.map(groupMembership),
  }
}

/** One group a user belongs to. */
export function groupMembership(membership: GroupMembership) {
  return { id: membership.groupId, name: membership.name }
}

/** A group as the groups routes show it. */
export function accountGroup(group: Group) {
  return { id: group.id, name: group.name, created_at: group.createdAt, updated_at: group.updatedAt }
}

/**
 * The list body `{owner, users}` with the paging seed 003 has no room for in the body:
 * `X-Total-Count` (users besides the owner) and, when there is more, a `Link` to the next page.
 */
export function accountUserList(page: AccountUserPage, accountId: string): Reply {
  const headers: Record<string, string> = { 'x-total-count': String(page.total) }
  if (page.hasMore) {
    headers['link'] = `</accounts/${accountId}/users?limit=${page.limit}&offset=${page.offset + page.limit}>; rel="next"`
  }
  return { status: 200, headers, body: { owner: page.owner && accountUser(page.owner), users: page.users.map(accountUser) } }
}

/** A new enrolment: the secret is in this reply and nowhere else. */
export function mfaEnrolment(enrolment: MfaEnrolment) {
  return { secret: enrolment.secret, otpauth_uri: enrolment.otpauthUri }
}

/** Whether the user has MFA (`none`, `pending`, `enabled`) and how many recovery codes are left. */
export function mfaStatus(status: MfaStatus) {
  return { state: status.state, confirmed_at: status.confirmedAt, recovery_codes_remaining: status.recoveryCodesRemaining }
}

/** A successful verification; failures are 422 errors. */
export function mfaVerification(verification: MfaVerification) {
  return { verified: true, method: verification.method, recovery_codes_remaining: verification.recoveryCodesRemaining }
}

/** A JSON reply. */
export const json = (body: unknown, status = 200, headers?: Readonly<Record<string, string>>): Reply => ({ status, body, headers })
/** A reply without a body. */
export const noContent = (status = 204): Reply => ({ status })
