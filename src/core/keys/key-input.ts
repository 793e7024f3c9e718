import * as v from 'valibot'
import { PERMISSIONS } from '../permissions.js'

const permissions = v.pipe(
  v.array(v.picklist(PERMISSIONS, `permissions may only contain ${PERMISSIONS.join(', ')}`), 'permissions must be an array'),
  v.nonEmpty('permissions must not be empty'),
)
const keyName = v.pipe(
  v.string('name must be a string'),
  v.trim(),
  v.nonEmpty('name must not be empty'),
  v.maxLength(255, 'name must be at most 255 characters'),
)

export const CreateKeyInput = v.strictObject({
  name: v.optional(keyName),
  permissions: v.optional(permissions),
})
export type CreateKeyInput = v.InferInput<typeof CreateKeyInput>

export const DEFAULT_KEY_NAME = 'Admin key'
