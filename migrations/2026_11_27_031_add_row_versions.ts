import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // A counter per row, raised in the transaction of every change to what the row's resource shows:
    // the ETag of each single-resource GET and the `ifVersion` of conditional updates and deletes.
    for (const table of ['users', 'roles', 'groups']) {
      await trx.schema.alterTable(table).addColumn('version', 'integer', (c) => c.notNull().defaultTo(1)).execute()
    }
  })
}
