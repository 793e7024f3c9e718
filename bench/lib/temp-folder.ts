import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

/** A private temp folder for one suite's database files; `remove` deletes it and everything in it. */
export interface TempFolder {
  readonly path: string
  file(name: string): string
  remove(): void
}

/** Creates the folder under the system temp directory; the caller removes it when the suite ends. */
export function createTempFolder(label = 'bench'): TempFolder {
  const folder = mkdtempSync(path.join(tmpdir(), `roster-${label}-`))
  return {
    path: folder,
    file: (name) => path.join(folder, name),
    remove: () => rmSync(folder, { recursive: true, force: true }),
  }
}
