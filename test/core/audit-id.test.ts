import assert from 'node:assert/strict'
import { test } from 'node:test'
import { newAuditId } from '../../src/core/audit/audit-id.js'

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

test('audit ids are UUIDv7s carrying the time they were made', () => {
  const before = Date.now()
  const id = newAuditId()
  assert.match(id, UUID_V7)
  const ms = parseInt(id.slice(0, 8) + id.slice(9, 13), 16)
  assert.ok(ms >= before && ms <= Date.now() + 1, `time ${ms} outside [${before}, now]`)
})

test('audit ids sort in the order they were made and never repeat, past one pool of random bytes', () => {
  // 5,000 ids: many within one millisecond, and ten refills of the 4 KiB pool.
  const ids = Array.from({ length: 5_000 }, () => newAuditId())
  for (const id of ids) assert.match(id, UUID_V7)
  assert.deepEqual([...ids].sort(), ids)
  assert.equal(new Set(ids).size, ids.length)
  // The random part varies: the pool is refilled, not reused.
  assert.equal(new Set(ids.map((id) => id.slice(19))).size, ids.length)
})
