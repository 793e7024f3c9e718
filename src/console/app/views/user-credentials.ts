import { ApiError, call } from '../api.js'
import type { AdminEnvelope, Credential, Issued } from '../api-types.js'
import { h, replace } from '../dom.js'
import { formatTime } from '../format.js'
import { formField, showFieldError } from '../widgets/form-field.js'
import { confirmButton } from '../widgets/confirm-button.js'
import { errorNotice, refusedNotice, statusNotice } from '../widgets/notice.js'
import { secretPanel } from '../widgets/secret-panel.js'
import { statusBadge } from '../widgets/status-badge.js'

export function loadCredentials(userId: string, signal?: AbortSignal): Promise<Credential[]> {
  return call<AdminEnvelope<Credential[]>>(`/v1/admin/users/${encodeURIComponent(userId)}/credentials`, signal ? { signal } : {})
    .then((r) => r.body.data)
}

/** The user's API credentials: when each was last used, revoking one, and creating one whose secret is shown once. */
export function credentialsSection(userId: string, first: PromiseSettledResult<Credential[]>): HTMLElement {
  const list = h('div', { class: 'credential-list' })
  const notices = h('div', { class: 'notices' })
  const secret = h('div', {})

  const show = (result: PromiseSettledResult<Credential[]>) => {
    if (result.status === 'rejected') return replace(list, refusedNotice('credentials', result.reason))
    replace(list, credentialsTable(result.value, revoke))
  }
  const reload = async () => {
    try {
      show({ status: 'fulfilled', value: await loadCredentials(userId) })
    } catch (error) {
      show({ status: 'rejected', reason: error })
    }
  }
  const revoke = async (credential: Credential) => {
    try {
      await call(`/v1/admin/credentials/${encodeURIComponent(credential.id)}`, { method: 'DELETE' })
      replace(notices, statusNotice(`Credential “${credential.name}” revoked: it no longer verifies.`))
    } catch (error) {
      replace(notices, errorNotice(error, `“${credential.name}” was not revoked.`))
    }
    await reload()
  }

  const name = formField({ label: 'Name', name: 'name', required: true, hint: 'What the credential is for, e.g. production' })
  const expires = formField({ label: 'Expires (optional, local time)', name: 'expires_at', type: 'datetime-local', hint: 'Empty: it never expires' })
  const create = async (event: Event) => {
    event.preventDefault()
    name.setError(null)
    expires.setError(null)
    replace(notices)
    const body: Record<string, unknown> = { name: name.input.value.trim() }
    if (expires.input.value) body['expires_at'] = new Date(expires.input.value).toISOString()
    try {
      const { body: answer } = await call<AdminEnvelope<Issued>>(`/v1/admin/users/${encodeURIComponent(userId)}/credentials`, { method: 'POST', body })
      name.input.value = ''
      expires.input.value = ''
      replace(secret, secretPanel('credential', answer.data.key, () => replace(secret)))
      await reload()
    } catch (error) {
      if (!(error instanceof ApiError) || !showFieldError([name, expires], error.message)) replace(notices, errorNotice(error, 'No credential was created.'))
    }
  }

  show(first)
  return h('section', { class: 'panel', 'aria-labelledby': 'credentials-heading' },
    h('h2', { id: 'credentials-heading' }, 'Credentials'),
    notices, secret, list,
    h('form', { class: 'inline-form', 'aria-labelledby': 'new-credential-heading', novalidate: true, onsubmit: (e: Event) => void create(e) },
      h('h3', { id: 'new-credential-heading' }, 'New credential'),
      h('div', { class: 'field-grid' }, name.element, expires.element),
      h('div', { class: 'form-actions' }, h('button', { class: 'button button-primary', type: 'submit' }, 'Create credential'))))
}

function credentialsTable(credentials: readonly Credential[], revoke: (c: Credential) => Promise<void>): HTMLElement {
  if (credentials.length === 0) return h('p', { class: 'empty' }, 'No credentials yet.')
  const now = Date.now()
  return h('table', { class: 'table stack-on-phone' },
    h('caption', { class: 'visually-hidden' }, 'Credentials of this user'),
    h('thead', {}, h('tr', {}, ['Name', 'Prefix', 'State', 'Last used', 'Created', 'Expires', 'Action'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, credentials.map((c) => {
      const state = c.revoked_at ? 'revoked' : c.expires_at && Date.parse(c.expires_at) <= now ? 'expired' : 'active'
      return h('tr', {},
        h('th', { scope: 'row', 'data-label': 'Name' }, c.name),
        h('td', { 'data-label': 'Prefix' }, h('code', {}, `${c.prefix}…`)),
        h('td', { 'data-label': 'State' }, statusBadge(state)),
        h('td', { 'data-label': 'Last used' }, formatTime(c.last_used_at, 'Never')),
        h('td', { 'data-label': 'Created' }, formatTime(c.created_at)),
        h('td', { 'data-label': 'Expires' }, formatTime(c.expires_at, 'Never')),
        h('td', { 'data-label': 'Action' }, state === 'revoked' ? '—' : confirmButton('Revoke', c.name, `Revoke “${c.name}”? Calls with it fail at once.`, () => revoke(c))))
    })))
}
