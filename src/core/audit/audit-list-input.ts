import * as v from 'valibot'
import { dateTimeSchema } from '../accounts/datetime.js'
import { ValidationError } from '../errors.js'
import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES, type AuditEntry } from './audit-entry.js'

export const DEFAULT_AUDIT_PAGE_SIZE = 50
export const MAX_AUDIT_PAGE_SIZE = 1000

const LIMIT_MESSAGE = `limit must be an integer from 1 to ${MAX_AUDIT_PAGE_SIZE}`
const text = (field: string) => v.pipe(v.string(`${field} must be a string`), v.maxLength(255, `${field} must be at most 255 characters`))

export const ListAuditInput = v.strictObject({
  actor: v.optional(text('actor')),
  action: v.optional(v.picklist(AUDIT_ACTIONS, 'action must be one of the audit actions (see the README), e.g. user.created')),
  targetType: v.optional(v.picklist(AUDIT_TARGET_TYPES, `targetType must be one of ${AUDIT_TARGET_TYPES.join(', ')}`)),
  target: v.optional(text('target')),
  from: v.optional(dateTimeSchema('from')),
  to: v.optional(dateTimeSchema('to')),
  cursor: v.optional(v.string('cursor must be a string')),
  limit: v.optional(v.pipe(v.number(LIMIT_MESSAGE), v.integer(LIMIT_MESSAGE), v.minValue(1, LIMIT_MESSAGE), v.maxValue(MAX_AUDIT_PAGE_SIZE, LIMIT_MESSAGE))),
})
export type ListAuditInput = v.InferInput<typeof ListAuditInput>

/** One page of audit entries, newest first. */
export interface AuditPage {
  readonly entries: readonly AuditEntry[]
  readonly limit: number
  readonly hasMore: boolean
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  readonly nextCursor: string | null
}

// Opaque to callers: the last entry's time and id, so any page costs one index seek.
export function encodeAuditCursor(entry: Pick<AuditEntry, 'at' | 'id'>): string {
  return Buffer.from(`a:${entry.at}|${entry.id}`).toString('base64url')
}

export function decodeAuditCursor(cursor: string): { at: string; id: string } {
  const match = /^a:(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([0-9a-f-]{36})$/.exec(Buffer.from(cursor, 'base64url').toString())
  if (!match) throw new ValidationError('cursor', 'cursor is not a cursor returned by this list')
  return { at: match[1]!, id: match[2]! }
}
