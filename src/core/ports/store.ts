import type { AccountRepository } from './account-repository.js'
import type { AccountUserRepository } from './account-user-repository.js'
import type { AuditRepository } from './audit-repository.js'
import type { AttemptRepository } from './attempt-repository.js'
import type { CredentialRepository } from './credential-repository.js'
import type { GroupRepository } from './group-repository.js'
import type { IdempotencyRepository } from './idempotency-repository.js'
import type { KeyRepository } from './key-repository.js'
import type { MfaRepository } from './mfa-repository.js'
import type { PasswordRepository } from './password-repository.js'
import type { RoleRepository } from './role-repository.js'
import type { SecretUpkeepRepository } from './secret-upkeep-repository.js'
import type { TenantRepository } from './tenant-repository.js'
import type { UsageRepository } from './usage-repository.js'
import type { UserRepository } from './user-repository.js'

export interface Repositories {
  readonly tenants: TenantRepository
  readonly keys: KeyRepository
  readonly users: UserRepository
  readonly credentials: CredentialRepository
  readonly usage: UsageRepository
  readonly accounts: AccountRepository
  readonly roles: RoleRepository
  readonly passwords: PasswordRepository
  readonly groups: GroupRepository
  readonly mfa: MfaRepository
  readonly accountUsers: AccountUserRepository
  readonly attempts: AttemptRepository
  readonly secretUpkeep: SecretUpkeepRepository
  readonly idempotency: IdempotencyRepository
  readonly audit: AuditRepository
}

/** The storage port: every adapter gives the same guarantees. */
export interface Store {
  /**
   * Runs `work` in one transaction: every write commits, or none does. Transactions behave as if they
   * never interleaved: the SQLite store runs them one at a time (several may share one commit), the
   * PostgreSQL store runs them SERIALIZABLE (or READ COMMITTED when every statement locks what it reads)
   * and runs again, from the start, one that lost a conflict, so `work` must do nothing but through `tx`
   * that it cannot repeat. One that fails rolls back alone. The promise settles only once the commit is
   * as durable as the store was opened to be.
   */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>
  /**
   * Runs read-only `work`; it never sees writes that are uncommitted, or committed but not yet durable,
   * and all it reads comes from one snapshot. Like a transaction, it may run again from the start.
   */
  read<T>(work: (repos: Repositories) => Promise<T>): Promise<T>
  /** Resolves once the storage answers a trivial query; rejects when it cannot (closed, unreadable). */
  ping(): Promise<void>
  /**
   * A mark that moves whenever something other than this store (another process on the same data) may
   * have changed it, checked at most every few milliseconds; null when the store cannot tell. Facts read
   * from the store may be cached in process only while the mark stays put, and never when it is null.
   */
  foreignWrites(): number | null
  /** Finishes pending work and releases the storage. */
  close(): Promise<void>
}
