import type { Figure } from '../bench-types.js'

const HEADERS = ['figure', 'roster', 'raw baseline', 'unit', 'ratio', 'target', 'met'] as const

/** The figures as an aligned text table, one row per figure, a missed target marked so it cannot be overlooked. */
export function formatTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [
    f.figure,
    f.value.toLocaleString('en'),
    f.baseline.toLocaleString('en'),
    f.unit,
    `${f.ratio.toFixed(2)}x`,
    `>= ${f.target}x`,
    f.met ? 'yes' : 'NO  <-- target missed',
  ])
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)))
  // Names and words align left, numbers right.
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (i === 0 || i === 3 || i === 6 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd()
  return [line(HEADERS), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

/** One figure as the single JSON line `--json` prints, with the keys in their documented order. */
export function formatJsonLine(f: Figure): string {
  const { figure, value, unit, baseline, ratio, target, met } = f
  return JSON.stringify({ figure, value, unit, baseline, ratio, target, met })
}
