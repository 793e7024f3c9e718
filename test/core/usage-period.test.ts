import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ValidationError } from '../../src/index.js'
import { resolvePeriod } from '../../src/core/usage/usage-period.js'

const NOW = '2026-03-15T10:30:00.000Z'
const period = (input: { from?: string; to?: string }, now = NOW) => resolvePeriod(input, now).period
const invalid = (field: string, message: RegExp) => (error: unknown) =>
  error instanceof ValidationError && error.field === field && message.test(error.message)

describe('usage periods (UTC)', () => {
  it('defaults to the current UTC month, `to` exclusive', () => {
    assert.deepEqual(period({}), { from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' })
    assert.deepEqual(period({}, '2026-12-31T23:59:59.999Z'), { from: '2026-12-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' })
    assert.deepEqual(resolvePeriod({}, NOW).range, { fromHour: Date.parse('2026-03-01T00:00:00Z') / 3_600_000, toHour: Date.parse('2026-04-01T00:00:00Z') / 3_600_000 })
  })

  it('reads date-only bounds as whole UTC days, `to` included', () => {
    assert.deepEqual(period({ from: '2026-02-01', to: '2026-02-28' }), { from: '2026-02-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' })
    assert.deepEqual(period({ from: '2026-02-10', to: '2026-02-10' }), { from: '2026-02-10T00:00:00.000Z', to: '2026-02-11T00:00:00.000Z' })
    // A timestamp `from` inside a date-only `to`'s day is the rest of that day, not a backwards period.
    assert.deepEqual(period({ from: '2026-02-10T12:30:00Z', to: '2026-02-10' }), { from: '2026-02-10T12:00:00.000Z', to: '2026-02-11T00:00:00.000Z' })
  })

  it('widens timestamps to the whole UTC hours they touch, honouring offsets', () => {
    assert.deepEqual(period({ from: '2026-03-14T10:30:00Z', to: '2026-03-15T10:30:00Z' }), { from: '2026-03-14T10:00:00.000Z', to: '2026-03-15T11:00:00.000Z' })
    assert.deepEqual(period({ from: '2026-03-14T12:00:00+02:00', to: '2026-03-14T13:00:00.000+02:00' }), { from: '2026-03-14T10:00:00.000Z', to: '2026-03-14T11:00:00.000Z' })
    assert.deepEqual(period({ from: '2026-03-14T10:00:00Z', to: '2026-03-14T10:00:00Z' }), { from: '2026-03-14T10:00:00.000Z', to: '2026-03-14T10:00:00.000Z' })
  })

  it('with `from` alone runs to the end of the current month; with `to` alone starts at the beginning of its month', () => {
    assert.deepEqual(period({ from: '2026-01-15' }), { from: '2026-01-15T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' })
    assert.deepEqual(period({ from: '2026-06-01T00:00:00Z' }), { from: '2026-06-01T00:00:00.000Z', to: '2026-06-01T01:00:00.000Z' })
    assert.deepEqual(period({ to: '2026-02-14' }), { from: '2026-02-01T00:00:00.000Z', to: '2026-02-15T00:00:00.000Z' })
    assert.deepEqual(period({ to: '2026-03-01T00:00:00Z' }), { from: '2026-02-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' })
  })

  it('refuses `from` after `to`, naming `from`', () => {
    assert.throws(() => period({ from: '2026-03-02', to: '2026-03-01' }), invalid('from', /^from must not be after to$/))
    assert.throws(() => period({ from: '2026-03-01T10:00:01Z', to: '2026-03-01T10:00:00Z' }), invalid('from', /^from must not be after to$/))
    assert.throws(() => period({ from: '2026-03-02T00:00:00Z', to: '2026-03-01' }), invalid('from', /^from must not be after to$/))
  })

  it('refuses malformed or impossible dates, naming the parameter', () => {
    const bad = ['yesterday', '', '2026-3-1', '2026-02-30', '2026-13-01', '2026-01-01T24:00:00Z', '2026-01-01T10:00:00', '1767225600', '2026-01-01 10:00:00Z', '0999-01-01']
    for (const value of bad) {
      assert.throws(() => period({ from: value }), invalid('from', /^from must be an ISO 8601 date \(YYYY-MM-DD\) or timestamp$/), value)
      assert.throws(() => period({ to: value }), invalid('to', /^to must be an ISO 8601 date \(YYYY-MM-DD\) or timestamp$/), value)
    }
  })
})
