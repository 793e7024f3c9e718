import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import { copySqliteToPostgres, CopyRefusedError } from '../storage/copy-store.js'
import { openPostgresStore } from '../storage/postgres/pg-store.js'
import { openSqliteStore } from '../storage/sqlite/sqlite-store.js'
import { UsageError } from './usage-error.js'

/**
 * `roster migrate-store --from ./roster.db --to postgres://…`: copies a whole SQLite store into an empty
 * PostgreSQL database, with a progress line on stderr, then verifies each table (rows and checksum).
 * Stop the servers using the SQLite file first: what they write during the copy would not be copied.
 */
export async function migrateStoreCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { from: { type: 'string' }, to: { type: 'string' } } })
  if (!values.from) throw new UsageError('--from PATH (the SQLite file) is required')
  if (!values.to) throw new UsageError('--to URL (the PostgreSQL database) is required')
  if (!/^postgres(ql)?:\/\//.test(values.to)) throw new UsageError('--to must be a postgres:// URL')
  if (values.from === ':memory:' || !existsSync(values.from)) throw new UsageError(`no database at ${values.from}`)

  // Both sides at the latest schema first: the source's own migrations, then the target's.
  await (await openSqliteStore({ path: values.from })).close()
  const target = await openPostgresStore({ connectionString: values.to, max: 1 })
  const source = new Database(values.from, { readonly: true })
  const tty = process.stderr.isTTY
  try {
    const copies = await copySqliteToPostgres(source, target.pool, (table, copied, total) => {
      const line = `roster: copying ${table}: ${copied}/${total} rows`
      if (tty) process.stderr.write(`\r${line}${copied === total ? '\n' : ''}`)
      else if (copied === total || copied % 50_000 === 0) process.stderr.write(`${line}\n`)
    })
    for (const copy of copies) process.stdout.write(`${copy.table}\t${copy.rows}\t${copy.checksum}\n`)
    process.stdout.write(`copied and verified ${copies.length} tables (rows and SHA-256 per table): serve with --postgres from now on\n`)
  } catch (error) {
    if (error instanceof CopyRefusedError) throw new UsageError(error.message)
    throw error
  } finally {
    source.close()
    await target.close()
  }
}
