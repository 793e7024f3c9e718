import { call } from '../api.js'
import type { AdminEnvelope, AuditEntry } from '../api-types.js'
import { h } from '../dom.js'
import { formatTime } from '../format.js'
import { refusedNotice } from '../widgets/notice.js'

const RECENT = 20

export function loadRecentAudit(signal?: AbortSignal): Promise<AuditEntry[]> {
  return call<AdminEnvelope<AuditEntry[]>>(`/v1/admin/audit?limit=${RECENT}`, signal ? { signal } : {}).then((r) => r.body.data)
}

/** A changed field as words: `status: active → suspended`, or only its name when its value is secret. */
function change(entry: AuditEntry, field: string): string {
  const shown = (value: unknown) => (value === undefined ? null : value === null ? '(none)' : typeof value === 'string' ? value : JSON.stringify(value))
  const [before, after] = [shown(entry.before[field]), shown(entry.after[field])]
  if (before === null && after === null) return field
  return `${field}: ${before ?? '—'} → ${after ?? '—'}`
}

/** The tenant's most recent changes, newest first, from its audit log (needs `view_audit`). */
export function auditSection(first: PromiseSettledResult<AuditEntry[]>): HTMLElement {
  const body = first.status === 'rejected'
    ? refusedNotice('the audit log', first.reason)
    : first.value.length === 0
      ? h('p', { class: 'empty' }, 'No changes recorded yet.')
      : h('table', { class: 'table stack-on-phone audit-table', 'aria-label': `The ${RECENT} most recent changes` },
        h('thead', {}, h('tr', {}, ['When', 'Action', 'Target', 'By', 'Changes'].map((label) => h('th', { scope: 'col' }, label)))),
        h('tbody', {}, first.value.map((entry) => h('tr', {},
          h('td', { 'data-label': 'When' }, formatTime(entry.at)),
          h('th', { scope: 'row', 'data-label': 'Action' }, h('code', {}, entry.action)),
          h('td', { 'data-label': 'Target' }, `${entry.target_type} `, h('code', {}, entry.target_id)),
          h('td', { 'data-label': 'By' }, `${entry.actor_type === 'key' ? 'key ' : ''}${entry.actor} (${entry.surface})`),
          h('td', { 'data-label': 'Changes' }, entry.fields.length === 0 ? '—' : h('ul', { class: 'plain-list' }, entry.fields.map((field) => h('li', {}, change(entry, field)))))))))
  return h('section', { class: 'panel', 'aria-labelledby': 'audit-heading' }, h('h2', { id: 'audit-heading' }, 'Audit log'), body)
}
