import * as v from 'valibot'
import { permissionsSchema } from '../keys/key-input.js'
import { textSchema } from '../text-schema.js'
import { emailSchema } from '../users/user.js'

export const CreateTenantInput = v.strictObject({
  entityName: textSchema('entityName', 255, 'entityName is required and must be a non-empty string'),
  name: v.optional(textSchema('name')),
  permissions: v.optional(permissionsSchema),
  owner: v.optional(
    v.strictObject(
      {
        email: emailSchema('owner.email'),
        firstName: textSchema('owner.firstName'),
        lastName: textSchema('owner.lastName'),
      },
      'owner must be an object',
    ),
  ),
})
export type CreateTenantInput = v.InferInput<typeof CreateTenantInput>
