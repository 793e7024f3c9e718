import { svg } from '../dom.js'
import { formatNumber } from '../format.js'
import { compact, drawToWidth, niceMax } from './chart-scale.js'

export interface Bar {
  /** Under the axis, e.g. the day of the month. */
  readonly tick: string
  readonly value: number
  /** Spoken and shown on hover: `Nov 3: 12 requests`. */
  readonly title: string
}

export interface BarChartOptions {
  /** Accessible name of the chart, e.g. `Requests per day, November 2026`. */
  readonly label: string
  readonly bars: readonly Bar[]
  /** Noun for the values: `requests`. */
  readonly unit: string
}

const HEIGHT = 200
const MARGIN = { top: 20, right: 8, bottom: 26, left: 44 }

/**
 * A bar chart of one series (one colour is all it needs): round gridlines with their values, a tick
 * label under every few bars, and the highest bar's value written above it, so it reads without
 * colour; each bar's title names its value.
 */
export function mountBarChart(container: HTMLElement, options: BarChartOptions): void {
  const max = Math.max(0, ...options.bars.map((b) => b.value))
  const peak = options.bars.findIndex((b) => b.value === max && max > 0)
  const summary = max === 0
    ? `${options.label}: no ${options.unit} in this period.`
    : `${options.label}: highest ${formatNumber(max)} ${options.unit} on ${options.bars[peak]!.title.split(':')[0]}.`
  drawToWidth(container, (width) => {
    const top = niceMax(max)
    const plotWidth = width - MARGIN.left - MARGIN.right
    const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom
    const band = plotWidth / Math.max(1, options.bars.length)
    const y = (value: number) => MARGIN.top + plotHeight - (value / top) * plotHeight
    // A tick label needs about 24 px; label every bar when there is room, else every few.
    const every = Math.max(1, Math.ceil(24 / band))
    const grid = [0, top / 2, top].map((value) => svg('g', { class: 'grid' },
      svg('line', { x1: MARGIN.left, x2: width - MARGIN.right, y1: y(value), y2: y(value) }),
      svg('text', { x: MARGIN.left - 6, y: y(value) + 4, 'text-anchor': 'end' }, compact(value))))
    const bars = options.bars.map((bar, i) => {
      const x = MARGIN.left + i * band + band * 0.15
      const height = Math.max(0, y(0) - y(bar.value))
      return svg('g', {},
        svg('rect', { class: i === peak ? 'bar bar-peak' : 'bar', x, y: y(bar.value), width: Math.max(1, band * 0.7), height },
          svg('title', {}, bar.title)),
        // Every few bars, and the last one too unless it would crowd the label before it.
        i % every === 0 || (i === options.bars.length - 1 && i % every >= Math.ceil(every / 2) + 1)
          ? svg('text', { class: 'tick', x: x + band * 0.35, y: HEIGHT - 8, 'text-anchor': 'middle' }, bar.tick)
          : null,
        i === peak ? svg('text', { class: 'peak', x: x + band * 0.35, y: y(bar.value) - 5, 'text-anchor': 'middle' }, formatNumber(bar.value)) : null)
    })
    return svg('svg', { class: 'chart-svg', width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, role: 'img', 'aria-label': summary },
      ...grid, svg('line', { class: 'axis', x1: MARGIN.left, x2: width - MARGIN.right, y1: y(0), y2: y(0) }), ...bars)
  })
}
