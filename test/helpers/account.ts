import assert from 'node:assert/strict'
import { request } from './http.js'
import { BOOTSTRAP_KEY } from './roster.js'

export interface TestAccount {
  /** The tenant id: seed 003's `accountId`. */
  readonly accountId: string
  /** The first admin key's secret. */
  readonly key: string
  /** The owner's user id, or null when created without one. */
  readonly ownerId: string | null
}

export interface AccountOptions {
  readonly name?: string
  readonly withOwner?: boolean
  readonly permissions?: readonly string[]
}

/** Creates a tenant over HTTP (SPEC.md's `POST /v1/admin/keys` with the bootstrap key), with an owner unless told not to. */
export async function createTestAccount(baseUrl: string, options: AccountOptions = {}): Promise<TestAccount> {
  const { name = 'Acme', withOwner = true, permissions } = options
  const slug = name.toLowerCase().replace(/\W/g, '')
  const body = {
    entity_name: name,
    ...(permissions && { permissions }),
    ...(withOwner && { owner: { email_address: `owner@${slug}.example`, first_name: 'Olive', last_name: 'Owner' } }),
  }
  const response = await request(baseUrl, '/v1/admin/keys', { method: 'POST', key: BOOTSTRAP_KEY, body })
  assert.equal(response.status, 201, JSON.stringify(response.body))
  const { key, tenant_id: accountId, owner } = response.body.data
  return { accountId, key, ownerId: owner?.id ?? null }
}

/** The HTTP status each title of seed 003's error entries goes with, as the entry's `status` string. */
export const ERROR_STATUS: Readonly<Record<string, string>> = {
  'Bad Request': '400', Unauthorized: '401', Forbidden: '403', 'Not Found': '404', 'Method Not Allowed': '405',
  'Payload Too Large': '413', 'Unsupported Media Type': '415', 'Unprocessable Entity': '422', 'Too Many Requests': '429',
}

/** Seed 003's error body with one entry, as roster writes it. */
export function oneError(code: string, title: string, detail: string | RegExp, source?: Record<string, string>) {
  return (body: any) => {
    assert.equal(body?.errors?.length, 1, JSON.stringify(body))
    const [entry] = body.errors
    assert.deepEqual(Object.keys(entry), source ? ['status', 'code', 'title', 'detail', 'source'] : ['status', 'code', 'title', 'detail'])
    assert.deepEqual([entry.status, entry.code, entry.title, entry.source], [ERROR_STATUS[title], code, title, source])
    if (typeof detail === 'string') assert.equal(entry.detail, detail)
    else assert.match(entry.detail, detail)
  }
}
