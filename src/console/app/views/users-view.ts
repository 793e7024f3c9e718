import { call, withQuery } from '../api.js'
import type { AdminUser, UserList } from '../api-types.js'
import { h, replace } from '../dom.js'
import { formatNumber, formatTime } from '../format.js'
import { go, href } from '../router.js'
import type { ViewContext } from '../view.js'
import { formField } from '../widgets/form-field.js'
import { refusedNotice } from '../widgets/notice.js'
import { skeletonRows } from '../widgets/skeleton.js'
import { statusBadge } from '../widgets/status-badge.js'

const PAGE_SIZE = 50
const STATUS_OPTIONS = [['', 'Any status'], ['active', 'Active'], ['suspended', 'Suspended'], ['pending', 'Pending']] as const
// Cursors of the pages seen so far, per filter, so "Previous" works without asking roster to count or skip.
const trails = new Map<string, string[]>()

/** `#/users`: the tenant's users, newest first, filtered by text, status and plan, paged by cursor. */
export async function usersView({ main, place, signal }: ViewContext): Promise<void> {
  const filters = { q: place.query.get('q') ?? '', status: place.query.get('status') ?? '', plan: place.query.get('plan') ?? '' }
  const cursor = place.query.get('cursor') ?? ''
  const page = Math.max(1, Number.parseInt(place.query.get('page') ?? '1', 10) || 1)
  const trailKey = JSON.stringify(filters)
  const trail = trails.get(trailKey) ?? []
  trails.set(trailKey, trail)
  trail[page - 1] = cursor

  const results = h('div', { class: 'results', 'aria-busy': 'true' }, skeletonRows(8))
  replace(main, h('h1', { tabindex: '-1' }, 'Users'), filterForm(filters), results)

  let list: UserList
  try {
    const path = withQuery('/v1/admin/users', { limit: PAGE_SIZE, q: filters.q, status: filters.status, billing_plan: filters.plan, cursor })
    list = (await call<UserList>(path, { signal })).body
  } catch (error) {
    if (signal.aborted) return
    replace(results, refusedNotice('users', error))
    results.setAttribute('aria-busy', 'false')
    return
  }
  const { data: users, pagination } = list
  const first = (page - 1) * PAGE_SIZE + 1
  const known = typeof pagination.total === 'number' ? ` of ${formatNumber(pagination.total)}` : ''
  const summary = users.length === 0
    ? (page === 1 ? 'No users match these filters.' : 'No more users.')
    : `Users ${formatNumber(first)}–${formatNumber(first + users.length - 1)}${known}, newest first.`
  const base = { q: filters.q, status: filters.status, plan: filters.plan }
  const previous = page > 1 && trail[page - 2] !== undefined ? href(['users'], { ...base, cursor: trail[page - 2], page: page - 1 }) : null
  const next = pagination.has_more && pagination.next_cursor ? href(['users'], { ...base, cursor: pagination.next_cursor, page: page + 1 }) : null
  replace(results,
    h('p', { class: 'list-summary', role: 'status' }, summary),
    users.length > 0 ? usersTable(users) : null,
    h('nav', { class: 'pager', 'aria-label': 'Pages of users' },
      page > 1 ? h('a', { class: 'button button-quiet', href: href(['users'], base) }, '« First page') : null,
      previous ? h('a', { class: 'button', href: previous, rel: 'prev' }, '‹ Previous') : null,
      h('span', { class: 'page-number' }, `Page ${formatNumber(page)}`),
      next ? h('a', { class: 'button', href: next, rel: 'next' }, 'Next ›') : null))
  results.setAttribute('aria-busy', 'false')
}

function filterForm(filters: { q: string; status: string; plan: string }): HTMLElement {
  const q = formField({ label: 'Search', name: 'q', type: 'search', value: filters.q, hint: 'Part of a name, email or external id' })
  const status = formField({ label: 'Status', name: 'status', value: filters.status, options: STATUS_OPTIONS, hint: 'Active, suspended or pending' })
  const plan = formField({ label: 'Billing plan', name: 'plan', value: filters.plan, hint: 'Exact plan name, e.g. pro' })
  const submit = (event: Event) => {
    event.preventDefault()
    go(href(['users'], { q: q.input.value.trim(), status: status.input.value, plan: plan.input.value.trim() }))
  }
  return h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter users', onsubmit: submit },
    q.element, status.element, plan.element,
    h('div', { class: 'filter-actions' },
      h('button', { class: 'button button-primary', type: 'submit' }, 'Search'),
      h('a', { class: 'button button-quiet', href: href(['users']) }, 'Clear')))
}

function usersTable(users: readonly AdminUser[]): HTMLElement {
  return h('table', { class: 'table stack-on-phone' },
    h('caption', { class: 'visually-hidden' }, 'Users, newest first'),
    h('thead', {}, h('tr', {}, ['Name', 'Email', 'External id', 'Status', 'Plan', 'Created'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, users.map((user) => h('tr', {},
      h('th', { scope: 'row', 'data-label': 'Name' }, h('a', { href: href(['users', user.id]) }, user.name)),
      h('td', { 'data-label': 'Email' }, user.email ?? '—'),
      h('td', { 'data-label': 'External id' }, user.external_id ?? '—'),
      h('td', { 'data-label': 'Status' }, statusBadge(user.status)),
      h('td', { 'data-label': 'Plan' }, user.billing_plan ?? '—'),
      h('td', { 'data-label': 'Created' }, h('time', { datetime: user.created_at }, formatTime(user.created_at)))))))
}
