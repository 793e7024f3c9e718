import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SecretKeyError, ValidationError } from '../../src/index.js'
import { createSecretBox, sealingKey } from '../../src/core/sealing/secret-box.js'

const OLD = 'an-old-host-secret-key-of-enough-length-0001'
const NEW = 'a-new-host-secret-key-of-enough-length-00002'
const refused = (error: unknown) => error instanceof SecretKeyError

describe('secret box (AES-256-GCM under the host key)', () => {
  it('derives a 256-bit key and a stable 16-hex-digit id from a secret of at least 32 characters', () => {
    const key = sealingKey(OLD)
    assert.equal(key.key.length, 32)
    assert.match(key.id, /^[0-9a-f]{16}$/)
    assert.deepEqual(sealingKey(OLD), key)
    assert.notEqual(sealingKey(NEW).id, key.id)
    assert.ok(!key.key.toString('hex').includes(key.id), 'the id is not a piece of the key')
    assert.throws(() => sealingKey('x'.repeat(31)), (e) => e instanceof ValidationError && e.field === 'secretKey')
  })

  it('seals with a fresh IV each time, names the key, and opens only with the same context', () => {
    const box = createSecretBox(sealingKey(OLD))
    const one = box.seal('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 'totp:user-a')
    const two = box.seal('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 'totp:user-a')
    assert.equal(one.keyId, sealingKey(OLD).id)
    assert.notEqual(one.value, two.value)
    assert.ok(!one.value.includes('JBSWY3DP'))
    assert.equal(box.open(one, 'totp:user-a'), 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')
    assert.throws(() => box.open(one, 'totp:user-b'), refused, 'moved to another user')
  })

  it('refuses altered values, unknown keys and garbage without a crash', () => {
    const box = createSecretBox(sealingKey(OLD))
    const sealed = box.seal('secret', 'ctx')
    const bytes = Buffer.from(sealed.value, 'base64url')
    bytes[14]! ^= 1
    assert.throws(() => box.open({ ...sealed, value: bytes.toString('base64url') }, 'ctx'), refused)
    assert.throws(() => box.open({ ...sealed, value: 'AAAA' }, 'ctx'), refused)
    assert.throws(() => createSecretBox(sealingKey(NEW)).open(sealed, 'ctx'), (e) => refused(e) && /was not given/.test((e as Error).message))
  })

  it('keeps opening what previous keys sealed; `use` switches the sealing key and can be undone', () => {
    const old = createSecretBox(sealingKey(OLD)).seal('secret', 'ctx')
    const box = createSecretBox(sealingKey(NEW), [sealingKey(OLD)])
    assert.equal(box.keyId, sealingKey(NEW).id)
    assert.equal(box.open(old, 'ctx'), 'secret')
    assert.ok(box.knows(sealingKey(OLD).id) && box.knows(sealingKey(NEW).id))
    const third = sealingKey('a-third-host-secret-key-of-enough-length-03')
    const undo = box.use(third)
    assert.equal(box.seal('x', 'ctx').keyId, third.id)
    undo()
    assert.equal(box.keyId, sealingKey(NEW).id)
    assert.equal(box.open(old, 'ctx'), 'secret')
  })
})
