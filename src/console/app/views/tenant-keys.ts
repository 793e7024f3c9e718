import { ApiError, call } from '../api.js'
import { PERMISSIONS, type AdminEnvelope, type AdminKey, type Issued, type Permission } from '../api-types.js'
import { h, replace, uid } from '../dom.js'
import { formatTime } from '../format.js'
import type { Identity } from '../session.js'
import { confirmButton } from '../widgets/confirm-button.js'
import { formField, showFieldError } from '../widgets/form-field.js'
import { errorNotice, refusedNotice, statusNotice } from '../widgets/notice.js'
import { secretPanel } from '../widgets/secret-panel.js'
import { statusBadge } from '../widgets/status-badge.js'

export function loadKeys(signal?: AbortSignal): Promise<AdminKey[]> {
  return call<AdminEnvelope<AdminKey[]>>('/v1/admin/keys', signal ? { signal } : {}).then((r) => r.body.data)
}

/** The tenant's admin keys: create one with chosen permissions (secret shown once), revoke one (the key policy's refusals shown). */
export function keysSection(identity: Identity, first: PromiseSettledResult<AdminKey[]>): HTMLElement {
  const list = h('div', {})
  const notices = h('div', { class: 'notices' })
  const secret = h('div', {})

  const show = (result: PromiseSettledResult<AdminKey[]>) => {
    if (result.status === 'rejected') {
      replace(list, refusedNotice('admin keys', result.reason))
      form.hidden = true
      return
    }
    replace(list, keysTable(result.value, identity, revoke))
  }
  const reload = async () => {
    try {
      show({ status: 'fulfilled', value: await loadKeys() })
    } catch (error) {
      show({ status: 'rejected', reason: error })
    }
  }
  const revoke = async (key: AdminKey) => {
    try {
      await call(`/v1/admin/keys/${encodeURIComponent(key.id)}`, { method: 'DELETE' })
      replace(notices, statusNotice(`Key “${key.name}” revoked: requests with it are refused from now on.`))
    } catch (error) {
      // The key policy speaks here: a key beyond this key's permissions (403), the last manage_keys key (409).
      const notice = errorNotice(error, `“${key.name}” was not revoked.`)
      notice.setAttribute('tabindex', '-1')
      replace(notices, notice)
      notice.focus()
    }
    await reload()
  }

  const name = formField({ label: 'Name', name: 'name', hint: 'Who or what will use it, e.g. billing service' })
  const held = identity.permissions
  const boxes = PERMISSIONS.map((permission) => {
    const id = uid(`perm-${permission}`)
    const box = h('input', { type: 'checkbox', id, name: 'permissions', value: permission, checked: held === null || held.has(permission) })
    return { permission, box, element: h('div', { class: 'check' }, box, h('label', { for: id }, h('code', {}, permission))) }
  })
  const create = async (event: Event) => {
    event.preventDefault()
    name.setError(null)
    replace(notices)
    const permissions: Permission[] = boxes.filter((b) => b.box.checked).map((b) => b.permission)
    const body: Record<string, unknown> = { permissions }
    if (name.input.value.trim() !== '') body['name'] = name.input.value.trim()
    try {
      const { body: answer } = await call<AdminEnvelope<Issued>>('/v1/admin/keys', { method: 'POST', body })
      name.input.value = ''
      replace(secret, secretPanel('admin key', answer.data.key, () => replace(secret)))
      await reload()
    } catch (error) {
      if (!(error instanceof ApiError) || !showFieldError([name], error.message)) {
        const notice = errorNotice(error, 'No key was created.')
        replace(notices, notice)
      }
    }
  }
  const form = h('form', { class: 'inline-form', 'aria-labelledby': 'new-key-heading', novalidate: true, onsubmit: (e: Event) => void create(e) },
    h('h3', { id: 'new-key-heading' }, 'New admin key'),
    name.element,
    h('fieldset', { class: 'checks' },
      h('legend', {}, 'Permissions (a key can only grant what it holds itself)'),
      boxes.map((b) => b.element)),
    h('div', { class: 'form-actions' }, h('button', { class: 'button button-primary', type: 'submit' }, 'Create key')))

  show(first)
  return h('section', { class: 'panel', 'aria-labelledby': 'keys-heading' },
    h('h2', { id: 'keys-heading' }, 'Admin keys'),
    notices, secret, list, form)
}

function keysTable(keys: readonly AdminKey[], identity: Identity, revoke: (key: AdminKey) => Promise<void>): HTMLElement {
  return h('table', { class: 'table stack-on-phone' },
    h('caption', { class: 'visually-hidden' }, 'Admin keys of this tenant, newest first'),
    h('thead', {}, h('tr', {}, ['Name', 'Prefix', 'Permissions', 'Created', 'State', 'Action'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, keys.map((key) => {
      const mine = identity.self?.id === key.id
      const question = mine ? `Revoke “${key.name}”? It is the key you are signed in with: you will be signed out.` : `Revoke “${key.name}”? Requests with it fail at once.`
      return h('tr', {},
        h('th', { scope: 'row', 'data-label': 'Name' }, key.name, mine ? h('span', { class: 'tag' }, 'this key') : null),
        h('td', { 'data-label': 'Prefix' }, h('code', {}, `${key.prefix}…`)),
        h('td', { 'data-label': 'Permissions' }, h('ul', { class: 'plain-list' }, key.permissions.map((p) => h('li', {}, h('code', {}, p))))),
        h('td', { 'data-label': 'Created' }, formatTime(key.created_at)),
        h('td', { 'data-label': 'State' }, key.revoked_at ? statusBadge('revoked') : statusBadge('active')),
        h('td', { 'data-label': 'Action' }, key.revoked_at ? formatTime(key.revoked_at) : confirmButton('Revoke', key.name, question, () => revoke(key))))
    })))
}
