import assert from 'node:assert/strict'
import { Agent, request as httpRequest } from 'node:http'
import { after, before, describe, it } from 'node:test'
import { request } from '../helpers/http.js'
import { createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { settableClock } from '../helpers/settable-clock.js'
import { tempDbPath } from '../helpers/temp-db.js'

const LIBRARY_CALLS = 5000
const HTTP_CALLS = 2000

/** POSTs `body` as JSON over `agent`, resolving with the status and parsed body. */
function post(agent: Agent, url: string, key: string, body: unknown): Promise<{ status: number; body: any }> {
  const payload = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      method: 'POST', agent,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    }, (res) => {
      let text = ''
      res.on('data', (chunk) => (text += chunk))
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }))
    })
    req.once('error', reject)
    req.end(payload)
  })
}

describe('thousands of concurrent verifications are each counted exactly once', () => {
  let server: TestServer
  let acme: TestTenant
  const users: { id: string; keys: string[] }[] = []
  const expected = new Map<string, { requests: number; units: number }>()
  const usage = (path: string) => request(server.url, path, { key: acme.key })

  before(async () => {
    // A file database, as a deployment runs: commits are real fsyncs, not memory copies. The clock stands
    // still so the default period (this month) cannot change under the test.
    server = await startTestServer(await openTestRoster({ path: tempDbPath(), durability: 'full', clock: settableClock() }))
    acme = await createTestTenant(server.roster, 'Acme')
    for (let u = 0; u < 4; u++) {
      const user = await server.roster.users.create(acme.principal, { name: `User ${u}` })
      const keys = []
      for (let k = 0; k <= u; k++) keys.push((await server.roster.credentials.create(acme.principal, user.id, { name: `Key ${k}` })).secret)
      users.push({ id: user.id, keys })
      expected.set(user.id, { requests: 0, units: 0 })
    }
  })
  after(() => server.close())

  /** The i-th call's user, key and units: skewed towards the first user's single key, as real traffic is. */
  const pick = (i: number) => {
    const user = users[[0, 0, 0, 1, 2, 3, 0, 1][i % 8]!]!
    return { user, key: user.keys[i % user.keys.length]!, units: 1 + (i % 5) }
  }
  const count = (userId: string, units: number) => {
    const totals = expected.get(userId)!
    expected.set(userId, { requests: totals.requests + 1, units: totals.units + units })
  }

  it(`${LIBRARY_CALLS} concurrent library verifications, then the usage endpoints show exactly that many`, async () => {
    const calls = Array.from({ length: LIBRARY_CALLS }, (_, i) => {
      const { user, key, units } = pick(i)
      count(user.id, units)
      return server.roster.credentials.verify(key, { units })
    })
    const results = await Promise.all(calls)
    assert.equal(results.filter((r) => r.valid).length, LIBRARY_CALLS)
    const summary = (await usage('/v1/admin/users/usage/summary')).body
    assert.equal(summary.data.totals.requests, LIBRARY_CALLS)
  })

  it(`${HTTP_CALLS} concurrent POST /v1/verify over 128 connections, then the usage endpoints show exactly that many`, async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 128 })
    try {
      const responses = await Promise.all(Array.from({ length: HTTP_CALLS }, (_, i) => {
        const { user, key, units } = pick(i + 1)
        count(user.id, units)
        return post(agent, `${server.url}/v1/verify`, acme.key, { key, units })
      }))
      assert.equal(responses.filter((r) => r.status === 200 && r.body.data.valid === true).length, HTTP_CALLS)
    } finally {
      agent.destroy()
    }
    const summary = (await usage('/v1/admin/users/usage/summary')).body
    const total = LIBRARY_CALLS + HTTP_CALLS
    const units = [...expected.values()].reduce((sum, t) => sum + t.units, 0)
    assert.deepEqual(summary.data.totals, { requests: total, units })
    assert.deepEqual(Object.fromEntries(summary.data.users.map((u: any) => [u.user_id, { requests: u.requests, units: u.units }])), Object.fromEntries(expected))
    for (const user of users) {
      const report = (await usage(`/v1/admin/users/${user.id}/usage`)).body.data
      assert.deepEqual(report.totals, expected.get(user.id))
      const sum = (rows: { requests: number; units: number }[]) => rows.reduce((s, r) => ({ requests: s.requests + r.requests, units: s.units + r.units }), { requests: 0, units: 0 })
      assert.deepEqual(sum(report.credentials), expected.get(user.id))
      assert.deepEqual(sum(report.daily), expected.get(user.id))
      assert.equal(report.credentials.length, user.keys.length)
    }
  })
})
