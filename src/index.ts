export { openRoster, type OpenRosterOptions, type Roster } from './open-roster.js'
export type { SecretKeyOptions, SecretsApi } from './secrets-api.js'
export type { PostgresConnection, PostgresPool, PostgresPoolClient } from './storage/postgres/pg-pool.js'
export { createHttpHandler, type HttpHandlerOptions } from './http/create-http-handler.js'
export { createRosterServer, type RosterServerOptions } from './http/create-roster-server.js'
export type { RequestLogEntry } from './http/request-log.js'
export {
  RosterError,
  ValidationError,
  UnauthenticatedError,
  ForbiddenError,
  BootstrapKeyError,
  NotFoundError,
  ConflictError,
  TooManyAttemptsError,
  PreconditionFailedError,
  StorageError,
  SecretKeyError,
  type ErrorCode,
} from './core/errors.js'
export type { Principal, AdminPrincipal, BootstrapPrincipal, UserPrincipal, CallContext } from './core/principal.js'
export { PERMISSIONS, type Permission } from './core/permissions.js'
export type { TenantId, UserId, AdminKeyId } from './core/ids.js'
export type { Tenant } from './core/tenants/tenant.js'
export type { CreateTenantInput } from './core/tenants/tenant-input.js'
export type { CreatedTenant } from './core/tenants/tenants-service.js'
export type { AdminKey, IssuedAdminKey } from './core/keys/admin-key.js'
export type { CreateKeyInput } from './core/keys/key-input.js'
export type { User, UserStatus, CreateUserInput, UpdateUserInput, SuspendUserInput, ReactivateUserInput } from './core/users/user.js'
export type { ListUsersInput, UserPage } from './core/users/user-list-query.js'
export type { Clock } from './core/clock.js'
export type { Account, Person } from './core/accounts/account.js'
export type { CreateAccountInput, UpdateAccountInput } from './core/accounts/account-input.js'
export type { ListAccountsInput, AccountInclude } from './core/accounts/account-list-input.js'
export type { AccountPage, AccountIncluded } from './core/accounts/account-list.js'
export type { AccountResult, IncludeOption } from './core/accounts/accounts-service.js'
export type { AccountRef } from './core/accounts/account-access.js'
export type { Role, RoleId, CreateRoleInput, UpdateRoleInput } from './core/roles/role.js'
export type { ListRolesInput } from './core/roles/role-list-input.js'
export { RoleNotFoundError, type RolePage } from './core/roles/roles-service.js'
export type { IssuedResetToken } from './core/passwords/passwords-service.js'
export type { Credential, CredentialId, IssuedCredential, CreateCredentialInput, VerifyOptions, VerifyAsOptions } from './core/credentials/credential.js'
export type { RefusalReason } from './core/credentials/credential-state.js'
export type { VerifyResult, VerifyAsResult, VerifiedUserSummary } from './core/credentials/credentials-service.js'
export type { UsageTotals, DailyUsage } from './core/usage/usage.js'
export type { Period, PeriodInput } from './core/usage/usage-period.js'
export type { UserUsageReport, CredentialUsageReport, UsageSummary, SummaryInput } from './core/usage/usage-service.js'
export type { Group, GroupId, GroupMembership, CreateGroupInput, RenameGroupInput } from './core/groups/group.js'
export { MfaStateError, type MfaEnrolment, type MfaConfirmation, type MfaVerification, type MfaStatus, type StartEnrolmentInput, type CodeInput } from './core/mfa/mfa.js'
export type { AccountUser, AccountUserPage, CreateAccountUserInput, ListAccountUsersInput } from './core/account-users/account-user.js'
export type { IdempotencyOptions, IdempotencyStart, IdempotentRequest, StoredResponse } from './core/idempotency/idempotency-service.js'
export {
  AUDIT_ACTIONS,
  AUDIT_SURFACES,
  AUDIT_TARGET_TYPES,
  type AuditEntry,
  type AuditAction,
  type AuditActorType,
  type AuditSurface,
  type AuditTargetType,
} from './core/audit/audit-entry.js'
export type { ListAuditInput, AuditPage } from './core/audit/audit-list-input.js'
export type { WriteCondition } from './core/write-condition.js'
