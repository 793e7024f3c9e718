import type { Roster } from '../../open-roster.js'
import { readJsonBody } from '../read-json-body.js'
import { SECRET_HEADERS } from '../secret-headers.js'
import type { Route } from '../router.js'
import { accountId } from './iam-account-routes.js'
import { accountPath, document, IAM_BASE } from './iam-document.js'
import { readIamQuery } from './iam-query.js'
import { readResource, toDomain } from './iam-request.js'
import type { IamAuth } from './iam-surface.js'

/**
 * `POST /accounts/:id/password-reset`: issues a reset token, returned only in this response (a
 * `password_resets` resource whose id is the account's, as an account has one outstanding token).
 */
export function iamPasswordRoutes(roster: Roster, auth: IamAuth): Route[] {
  return [
    {
      method: 'POST', path: `${IAM_BASE}/accounts/:id/password-reset`,
      handler: async (ctx) => {
        const principal = await auth(ctx)
        readIamQuery(ctx.url, [])
        const id = accountId(ctx)
        const body = await readJsonBody(ctx)
        const attributes = body === undefined ? {} : readResource(body, { type: 'password_resets' }).attributes
        const options = toDomain(attributes, { ttl_seconds: 'ttlSeconds' }, '/data/attributes')
        const { token, expiresAt, account } = await roster.passwords.issueResetToken(principal, id, options as never)
        const self = `${accountPath(account.id)}/password-reset`
        return document(201, {
          data: {
            type: 'password_resets',
            id: String(account.id),
            attributes: { token, expires_at: expiresAt },
            relationships: { account: { data: { type: 'accounts', id: String(account.id) } } },
          },
          links: { self },
        }, { location: self, ...SECRET_HEADERS })
      },
    },
  ]
}
