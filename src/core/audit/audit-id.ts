import { randomBytes } from 'node:crypto'

let lastMs = 0
let counter = 0

/**
 * A UUIDv7 (RFC 9562): milliseconds first, then a counter within the millisecond, then random bits.
 * Entries written in one process therefore sort by id in the order they were written, which breaks
 * ties between entries recorded at the same instant.
 */
export function newAuditId(): string {
  let ms = Date.now()
  if (ms <= lastMs) {
    ms = lastMs
    counter++
    // 12 bits of counter per millisecond; past them, borrow the next millisecond.
    if (counter > 0xfff) {
      ms = ++lastMs
      counter = 0
    }
  } else {
    counter = 0
  }
  lastMs = ms
  const bytes = randomBytes(16)
  bytes.writeUIntBE(ms, 0, 6)
  bytes[6] = 0x70 | (counter >> 8)
  bytes[7] = counter & 0xff
  bytes[8] = 0x80 | (bytes[8]! & 0x3f)
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
