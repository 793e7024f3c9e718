import { call } from '../api.js'
import type { AdminEnvelope, AdminUser } from '../api-types.js'
import { h, replace, uid } from '../dom.js'
import { formatTime } from '../format.js'
import { errorNotice, statusNotice } from '../widgets/notice.js'
import { statusBadge } from '../widgets/status-badge.js'
import { userEditForm } from './user-edit.js'

type Mode = 'view' | 'edit' | 'suspend'

/** The top of a user's page: name and status, the actions on them, and every field of the user. */
export function mountUserProfile(container: HTMLElement, initial: AdminUser): void {
  let user = initial
  let mode: Mode = 'view'
  let notice: HTMLElement | null = null

  const render = (focus?: 'heading' | 'notice' | 'form') => {
    const heading = h('h1', { tabindex: '-1' }, user.name, ' ', statusBadge(user.status))
    const body = mode === 'edit'
      ? userEditForm(user, (saved) => { user = saved; mode = 'view'; notice = statusNotice('Changes saved.'); render('notice') },
        () => { mode = 'view'; notice = null; render('heading') })
      : details(user)
    replace(container, heading, notice, actions(), mode === 'suspend' ? suspendForm() : null, body)
    if (focus === 'heading') heading.focus()
    if (focus === 'notice') notice?.focus()
    if (focus === 'form') container.querySelector<HTMLElement>('form input, form textarea')?.focus()
  }

  const changeStatus = async (action: 'suspend' | 'reactivate', body: Record<string, unknown>) => {
    try {
      const { body: answer } = await call<AdminEnvelope<AdminUser>>(`/v1/admin/users/${encodeURIComponent(user.id)}/${action}`, { method: 'POST', body })
      user = answer.data
      mode = 'view'
      notice = statusNotice(answer.message ?? `User ${action === 'suspend' ? 'suspended' : 'reactivated'}.`)
    } catch (error) {
      notice = errorNotice(error, action === 'suspend' ? 'Not suspended.' : 'Not reactivated.')
    }
    notice.setAttribute('tabindex', '-1')
    render('notice')
  }

  const actions = () => h('div', { class: 'actions', role: 'group', 'aria-label': 'Actions on this user' },
    mode !== 'edit' ? h('button', { class: 'button', type: 'button', onclick: () => { mode = 'edit'; notice = null; render('form') } }, 'Edit details') : null,
    user.status === 'active'
      ? (mode !== 'suspend' ? h('button', { class: 'button button-danger', type: 'button', onclick: () => { mode = 'suspend'; notice = null; render('form') } }, 'Suspend…') : null)
      : h('button', { class: 'button', type: 'button', onclick: () => void changeStatus('reactivate', {}) }, user.status === 'pending' ? 'Activate' : 'Reactivate'))

  const suspendForm = () => {
    const id = uid('reason')
    const reason = h('textarea', { id, name: 'reason', rows: 2, maxlength: 1000 })
    return h('form', { class: 'inline-form', 'aria-label': 'Suspend this user', onsubmit: (e: Event) => {
      e.preventDefault()
      const text = reason.value.trim()
      void changeStatus('suspend', text === '' ? {} : { reason: text })
    } },
    h('p', {}, 'Suspending stops all of this user’s credentials at once; reactivating restores them.'),
    h('label', { for: id }, 'Reason (optional, kept by roster)'), reason,
    h('div', { class: 'form-actions' },
      h('button', { class: 'button button-danger', type: 'submit' }, 'Suspend user'),
      h('button', { class: 'button button-quiet', type: 'button', onclick: () => { mode = 'view'; render('heading') } }, 'Cancel')))
  }

  render()
}

/** Every field of the admin user object, and the metadata as formatted JSON. */
function details(user: AdminUser): HTMLElement {
  const rows: [string, string | HTMLElement][] = [
    ['Id', h('code', {}, user.id)],
    ['External id', user.external_id ?? '—'],
    ['Name', user.name],
    ['First name', user.first_name ?? '—'],
    ['Last name', user.last_name ?? '—'],
    ['Email', user.email ?? '—'],
    ['Status', statusBadge(user.status)],
    ['Billing plan', user.billing_plan ?? '—'],
    ['Tenant', user.admin_entity_name],
    ['Created by key', user.admin_key_id ? h('code', {}, user.admin_key_id) : 'the host (no key)'],
    ['Created', h('time', { datetime: user.created_at }, formatTime(user.created_at))],
    ['Updated', user.updated_at ? h('time', { datetime: user.updated_at }, formatTime(user.updated_at)) : 'never'],
  ]
  return h('div', { class: 'profile' },
    h('dl', { class: 'fields' }, rows.map(([term, value]) => h('div', { class: 'field-row' }, h('dt', {}, term), h('dd', {}, value)))),
    h('h2', {}, 'Metadata'),
    h('pre', { class: 'json', tabindex: '0', 'aria-label': 'Metadata as JSON' }, JSON.stringify(user.metadata, null, 2)))
}
