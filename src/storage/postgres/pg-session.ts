import type { PostgresPoolClient } from './pg-pool.js'
import type { PgConnection, PgQuery } from './pg-prepared.js'

const BEGIN = {
  snapshot: 'begin isolation level repeatable read read only',
  serializable: 'begin isolation level serializable',
  locking: 'begin isolation level read committed',
} as const

/** Thrown into work that began lightly and then needed more: it runs again from the start, strictly. */
class RunStrictly extends Error {}

type Statement = { text: string; name?: string; values?: unknown[] }
type Pending = { readonly query: PgQuery<unknown>; readonly args: object | undefined }

const bound = (query: PgQuery<unknown>, args: object | undefined): Statement => ({ name: query.name, text: query.text, values: query.bind(args) })

/**
 * One store call's statements on one pooled connection, paying for as little transaction as they need:
 * BEGIN and COMMIT each cost a round trip, as much as a statement.
 *
 * A read runs its first statement alone (autocommit): one statement already sees one snapshot. If it
 * asks for a second, it is stopped and run again in a REPEATABLE READ snapshot, since its first answer
 * may be older than anything read after.
 *
 * A write runs SERIALIZABLE, unless every statement it sends is `locking` (see PgQuery): those read only
 * rows they lock until commit, so under READ COMMITTED the transaction is two-phase locked, which is
 * serializable too, and waits on a row lock where SERIALIZABLE would fail and retry. A SERIALIZABLE
 * transaction that writes what it read waits for those locks, then fails to serialize if the row changed,
 * so the two kinds still order as if one ran after the other. If a write that began
 * READ COMMITTED sends any other statement, it is rolled back and run again SERIALIZABLE. A write that is
 * nothing but one statement given to `runLater` sends it alone, autocommit.
 *
 * `strict` starts the work with the snapshot, or SERIALIZABLE, at once: the store sets it for work that
 * needed it before, so that only its first run pays for starting lightly.
 */
export class PgSession implements PgConnection {
  private begun: keyof typeof BEGIN | null = null
  private sent = 0
  private restart = false
  private later: Pending[] = []
  private inFlight: Promise<unknown> = Promise.resolve()
  /** False once the connection itself failed (not a statement), so it is not handed to the next caller. */
  healthy = true

  constructor(
    private readonly client: PostgresPoolClient,
    private readonly mode: 'read' | 'write',
    /** Set once the work has needed a snapshot, or SERIALIZABLE: the store remembers it for the next call. */
    public strict: boolean,
  ) {}

  async rows<R>(query: PgQuery<R>, args?: object): Promise<R[]> {
    return (await this.exec(query, args)).rows
  }

  async first<R>(query: PgQuery<R>, args?: object): Promise<R | undefined> {
    return (await this.exec(query, args)).rows[0]
  }

  async run(query: PgQuery<unknown>, args?: object): Promise<number> {
    return (await this.exec(query, args)).rowCount ?? 0
  }

  /**
   * Sends a `locking` statement whose result the work does not need before the next statement or the
   * commit, whichever comes first; alone in a write, autocommit.
   */
  async runLater(query: PgQuery<unknown>, args?: object): Promise<void> {
    if (this.begun) await this.exec(query, args)
    else this.later.push({ query, args })
  }

  /** Runs `work` to the end and commits it; runs it again strictly if it began too lightly. */
  async settle<T>(work: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        const result = await work()
        if (!this.restart) {
          await this.finish()
          return result
        }
      } catch (error) {
        if (!this.restart) throw error
      }
      // Work that did not await a statement may leave it running; the connection runs one at a time.
      await this.inFlight.catch(() => {})
      await this.abandon()
      this.restart = false
      this.strict = true
    }
  }

  /** After a failure, or before running again: rolls back what was begun. */
  async abandon(): Promise<void> {
    this.later = []
    if (!this.begun) return
    this.begun = null
    await this.client.query({ text: 'rollback' }).catch(() => (this.healthy = false))
  }

  /** Returns the connection to the pool, or discards it if it failed. */
  release(): void {
    this.client.release(!this.healthy)
  }

  private async finish(): Promise<void> {
    const later = this.later
    this.later = []
    if (later.length > 1) await this.begin(later)
    for (const pending of later) await this.send(bound(pending.query, pending.args))
    if (!this.begun) return
    this.begun = null
    await this.send({ text: 'commit' })
  }

  private async exec(query: PgQuery<unknown>, args: object | undefined) {
    if (this.restart) throw new RunStrictly()
    if (this.mode === 'read' && !this.begun && !this.strict && this.sent > 0) return this.runStrictly()
    if (this.mode === 'write' || this.strict) await this.begin([...this.later, { query, args }])
    if (this.begun === 'locking' && !query.locking) return this.runStrictly()
    if (this.later.length > 0) {
      const later = this.later
      this.later = []
      for (const pending of later) await this.send(bound(pending.query, pending.args))
    }
    return this.send(bound(query, args))
  }

  private runStrictly(): never {
    this.restart = true
    throw new RunStrictly()
  }

  /** Begins before `first`, the statements about to be sent first, at the level they need. */
  private async begin(first: readonly Pending[]): Promise<void> {
    if (this.begun) return
    this.begun = this.mode === 'read' ? 'snapshot' : !this.strict && first.every((p) => p.query.locking) ? 'locking' : 'serializable'
    await this.send({ text: BEGIN[this.begun] })
  }

  private async send(statement: Statement) {
    this.sent++
    const running = this.client.query(statement)
    this.inFlight = running
    try {
      return await running
    } catch (error) {
      // PostgreSQL's own errors carry a severity; anything else is the connection's.
      if ((error as { severity?: unknown })?.severity === undefined) this.healthy = false
      throw error
    }
  }
}
