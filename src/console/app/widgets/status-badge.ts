import { h } from '../dom.js'

// Each status has its own symbol and word, so it reads the same without colour.
const BADGES: Readonly<Record<string, { symbol: string; label: string }>> = {
  active: { symbol: '●', label: 'Active' },
  suspended: { symbol: '■', label: 'Suspended' },
  pending: { symbol: '◐', label: 'Pending' },
  revoked: { symbol: '✕', label: 'Revoked' },
  expired: { symbol: '◌', label: 'Expired' },
  deleted: { symbol: '✕', label: 'Deleted' },
}

export function statusBadge(status: string): HTMLElement {
  const badge = BADGES[status] ?? { symbol: '?', label: status }
  return h('span', { class: `badge badge-${status}` }, h('span', { 'aria-hidden': 'true' }, badge.symbol), ` ${badge.label}`)
}
