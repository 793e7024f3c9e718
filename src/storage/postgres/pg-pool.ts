/*
 * The little of a `pg` pool roster uses, spelled out so the published types never reach the driver's:
 * a `pg.Pool` fits it as it is.
 */

/** One pooled connection. */
export interface PostgresPoolClient {
  query(config: { text: string; values?: unknown[]; name?: string }): Promise<{ rows: any[]; rowCount: number | null; command: string }>
  /** Returns the connection to the pool; `true` (or an error) discards it instead. */
  release(destroy?: boolean | Error): void
}

/** A pool of PostgreSQL connections, such as a `pg.Pool`. */
export interface PostgresPool {
  connect(): Promise<PostgresPoolClient>
  end(): Promise<void>
}

/** How roster reaches PostgreSQL: a connection string (roster makes and ends its own pool), or the host's pool (the host ends it). */
export type PostgresConnection =
  | { readonly connectionString: string; readonly pool?: undefined; /** Connections in roster's pool (default 10). */ readonly max?: number | undefined }
  | { readonly pool: PostgresPool; readonly connectionString?: undefined }

/** Makes a pool for `connectionString`, loading `pg` only now so SQLite users never load it. */
export async function createPool(connectionString: string, max = 10): Promise<PostgresPool> {
  const { default: pg } = await import('pg')
  const pool = new pg.Pool({ connectionString, max })
  // An idle connection the server dropped is replaced on the next connect; without a listener it would end the process.
  pool.on('error', () => {})
  return pool
}
