// `npm run openapi`: writes the document `GET /openapi.json` serves to docs/openapi.json, which the README links to.
import { writeFileSync } from 'node:fs'
import { openRoster } from '../../open-roster.js'
import { openApiDocument } from '../create-http-handler.js'

export const OPENAPI_FILE = new URL('../../../docs/openapi.json', import.meta.url)

/** The document as the committed file holds it: two-space JSON with a final newline. */
export function openApiFileText(document: Record<string, unknown>): string {
  return `${JSON.stringify(document, null, 2)}\n`
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const roster = await openRoster({ path: ':memory:' })
  writeFileSync(OPENAPI_FILE, openApiFileText(openApiDocument(roster)))
  await roster.close()
  console.log(`wrote ${OPENAPI_FILE.pathname}`)
}
