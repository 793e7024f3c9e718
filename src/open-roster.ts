import { createAuditService } from './core/audit/audit-service.js'
import { startAuditPruning } from './core/audit/audit-pruning.js'
import { createAccountUsersService } from './core/account-users/account-users-service.js'
import { createAccountsService } from './core/accounts/accounts-service.js'
import { createAuthenticator } from './core/auth/authenticator.js'
import { createKeyCache } from './core/auth/key-cache.js'
import { SYSTEM_CLOCK, type Clock } from './core/clock.js'
import type { TenantId } from './core/ids.js'
import { createGroupsService } from './core/groups/groups-service.js'
import { createIdempotencyService, type IdempotencyOptions } from './core/idempotency/idempotency-service.js'
import { createKeysService } from './core/keys/keys-service.js'
import { createMfaService } from './core/mfa/mfa-service.js'
import { createPasswordsService } from './core/passwords/passwords-service.js'
import { BOOTSTRAP_PRINCIPAL, trustedTenantPrincipal, type AdminPrincipal, type BootstrapPrincipal, type Principal } from './core/principal.js'
import { createRolesService } from './core/roles/roles-service.js'
import { createTenantsService } from './core/tenants/tenants-service.js'
import { createUsersService } from './core/users/users-service.js'
import { createCredentialsService } from './core/credentials/credentials-service.js'
import { createUsageMeter } from './core/usage/usage-meter.js'
import { createUsageService } from './core/usage/usage-service.js'
import type { SecretBox } from './core/sealing/secret-box.js'
import { openSecretBox, secretsApi, type Scrub } from './open-secrets.js'
import type { Store } from './core/ports/store.js'
import type { SecretKeyOptions } from './secrets-api.js'
import type { PostgresConnection } from './storage/postgres/pg-pool.js'
import { scrubFreedPages } from './storage/sqlite/sqlite-scrub.js'
import { openSqliteStore } from './storage/sqlite/sqlite-store.js'
import { ValidationError } from './core/errors.js'

export interface OpenRosterOptions extends SecretKeyOptions {
  /** SQLite file, created and migrated on first open; `:memory:` for a throwaway store. Default `./roster.db`. */
  readonly path?: string | undefined
  /**
   * Store everything in PostgreSQL instead of SQLite: `{ connectionString }` (roster keeps a pool of its
   * own and ends it on close) or `{ pool }`, a `pg.Pool` the host already has (the host ends it). The
   * database is migrated on open. Needs `secretKey` or `secretKeyFile`: the key never lives in the database.
   */
  readonly postgres?: PostgresConnection | undefined
  /** Sets (or replaces) the installation's bootstrap key; at least 32 characters. */
  readonly bootstrapKey?: string | undefined
  /**
   * `full` (default): a call that changed data returns once the change is synced to disk. `normal`: once
   * committed; safe against a killed process, a power cut may lose the last commits. Spelled out rather
   * than taken from the SQLite adapter so the published types never reach the driver's.
   */
  readonly durability?: 'full' | 'normal' | undefined
  /**
   * Remember admin keys seen recently so authenticating them reads nothing (default true). A revocation
   * through this roster is seen at once, one by another process on the same file within milliseconds.
   */
  readonly keyCache?: boolean | undefined
  /** How long Idempotency-Key answers are kept, and how long a retry waits for the first request. */
  readonly idempotency?: IdempotencyOptions | undefined
  /**
   * Days the audit log keeps an entry; older ones are pruned at open and hourly after, a few hundred per
   * transaction. Default: kept forever.
   */
  readonly auditRetentionDays?: number | undefined
  /** Time source, for tests. */
  readonly clock?: Clock | undefined
}

/** Opens roster over one SQLite file (or a PostgreSQL database). Close it when done so pending writes finish and the storage is released. */
export async function openRoster(options: OpenRosterOptions = {}) {
  if (options.postgres !== undefined && options.path !== undefined) throw new ValidationError('postgres', 'give path or postgres, not both')
  const path = options.postgres ? null : (options.path ?? './roster.db')
  let scrub: Scrub
  let store: Store
  if (path === null) {
    // Loaded only now: an SQLite roster never loads the PostgreSQL adapter or `pg`.
    const { openPostgresStore } = await import('./storage/postgres/pg-store.js')
    store = await openPostgresStore(options.postgres!)
    scrub = async () => false
  } else {
    const sqlite = await openSqliteStore({ path, durability: options.durability })
    store = sqlite
    scrub = (force) => scrubFreedPages(sqlite, force)
  }
  const clock = options.clock ?? SYSTEM_CLOCK
  const keyCache = createKeyCache(store, { enabled: options.keyCache ?? true })
  const auth = createAuthenticator(store, clock, keyCache)
  let box: SecretBox
  let pruning: ReturnType<typeof startAuditPruning> | null = null
  try {
    pruning = startAuditPruning(store, clock, options.auditRetentionDays)
    box = await openSecretBox(store, path, options, scrub)
    if (options.bootstrapKey !== undefined) await auth.setBootstrapKey(options.bootstrapKey)
  } catch (error) {
    await pruning?.stop()
    await store.close()
    throw error
  }

  const users = createUsersService(store, clock)
  const meter = createUsageMeter(store)

  return {
    /** The principal a key stands for; throws UnauthenticatedError for an unknown, revoked or missing key. */
    authenticate: (secret: string | null | undefined): Promise<Principal> => auth.authenticate(secret),
    /** Principals for a trusted host that authenticates its own callers: no key involved, nothing checked but the tenant. */
    principals: {
      bootstrap: (): BootstrapPrincipal => BOOTSTRAP_PRINCIPAL,
      tenant: (tenantId: string): AdminPrincipal => trustedTenantPrincipal(tenantId as TenantId),
    },
    bootstrap: {
      /** Replaces the bootstrap key; ValidationError when shorter than 32 characters. */
      setKey: (secret: string): Promise<void> => auth.setBootstrapKey(secret),
      /** Generates the bootstrap key if the store has none and returns it (shown once), else null. */
      ensureKey: (): Promise<string | null> => auth.ensureBootstrapKey(),
    },
    tenants: createTenantsService(store, clock),
    keys: createKeysService(store, clock, keyCache),
    users,
    /** The IAM view of users (`/api/v3/iam/accounts`): JSON:API-style filters, sorting, keyset paging and includes. */
    accounts: createAccountsService(store, clock, users),
    roles: createRolesService(store, clock),
    /** Passwords (scrypt) and single-use reset tokens for accounts. */
    passwords: createPasswordsService(store, clock),
    /** API credentials of users: issue, list, revoke, and `verify` with metered usage. */
    credentials: createCredentialsService(store, clock, meter),
    /** Usage per user and per tenant over a period, exact to the last acknowledged verification. */
    usage: createUsageService(store, clock),
    /** Tenant-scoped groups and their members (the account users' group memberships, the IAM `ou_accounts` filter). */
    groups: createGroupsService(store, clock),
    /** TOTP (RFC 6238) enrolment, verification with one-time recovery codes, and reset. */
    mfa: createMfaService(store, clock, box),
    /** The host key MFA secrets are sealed with: its id, and rotation to a new key. */
    secrets: secretsApi(store, box, scrub),
    /** Account users (`/accounts/{accountId}/users`): the owner apart, the others paged, each with its groups. */
    accountUsers: createAccountUsersService(store, clock, users),
    /** Idempotency-Keys: keeps the first answer to a request and replays it to retries (the HTTP adapter's POSTs use it). */
    idempotency: createIdempotencyService(store, clock, options.idempotency),
    /** The tenant's audit log (`view_audit`): every change, written in the transaction that made it. */
    audit: {
      ...createAuditService(store, clock),
      /** Prunes entries past `auditRetentionDays` now (it also runs at open and hourly); how many went. 0 when entries are kept forever. */
      prune: (): Promise<number> => pruning?.run() ?? Promise.resolve(0),
    },
    /** Resolves once the store answers a query; rejects when it cannot (closed, unreadable). */
    ping: (): Promise<void> => store.ping(),
    /** Commits pending usage, waits for work in flight, then closes the database. */
    close: async (): Promise<void> => {
      await pruning?.stop()
      await meter.drain()
      await store.close()
    },
  }
}

export type Roster = Awaited<ReturnType<typeof openRoster>>
