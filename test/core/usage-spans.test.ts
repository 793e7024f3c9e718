import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { firstDayOfMonth, monthOfDay, splitHourRange } from '../../src/core/usage/usage-spans.js'

const hourOf = (iso: string) => Date.parse(iso) / 3_600_000

/** Every hour a split covers, expanded back to hours. */
function hoursCovered(fromHour: number, toHour: number): number[] {
  const spans = splitHourRange({ fromHour, toHour })
  const out = [...spans.hours]
  for (const day of spans.days) for (let h = 0; h < 24; h++) out.push(day * 24 + h)
  for (let month = spans.months.from; month < spans.months.to; month++) {
    for (let hour = firstDayOfMonth(month) * 24; hour < firstDayOfMonth(month + 1) * 24; hour++) out.push(hour)
  }
  return out.sort((a, b) => a - b)
}

describe('usage spans', () => {
  it('cuts a calendar month into one month and nothing else', () => {
    const spans = splitHourRange({ fromHour: hourOf('2026-02-01T00:00:00Z'), toHour: hourOf('2026-03-01T00:00:00Z') })
    assert.deepEqual(spans, { hours: [], days: [], months: { from: monthOfDay(hourOf('2026-02-01T00:00:00Z') / 24), to: monthOfDay(hourOf('2026-03-01T00:00:00Z') / 24) } })
    assert.equal(spans.months.to - spans.months.from, 1)
  })

  it('keeps ragged edges as hours and days, and short periods as hours', () => {
    const spans = splitHourRange({ fromHour: hourOf('2026-01-30T22:00:00Z'), toHour: hourOf('2026-03-02T03:00:00Z') })
    assert.equal(spans.hours.length, 2 + 3)
    assert.equal(spans.days.length, 1 + 1)
    assert.equal(spans.months.to - spans.months.from, 1)
    assert.deepEqual(splitHourRange({ fromHour: 10, toHour: 30 }), { hours: Array.from({ length: 20 }, (_, i) => 10 + i), days: [], months: { from: 0, to: 0 } })
    assert.deepEqual(splitHourRange({ fromHour: 5, toHour: 5 }).hours, [])
  })

  it('covers exactly the hours of any period, each once', () => {
    let seed = 11
    const next = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n)
    const base = hourOf('2023-12-15T00:00:00Z')
    for (let i = 0; i < 300; i++) {
      const fromHour = base + next(24 * 800)
      const toHour = fromHour + next(24 * 120)
      assert.deepEqual(hoursCovered(fromHour, toHour), Array.from({ length: toHour - fromHour }, (_, k) => fromHour + k), `${fromHour}..${toHour}`)
    }
  })
})
