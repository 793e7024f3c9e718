import assert from 'node:assert/strict'
import { test } from 'node:test'
import { describeChange } from '../../src/core/audit/audit-trail.js'

test('a change lists the fields whose values differ, deeply, and only those', () => {
  const before = { name: 'Ada', email: null, metadata: { plan: 'pro', seats: [1, 2] }, roleIds: ['a', 'b'], updatedAt: '1' }
  const same = describeChange(before, { ...before, metadata: { seats: [1, 2], plan: 'pro' }, roleIds: ['a', 'b'], updatedAt: '2' })
  assert.deepEqual(same, { fields: [], before: {}, after: {} }, 'equal content in another key order, and bookkeeping, is no change')
  const changed = describeChange(before, { ...before, metadata: { plan: 'pro', seats: [1, 3] }, roleIds: ['a'], email: 'a@x.org' })
  assert.deepEqual(changed.fields, ['email', 'metadata', 'roleIds'])
  assert.deepEqual(changed.before, { email: null, metadata: { plan: 'pro', seats: [1, 2] }, roleIds: ['a', 'b'] })
  assert.deepEqual(changed.after, { email: 'a@x.org', metadata: { plan: 'pro', seats: [1, 3] }, roleIds: ['a'] })
})

test('creations and deletions list what was set or removed; secret fields are never valued', () => {
  const user = { id: 'u1', name: 'Ada', email: null, passwordHash: 'h', secretKeyId: 'k', totpSecret: 's', tenantName: 'Acme' }
  assert.deepEqual(describeChange(null, user), { fields: ['id', 'name'], before: {}, after: { id: 'u1', name: 'Ada' } })
  assert.deepEqual(describeChange(user, null), { fields: ['id', 'name'], before: { id: 'u1', name: 'Ada' }, after: {} })
  assert.deepEqual(describeChange({ a: { x: 1 } }, { a: null }).fields, ['a'])
  assert.deepEqual(describeChange({ a: [] }, { a: {} }).fields, ['a'], 'an empty list is not an empty object')
})
