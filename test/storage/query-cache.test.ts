import assert from 'node:assert/strict'
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { describe, it } from 'node:test'
import { parseAccountFilters } from '../../src/core/accounts/account-filters.js'
import type { TenantId } from '../../src/core/ids.js'
import { param, QueryCache } from '../../src/storage/sqlite/prepared.js'
import { conditionsSql } from '../../src/storage/sqlite/sqlite-account-sql.js'

const TENANT = '00000000-0000-4000-8000-000000000001' as TenantId

/** Every ordering of `items`. */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]]
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]))
}

describe('prepared query cache', () => {
  it('keeps at most its capacity, dropping the least recently used shape', () => {
    const handle = new Database(':memory:')
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: handle }) })
    const cache = new QueryCache<{ n: number }>(handle, {}, 3)
    let builds = 0
    const query = (n: number) => cache.get(`shape-${n}`, () => {
      builds++
      return db.selectNoFrom((eb) => eb.val(param<number>('n')).as('n')).compile()
    })
    for (const n of [1, 2, 3]) assert.equal(query(n).get({ n })?.n, n)
    query(1) // 1 is now the most recently used; 2 the least
    query(4)
    assert.equal(cache.size, 3)
    assert.equal(builds, 4)
    query(1)
    query(3)
    assert.equal(builds, 4, '1 and 3 stayed prepared')
    query(2)
    assert.equal(builds, 5, '2 was dropped and is compiled again')
    for (let n = 0; n < 2000; n++) query(100 + n)
    assert.equal(cache.size, 3)
    handle.close()
  })

  it('gives every ordering of the same IAM filters one shape and one statement', () => {
    const filters: [string, string][] = [
      ['email__match', 'ada'], ['account_type', 'user'], ['enabled', 'true'], ['created_at__gte', '2026-01-01T00:00:00Z'],
      ['role_name', 'ops'], ['ou_accounts', 'staff'],
    ]
    const shapes = new Set<string>()
    const args = new Set<string>()
    for (const order of permutations(filters)) {
      const conditions = parseAccountFilters(Object.fromEntries(order), TENANT)
      assert.ok(conditions)
      const compiled = conditionsSql(conditions)
      shapes.add(compiled.shape)
      args.add(JSON.stringify(Object.entries(compiled.args).sort()))
    }
    assert.equal(shapes.size, 1, `${permutations(filters).length} orderings`)
    assert.equal(args.size, 1, 'each argument binds to the same name in every ordering')
  })
})
