import * as v from 'valibot'
import { PERMISSIONS } from '../permissions.js'
import { textSchema } from '../text-schema.js'

export const permissionsSchema = v.pipe(
  v.array(v.picklist(PERMISSIONS, `permissions may only contain ${PERMISSIONS.join(', ')}`), 'permissions must be an array'),
  v.nonEmpty('permissions must not be empty'),
)

export const CreateKeyInput = v.strictObject({
  name: v.optional(textSchema('name')),
  permissions: v.optional(permissionsSchema),
})
export type CreateKeyInput = v.InferInput<typeof CreateKeyInput>

export const DEFAULT_KEY_NAME = 'Admin key'

/** The bootstrap key's recovery request: a key for an existing tenant, all permissions unless narrowed. */
export const RecoverKeyInput = v.strictObject({
  tenantId: v.string('tenantId is required and must be a string'),
  name: v.optional(textSchema('name')),
  permissions: v.optional(permissionsSchema),
})
export type RecoverKeyInput = v.InferInput<typeof RecoverKeyInput>

export const RECOVERY_KEY_NAME = 'Recovery key'
