/**
 * Runs async work one piece at a time, in call order. SQLite gives roster one connection, so a
 * transaction must not interleave with any other statement of this process.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve()

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work)
    this.tail = result.then(noop, noop)
    return result
  }

  /** Resolves once everything queued so far has finished. */
  drain(): Promise<void> {
    return this.tail.then(noop, noop)
  }
}

function noop(): void {}
