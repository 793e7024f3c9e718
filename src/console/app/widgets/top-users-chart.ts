import { svg } from '../dom.js'
import { formatNumber } from '../format.js'
import { drawToWidth } from './chart-scale.js'

export interface TopUser {
  readonly name: string
  readonly requests: number
  readonly units: number
}

const ROW = 44
const VALUE_ROOM = 110

/**
 * Horizontal bars of the top users by requests: each row writes the user's name above its bar and
 * the number beside it, so the chart reads without colour or hovering.
 */
export function mountTopUsersChart(container: HTMLElement, label: string, users: readonly TopUser[]): void {
  const max = Math.max(1, ...users.map((u) => u.requests))
  const summary = users.length === 0
    ? `${label}: no usage in this period.`
    : `${label}: ${users.map((u) => `${u.name}, ${formatNumber(u.requests)} requests`).join('; ')}.`
  // Its height is known before it is drawn (the observer draws it a frame late), so the page below never moves.
  // CSSOM, not a style attribute: the CSP allows the first and forbids the second.
  container.style.height = `${Math.max(ROW, users.length * ROW)}px`
  drawToWidth(container, (width) => {
    const room = width - VALUE_ROOM
    const rows = users.map((user, i) => {
      const top = i * ROW
      const barWidth = Math.max(2, (user.requests / max) * room)
      return svg('g', {},
        svg('text', { class: 'row-label', x: 0, y: top + 14 }, `${i + 1}. ${truncate(user.name, Math.floor(width / 7.5))}`),
        svg('rect', { class: i === 0 ? 'bar bar-peak' : 'bar', x: 0, y: top + 20, width: barWidth, height: 16 },
          svg('title', {}, `${user.name}: ${formatNumber(user.requests)} requests, ${formatNumber(user.units)} units`)),
        svg('text', { class: 'row-value', x: barWidth + 6, y: top + 33 }, `${formatNumber(user.requests)} requests`))
    })
    const height = Math.max(ROW, users.length * ROW)
    return svg('svg', { class: 'chart-svg', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': summary }, ...rows)
  })
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, Math.max(1, length - 1))}…` : text
}
