import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../migrations', import.meta.url))

/** The migrations the repository holds: the file names in `migrations/` without `.ts`, in the order they run. */
export function migrationFileNames(): string[] {
  return readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -'.ts'.length)).sort()
}
