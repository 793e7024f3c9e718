import { randomFillSync } from 'node:crypto'

let lastMs = 0
let counter = 0

// Random bytes drawn 4 KiB at a time, as crypto.randomUUID does: one entropy call per 512 ids, where
// a call per id measured 5% of a rename's CPU. Ids are unique, not secret.
const POOL = Buffer.alloc(4096)
let poolAt = POOL.length
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

function random8(): number {
  if (poolAt === POOL.length) {
    randomFillSync(POOL)
    poolAt = 0
  }
  return poolAt++
}

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
  const time = ms.toString(16).padStart(12, '0')
  let tail = ''
  for (let i = 0; i < 8; i++) {
    const byte = POOL[random8()]!
    tail += HEX[i === 0 ? 0x80 | (byte & 0x3f) : byte]
  }
  const version = HEX[0x70 | (counter >> 8)]! + HEX[counter & 0xff]!
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-${version}-${tail.slice(0, 4)}-${tail.slice(4)}`
}
