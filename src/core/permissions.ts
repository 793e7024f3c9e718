export const PERMISSIONS = [
  'manage_users',
  'manage_credentials',
  'record_usage',
  'manage_roles',
  'manage_groups',
  'manage_keys',
  'view_audit',
] as const

export type Permission = (typeof PERMISSIONS)[number]

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && (PERMISSIONS as readonly string[]).includes(value)
}
