import { call, withQuery } from '../api.js'
import type { AdminEnvelope, UserUsage } from '../api-types.js'
import { h, replace } from '../dom.js'
import { formatDay, formatNumber } from '../format.js'
import { currentMonth, monthDays, monthKey, monthLabel, monthQuery, shiftMonth, type Month } from '../period.js'
import { mountBarChart } from '../widgets/bar-chart.js'
import { refusedNotice } from '../widgets/notice.js'

/** Loads one user's usage for a month: the promise a page awaits before drawing. */
export function loadUserUsage(userId: string, month: Month, signal?: AbortSignal): Promise<UserUsage> {
  const path = withQuery(`/v1/admin/users/${encodeURIComponent(userId)}/usage`, monthQuery(month))
  return call<AdminEnvelope<UserUsage>>(path, signal ? { signal } : {}).then((r) => r.body.data)
}

/**
 * The user's usage section: a month at a time (previous/next), daily requests and units as two bar
 * charts, and the same numbers as tables. Moving between months redraws only this section.
 */
export function usageSection(userId: string, month: Month, first: PromiseSettledResult<UserUsage>): HTMLElement {
  const body = h('div', { class: 'usage-body' })
  const label = h('span', { class: 'period-label', 'aria-live': 'polite' })
  const previous = h('button', { class: 'button', type: 'button' }, '‹ Previous month')
  const next = h('button', { class: 'button', type: 'button' }, 'Next month ›')
  let shown = month
  let tablesOpen = false

  const show = (m: Month, result: PromiseSettledResult<UserUsage>) => {
    shown = m
    label.textContent = monthLabel(m)
    // Usage is recorded as it happens: a month after this one cannot have any yet.
    next.disabled = monthKey(m) >= monthKey(currentMonth())
    if (result.status === 'rejected') return replace(body, refusedNotice('this user’s usage', result.reason))
    replace(body, ...usageBody(result.value, m, tablesOpen, (open) => { tablesOpen = open }))
  }
  const move = async (by: number) => {
    const m = shiftMonth(shown, by)
    // The month stays in the address, so a reload or a shared link shows the same period.
    const url = new URL(location.href)
    url.hash = url.hash.replace(/\?.*$/, '') + `?month=${monthKey(m)}`
    history.replaceState(null, '', url)
    body.setAttribute('aria-busy', 'true')
    try {
      show(m, { status: 'fulfilled', value: await loadUserUsage(userId, m) })
    } catch (error) {
      show(m, { status: 'rejected', reason: error })
    }
    body.setAttribute('aria-busy', 'false')
  }
  previous.addEventListener('click', () => void move(-1))
  next.addEventListener('click', () => void move(1))
  show(month, first)
  return h('section', { class: 'panel', 'aria-labelledby': 'usage-heading' },
    h('h2', { id: 'usage-heading' }, 'Usage'),
    h('div', { class: 'period-nav', role: 'group', 'aria-label': 'Period' }, previous, label, next),
    body)
}

function usageBody(usage: UserUsage, month: Month, tablesOpen: boolean, onToggle: (open: boolean) => void): Node[] {
  const byDay = new Map(usage.daily.map((d) => [d.date, d]))
  const days = monthDays(month).map((date) => ({ date, requests: byDay.get(date)?.requests ?? 0, units: byDay.get(date)?.units ?? 0 }))
  const name = monthLabel(month)
  const requestsChart = h('div', { class: 'chart' })
  const unitsChart = h('div', { class: 'chart' })
  const tick = (date: string) => String(Number(date.slice(8)))
  mountBarChart(requestsChart, { label: `Requests per day, ${name}`, unit: 'requests',
    bars: days.map((d) => ({ tick: tick(d.date), value: d.requests, title: `${formatDay(d.date)}: ${formatNumber(d.requests)} requests` })) })
  mountBarChart(unitsChart, { label: `Units per day, ${name}`, unit: 'units',
    bars: days.map((d) => ({ tick: tick(d.date), value: d.units, title: `${formatDay(d.date)}: ${formatNumber(d.units)} units` })) })
  const tables = h('details', { class: 'numbers', open: tablesOpen, ontoggle: (e: Event) => onToggle((e.target as HTMLDetailsElement).open) },
    h('summary', {}, 'Show the numbers as tables'),
    h('table', { class: 'table' },
      h('caption', {}, `Daily usage, ${name}`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Day'), h('th', { scope: 'col', class: 'num' }, 'Requests'), h('th', { scope: 'col', class: 'num' }, 'Units'))),
      h('tbody', {}, days.map((d) => h('tr', {},
        h('th', { scope: 'row' }, h('time', { datetime: d.date }, formatDay(d.date))),
        h('td', { class: 'num' }, formatNumber(d.requests)), h('td', { class: 'num' }, formatNumber(d.units))))),
      h('tfoot', {}, h('tr', {}, h('th', { scope: 'row' }, 'Total'),
        h('td', { class: 'num' }, formatNumber(usage.totals.requests)), h('td', { class: 'num' }, formatNumber(usage.totals.units))))),
    h('table', { class: 'table stack-on-phone' },
      h('caption', {}, `By credential, ${name}`),
      h('thead', {}, h('tr', {}, ['Credential', 'Prefix', 'Requests', 'Units'].map((c, i) => h('th', { scope: 'col', class: i > 1 ? 'num' : null }, c)))),
      h('tbody', {}, usage.credentials.length === 0
        ? h('tr', {}, h('td', { colspan: 4 }, 'This user has no credentials.'))
        : usage.credentials.map((c) => h('tr', {},
          h('th', { scope: 'row' }, c.name, c.revoked_at ? ' (revoked)' : ''), h('td', { 'data-label': 'Prefix' }, h('code', {}, c.prefix)),
          h('td', { class: 'num', 'data-label': 'Requests' }, formatNumber(c.requests)),
          h('td', { class: 'num', 'data-label': 'Units' }, formatNumber(c.units)))))))
  return [
    h('p', { class: 'totals' },
      h('strong', {}, formatNumber(usage.totals.requests)), ' requests and ',
      h('strong', {}, formatNumber(usage.totals.units)), ` units in ${name}.`),
    h('div', { class: 'charts' },
      h('figure', { class: 'chart-figure' }, h('figcaption', {}, 'Requests per day'), requestsChart),
      h('figure', { class: 'chart-figure' }, h('figcaption', {}, 'Units per day'), unitsChart)),
    tables,
  ]
}
