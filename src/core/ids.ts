import { randomUUID } from 'node:crypto'

type Brand<T, B extends string> = T & { readonly __brand: B }
export type TenantId = Brand<string, 'TenantId'>
export type UserId = Brand<string, 'UserId'>
export type AdminKeyId = Brand<string, 'AdminKeyId'>

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** True for a canonical UUID; anything else can never name a roster row, so callers answer "not found". */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value)
}

export function newId<T extends string>(): T {
  return randomUUID() as T
}
