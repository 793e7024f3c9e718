export { openRoster, type OpenRosterOptions, type Roster } from './open-roster.js'
export { createHttpHandler, type HttpHandlerOptions } from './http/create-http-handler.js'
export {
  RosterError,
  ValidationError,
  UnauthenticatedError,
  ForbiddenError,
  BootstrapKeyError,
  NotFoundError,
  ConflictError,
  StorageError,
  type ErrorCode,
} from './core/errors.js'
export type { Principal, AdminPrincipal, BootstrapPrincipal, UserPrincipal } from './core/principal.js'
export { PERMISSIONS, type Permission } from './core/permissions.js'
export type { TenantId, UserId, AdminKeyId } from './core/ids.js'
export type { Tenant } from './core/tenants/tenant.js'
export type { CreateTenantInput } from './core/tenants/tenant-input.js'
export type { CreatedTenant } from './core/tenants/tenants-service.js'
export type { AdminKey, IssuedAdminKey } from './core/keys/admin-key.js'
export type { CreateKeyInput } from './core/keys/key-input.js'
export type { User, UserStatus, CreateUserInput, UpdateUserInput, SuspendUserInput } from './core/users/user.js'
export type { ListUsersInput, UserPage } from './core/users/user-list-query.js'
export type { Clock } from './core/clock.js'
