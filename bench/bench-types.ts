/** One printed benchmark figure: roster's rate beside a raw better-sqlite3 baseline measured in the same run. */
export interface Figure {
  /** Stable name, e.g. `users.get_by_id`. */
  readonly figure: string
  /** roster's rate (or time, per `unit`). */
  readonly value: number
  readonly unit: string
  /** The raw better-sqlite3 baseline doing the same SQL, in the same unit. */
  readonly baseline: number
  /** value / baseline for rates (higher is better); baseline / value for times. */
  readonly ratio: number
  /** The minimum ratio the figure must reach. */
  readonly target: number
  readonly met: boolean
}

export interface BenchOptions {
  /** `--quick`: a smaller scale that finishes in under a minute. */
  readonly quick: boolean
  /** The synchronous level both roster and the raw baseline use: `full` is roster's default. */
  readonly durability: 'full' | 'normal'
}

/** Prints one line of context beside the figures (memory, scale); never part of the JSON output. */
export type Note = (label: string, value: string) => void

/** A group of figures over one prepared database. Suites live in `bench/suites/` and are listed in `bench/run.ts`. */
export interface Suite {
  readonly name: string
  run(options: BenchOptions, report: (figure: Figure) => void, note: Note): Promise<void>
}
