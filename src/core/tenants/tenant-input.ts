import * as v from 'valibot'
import { PERMISSIONS } from '../permissions.js'
import { emailSchema } from '../users/user.js'

const text = (field: string, max = 255) =>
  v.pipe(v.string(`${field} must be a string`), v.trim(), v.nonEmpty(`${field} must not be empty`), v.maxLength(max, `${field} must be at most ${max} characters`))

export const CreateTenantInput = v.strictObject({
  entityName: v.pipe(
    v.string('entityName is required and must be a non-empty string'),
    v.trim(),
    v.nonEmpty('entityName is required and must be a non-empty string'),
    v.maxLength(255, 'entityName must be at most 255 characters'),
  ),
  name: v.optional(text('name')),
  permissions: v.optional(
    v.pipe(
      v.array(v.picklist(PERMISSIONS, `permissions may only contain ${PERMISSIONS.join(', ')}`), 'permissions must be an array'),
      v.nonEmpty('permissions must not be empty'),
    ),
  ),
  owner: v.optional(
    v.strictObject(
      {
        email: emailSchema('owner.email'),
        firstName: text('owner.firstName'),
        lastName: text('owner.lastName'),
      },
      'owner must be an object',
    ),
  ),
})
export type CreateTenantInput = v.InferInput<typeof CreateTenantInput>
