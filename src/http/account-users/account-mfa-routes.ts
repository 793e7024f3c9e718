import type { Roster } from '../../open-roster.js'
import type { RequestContext, Route } from '../router.js'
import { SECRET_HEADERS } from '../secret-headers.js'
import { json, mfaEnrolment, mfaStatus, mfaVerification } from './account-users-envelope.js'
import { readBody, readParams } from './account-users-request.js'
import type { AccountScope } from './account-users-surface.js'

/**
 * roster's MFA endpoints beside seed 003's reset-mfa: TOTP enrolment, its confirmation (which
 * returns the recovery codes, once), verification and status. All need `manage_users`.
 */
export function accountMfaRoutes(roster: Roster, scope: AccountScope): Route[] {
  const user = async (ctx: RequestContext) => {
    const userId = ctx.params['userId'] ?? ''
    const admin = await scope(ctx, 'manage_users', { userId })
    readParams(ctx)
    return { admin, userId }
  }

  return [
    {
      method: 'GET', path: '/accounts/:accountId/users/:userId/mfa',
      handler: async (ctx) => {
        const { admin, userId } = await user(ctx)
        return json(mfaStatus(await roster.mfa.status(admin, userId)))
      },
    },
    {
      method: 'POST', path: '/accounts/:accountId/users/:userId/mfa/totp',
      handler: async (ctx) => {
        const { admin, userId } = await user(ctx)
        return json(mfaEnrolment(await roster.mfa.startEnrolment(admin, userId, await readBody(ctx, ['issuer']))), 201, SECRET_HEADERS)
      },
    },
    {
      method: 'POST', path: '/accounts/:accountId/users/:userId/mfa/totp/confirm',
      handler: async (ctx) => {
        const { admin, userId } = await user(ctx)
        const { recoveryCodes } = await roster.mfa.confirm(admin, userId, await readBody(ctx, ['code']))
        return json({ recovery_codes: recoveryCodes }, 200, SECRET_HEADERS)
      },
    },
    {
      method: 'POST', path: '/accounts/:accountId/users/:userId/mfa/verify',
      handler: async (ctx) => {
        const { admin, userId } = await user(ctx)
        return json(mfaVerification(await roster.mfa.verify(admin, userId, await readBody(ctx, ['code']))))
      },
    },
  ]
}
