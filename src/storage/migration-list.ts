import type { Migration } from 'kysely'
import * as createTenants from '../../migrations/2026_11_23_001_create_tenants.js'
import * as createAdminKeys from '../../migrations/2026_11_23_002_create_admin_keys.js'
import * as createUsers from '../../migrations/2026_11_23_003_create_users.js'
import * as createGroups from '../../migrations/2026_11_23_004_create_groups.js'
import * as createCredentials from '../../migrations/2026_11_23_005_create_credentials.js'
import * as createUsage from '../../migrations/2026_11_23_006_create_usage.js'
import * as createRoles from '../../migrations/2026_11_23_007_create_roles.js'
import * as addPasswords from '../../migrations/2026_11_23_008_add_passwords.js'
import * as createMfa from '../../migrations/2026_11_23_009_create_mfa.js'
import * as indexAccounts from '../../migrations/2026_11_23_010_index_accounts.js'
import * as createAuthAttempts from '../../migrations/2026_11_27_011_create_auth_attempts.js'
import * as sealSecretsAtRest from '../../migrations/2026_11_27_012_seal_secrets_at_rest.js'
import * as countUsers from '../../migrations/2026_11_27_020_count_users.js'
import * as indexUserSearch from '../../migrations/2026_11_27_021_index_user_search.js'
import * as rollUpUsage from '../../migrations/2026_11_27_022_roll_up_usage.js'
import * as createAuditEntries from '../../migrations/2026_11_27_030_create_audit_entries.js'
import * as addRowVersions from '../../migrations/2026_11_27_031_add_row_versions.js'
import * as createIdempotencyKeys from '../../migrations/2026_11_27_040_create_idempotency_keys.js'
import * as indexAuditInBatches from '../../migrations/2026_11_28_050_index_audit_in_batches.js'

/**
 * Every migration in `migrations/`, keyed by its file name without extension: the names `roster_migration`
 * records, so they never change. Imported statically instead of read from the folder at run time, so
 * nothing depends on a folder beside the code (a host's bundler follows these imports like any other) or
 * on a loader for `.ts` files; a test checks that this list names exactly the files of `migrations/`.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '2026_11_23_001_create_tenants': createTenants,
  '2026_11_23_002_create_admin_keys': createAdminKeys,
  '2026_11_23_003_create_users': createUsers,
  '2026_11_23_004_create_groups': createGroups,
  '2026_11_23_005_create_credentials': createCredentials,
  '2026_11_23_006_create_usage': createUsage,
  '2026_11_23_007_create_roles': createRoles,
  '2026_11_23_008_add_passwords': addPasswords,
  '2026_11_23_009_create_mfa': createMfa,
  '2026_11_23_010_index_accounts': indexAccounts,
  '2026_11_27_011_create_auth_attempts': createAuthAttempts,
  '2026_11_27_012_seal_secrets_at_rest': sealSecretsAtRest,
  '2026_11_27_020_count_users': countUsers,
  '2026_11_27_021_index_user_search': indexUserSearch,
  '2026_11_27_022_roll_up_usage': rollUpUsage,
  '2026_11_27_030_create_audit_entries': createAuditEntries,
  '2026_11_27_031_add_row_versions': addRowVersions,
  '2026_11_27_040_create_idempotency_keys': createIdempotencyKeys,
  '2026_11_28_050_index_audit_in_batches': indexAuditInBatches,
}
