import { tempDbPath } from './temp-db.js'

export interface Backend {
  readonly name: string
  /** Where a fresh database for one test lives. */
  readonly path: () => string
}

/** Names listed in ROSTER_TEST_STORES (comma-separated) run; all run when it is unset. */
function selectedByEnv(name: string): boolean {
  const wanted = process.env.ROSTER_TEST_STORES
  return !wanted || wanted.split(',').map((s) => s.trim()).includes(name)
}

/** Every storage backend the conformance and service tests run against. A new engine is one more entry. */
export const STORES: readonly Backend[] = [
  { name: 'sqlite-memory', path: () => ':memory:' },
  { name: 'sqlite-file', path: tempDbPath },
].filter((backend) => selectedByEnv(backend.name))
