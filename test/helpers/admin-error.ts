import assert from 'node:assert/strict'
import type { TestResponse } from './http.js'

/** Awaits `pending` and asserts the admin surface's failure envelope: `status` and `{success: false, error}`. */
export async function expectAdminError(pending: Promise<TestResponse>, status: number, error: string | RegExp): Promise<void> {
  const response = await pending
  assert.equal(response.status, status, JSON.stringify(response.body))
  assert.equal(response.body.success, false)
  if (typeof error === 'string') assert.equal(response.body.error, error)
  else assert.match(response.body.error, error)
}
