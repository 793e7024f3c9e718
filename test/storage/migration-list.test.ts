import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MIGRATIONS } from '../../src/storage/migration-list.js'
import { migrationFileNames } from '../helpers/migration-files.js'

describe('migration list', () => {
  it('names exactly the files of migrations/, in order, each with its own up()', () => {
    // A migration file missing from the list would never run; a stale name would break every existing database.
    assert.deepEqual(Object.keys(MIGRATIONS), migrationFileNames())
    const ups = Object.values(MIGRATIONS).map((m) => m.up)
    for (const up of ups) assert.equal(typeof up, 'function')
    assert.equal(new Set(ups).size, ups.length)
  })
})
