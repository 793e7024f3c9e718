import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { PostgresPoolClient } from '../../src/storage/postgres/pg-pool.js'
import type { PgQuery } from '../../src/storage/postgres/pg-prepared.js'
import { PgSession } from '../../src/storage/postgres/pg-session.js'

// What a PostgreSQL store call sends, statement by statement, without a server: the round trips the
// session saves must never cost a snapshot or an isolation level (test/postgres covers the real thing).
const query = (name: string, locking = false): PgQuery<unknown> => ({ name, text: name, locking, bind: () => [] })
const [a, b] = [query('select a'), query('select b')]
const [counter, insert, audit] = [query('update counter', true), query('insert user', true), query('insert audit', true)]

function recorder(failOn?: string) {
  const sent: string[] = []
  const client: PostgresPoolClient = {
    async query({ text }) {
      sent.push(text)
      if (text === failOn) throw Object.assign(new Error('failed'), { severity: 'ERROR', code: '23505' })
      return { rows: [{ text }], rowCount: 1, command: '' }
    },
    release: () => {},
  }
  return { sent, client }
}

describe('PostgreSQL session: how much transaction a call pays for', () => {
  it('runs a read of one statement alone', async () => {
    const { sent, client } = recorder()
    const session = new PgSession(client, 'read', false)
    assert.deepEqual(await session.settle(() => session.first(a)), { text: 'select a' })
    assert.deepEqual(sent, ['select a'])
    assert.equal(session.strict, false)
  })

  it('runs a read of several again in one snapshot, and marks it strict', async () => {
    const { sent, client } = recorder()
    const session = new PgSession(client, 'read', false)
    const result = await session.settle(async () => [await session.first(a), await session.first(b)])
    assert.equal(result.length, 2)
    assert.deepEqual(sent, ['select a', 'begin isolation level repeatable read read only', 'select a', 'select b', 'commit'])
    assert.equal(session.strict, true)
  })

  it('begins a strict read with its snapshot', async () => {
    const { sent, client } = recorder()
    const session = new PgSession(client, 'read', true)
    await session.settle(() => session.first(a))
    assert.deepEqual(sent, ['begin isolation level repeatable read read only', 'select a', 'commit'])
  })

  it('runs a write of locking statements READ COMMITTED', async () => {
    const { sent, client } = recorder()
    const session = new PgSession(client, 'write', false)
    await session.settle(async () => {
      await session.run(counter)
      await session.run(insert)
      await session.runLater(audit)
    })
    assert.deepEqual(sent, ['begin isolation level read committed', 'update counter', 'insert user', 'insert audit', 'commit'])
  })

  it('rolls back a READ COMMITTED write that reads without locking and runs it SERIALIZABLE', async () => {
    const { sent, client } = recorder()
    const session = new PgSession(client, 'write', false)
    await session.settle(async () => {
      await session.run(counter)
      await session.first(a)
    })
    assert.deepEqual(sent, [
      'begin isolation level read committed', 'update counter', 'rollback',
      'begin isolation level serializable', 'update counter', 'select a', 'commit',
    ])
    assert.equal(session.strict, true)
  })

  it('sends a write of one later statement alone, and a later statement before the next one otherwise', async () => {
    const alone = recorder()
    const first = new PgSession(alone.client, 'write', false)
    await first.settle(() => first.runLater(counter))
    assert.deepEqual(alone.sent, ['update counter'])

    const mixed = recorder()
    const second = new PgSession(mixed.client, 'write', false)
    await second.settle(async () => {
      await second.runLater(counter)
      await second.first(a)
    })
    assert.deepEqual(mixed.sent, ['begin isolation level serializable', 'update counter', 'select a', 'commit'])
  })

  it('leaves the rollback of a failed write to abandon()', async () => {
    const { sent, client } = recorder('insert user')
    const session = new PgSession(client, 'write', false)
    await assert.rejects(session.settle(async () => {
      await session.run(counter)
      await session.run(insert)
    }), { code: '23505' })
    await session.abandon()
    assert.deepEqual(sent, ['begin isolation level read committed', 'update counter', 'insert user', 'rollback'])
    assert.equal(session.healthy, true)
  })
})
