import { call, withQuery } from '../api.js'
import type { UsageSummary } from '../api-types.js'
import { h, replace } from '../dom.js'
import { displayName, formatNumber } from '../format.js'
import { currentMonth, monthKey, monthLabel, monthQuery, shiftMonth, type Month } from '../period.js'
import { href } from '../router.js'
import { refusedNotice } from '../widgets/notice.js'
import { statusBadge } from '../widgets/status-badge.js'
import { mountTopUsersChart } from '../widgets/top-users-chart.js'

const TOP = 10

export function loadUsageSummary(month: Month, signal?: AbortSignal): Promise<UsageSummary> {
  return call<UsageSummary>(withQuery('/v1/admin/users/usage/summary', { ...monthQuery(month), limit: TOP }), signal ? { signal } : {}).then((r) => r.body)
}

/** The tenant's usage for a month: totals, the top users as a chart, and the same as a table. */
export function tenantUsageSection(month: Month, first: PromiseSettledResult<UsageSummary>): HTMLElement {
  const body = h('div', {})
  const label = h('span', { class: 'period-label', 'aria-live': 'polite' })
  const previous = h('button', { class: 'button', type: 'button' }, '‹ Previous month')
  const next = h('button', { class: 'button', type: 'button' }, 'Next month ›')
  let shown = month

  const show = (m: Month, result: PromiseSettledResult<UsageSummary>) => {
    shown = m
    label.textContent = monthLabel(m)
    next.disabled = monthKey(m) >= monthKey(currentMonth())
    if (result.status === 'rejected') return replace(body, refusedNotice('the usage summary', result.reason))
    replace(body, ...summaryBody(result.value, m))
  }
  const move = async (by: number) => {
    const m = shiftMonth(shown, by)
    const url = new URL(location.href)
    url.hash = `#/tenant?month=${monthKey(m)}`
    history.replaceState(null, '', url)
    try {
      show(m, { status: 'fulfilled', value: await loadUsageSummary(m) })
    } catch (error) {
      show(m, { status: 'rejected', reason: error })
    }
  }
  previous.addEventListener('click', () => void move(-1))
  next.addEventListener('click', () => void move(1))
  show(month, first)
  return h('section', { class: 'panel', 'aria-labelledby': 'summary-heading' },
    h('h2', { id: 'summary-heading' }, 'Usage summary'),
    h('div', { class: 'period-nav', role: 'group', 'aria-label': 'Period' }, previous, label, next),
    body)
}

function summaryBody(summary: UsageSummary, month: Month): Node[] {
  const { totals, users } = summary.data
  const name = monthLabel(month)
  const chart = h('div', { class: 'chart chart-top-users' })
  mountTopUsersChart(chart, `Top users by requests, ${name}`, users.map((u) => ({ name: u.deleted ? 'Deleted user' : displayName(u), requests: u.requests, units: u.units })))
  return [
    h('dl', { class: 'stat-row' },
      stat('Requests', formatNumber(totals.requests)),
      stat('Units', formatNumber(totals.units)),
      stat('Users with usage', formatNumber(summary.pagination.total))),
    h('figure', { class: 'chart-figure' }, h('figcaption', {}, `Top ${Math.min(TOP, users.length) || ''} users by requests, ${name}`.replace('  ', ' ')), chart),
    h('table', { class: 'table stack-on-phone' },
      h('caption', {}, `Top users, ${name}`),
      h('thead', {}, h('tr', {}, ['#', 'User', 'Status', 'Requests', 'Units'].map((c, i) => h('th', { scope: 'col', class: i > 2 ? 'num' : null }, c)))),
      h('tbody', {}, users.length === 0
        ? h('tr', {}, h('td', { colspan: 5 }, `No usage recorded in ${name}.`))
        : users.map((u, i) => h('tr', {},
          h('td', { 'data-label': '#' }, String(i + 1)),
          h('th', { scope: 'row', 'data-label': 'User' }, u.deleted ? 'Deleted user' : h('a', { href: href(['users', u.user_id], { month: monthKey(month) }) }, displayName(u))),
          h('td', { 'data-label': 'Status' }, statusBadge(u.deleted ? 'deleted' : (u.status ?? 'active'))),
          h('td', { class: 'num', 'data-label': 'Requests' }, formatNumber(u.requests)),
          h('td', { class: 'num', 'data-label': 'Units' }, formatNumber(u.units)))))),
  ]
}

function stat(term: string, value: string): HTMLElement {
  return h('div', { class: 'stat' }, h('dt', {}, term), h('dd', {}, value))
}
