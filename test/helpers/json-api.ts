import assert from 'node:assert/strict'
import type { TestResponse } from './http.js'

export const JSON_API_TYPE = 'application/vnd.api+json'

/**
 * Asserts an IAM error reply: `status`, the JSON:API media type, one error entry with status, code,
 * title and detail (and `code` when given). Returns the entry for checks of `source`.
 */
export function jsonApiError(res: TestResponse, status: number, code?: string) {
  assert.equal(res.status, status, JSON.stringify(res.body))
  assert.equal(res.headers.get('content-type'), JSON_API_TYPE)
  assert.deepEqual(res.body.jsonapi, { version: '1.1' })
  assert.equal(res.body.errors.length, 1)
  const [error] = res.body.errors
  assert.equal(error.status, String(status))
  assert.equal(typeof error.title, 'string')
  assert.equal(typeof error.detail, 'string')
  if (code) assert.equal(error.code, code)
  return error
}
