import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

const folders: string[] = []
process.on('exit', () => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true })
})

/** A path for a fresh SQLite file in a private temp folder, removed when the test process exits. */
export function tempDbPath(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'roster-test-'))
  folders.push(folder)
  return path.join(folder, 'roster.db')
}
