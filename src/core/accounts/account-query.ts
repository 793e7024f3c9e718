/** A field an account list can be filtered or sorted on, in domain words. */
export type AccountField =
  | 'id'
  | 'email'
  | 'accountType'
  | 'authType'
  | 'createdAt'
  | 'updatedAt'
  | 'expiresAt'
  | 'enabled'
  | 'resetTokenHash'
  | 'resetTokenExpiresAt'

/**
 * One normalized filter condition; conditions are ANDed. `email` values are lower-cased, because
 * emails compare case-insensitively; `match` values use `*` for any run of characters and match
 * anywhere in the field; `null` never satisfies `gte`/`lte`; `roles`/`groups` hold when the account
 * has any of the named roles / is in any of the given groups (group id or name).
 */
export type AccountCondition =
  | { readonly field: AccountField; readonly op: 'eq'; readonly value: string | number | boolean }
  | { readonly field: AccountField; readonly op: 'null' }
  | { readonly field: 'id' | 'accountType'; readonly op: 'in'; readonly value: readonly (string | number)[] }
  | { readonly field: 'createdAt' | 'expiresAt'; readonly op: 'gte' | 'lte'; readonly value: string }
  | { readonly field: 'email'; readonly op: 'match'; readonly value: string }
  | { readonly field: 'roles' | 'groups'; readonly op: 'in'; readonly value: readonly string[] }

export type SortableField = Exclude<AccountField, 'resetTokenHash' | 'resetTokenExpiresAt'>

/** One sort key. `email` sorts case-insensitively; nulls sort first ascending and last descending. */
export interface SortKey {
  readonly field: SortableField
  readonly descending: boolean
}

/** A cursor's sort-key values, in sort order; `enabled` as 1/0. */
export type CursorValues = readonly (string | number | null)[]

/** An account list as a repository runs it. */
export interface AccountQuery {
  readonly conditions: readonly AccountCondition[]
  /** Ends with `id`, so every row has one place in the order. */
  readonly sort: readonly SortKey[]
  readonly limit: number
  readonly offset: number
  /** Keyset paging: rows strictly after (or before) the row holding these values, in sort order. */
  readonly cursor?: { readonly values: CursorValues; readonly direction: 'after' | 'before' }
}
