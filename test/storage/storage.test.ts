import { STORES } from '../helpers/stores.js'
import { idempotencyRepositoryContract } from './idempotency-repository.contract.js'
import { auditRepositoryContract } from './audit-repository.contract.js'
import { keyRepositoryContract } from './key-repository.contract.js'
import { storeContract } from './store.contract.js'
import { tenantRepositoryContract } from './tenant-repository.contract.js'
import { userCountersContract } from './user-counters.contract.js'
import { userListContract } from './user-list.contract.js'
import { userRepositoryContract } from './user-repository.contract.js'

// One conformance suite, run against every backend the run selects (ROSTER_TEST_STORES).
for (const backend of STORES) {
  storeContract(backend)
  tenantRepositoryContract(backend)
  keyRepositoryContract(backend)
  userRepositoryContract(backend)
  userListContract(backend)
  userCountersContract(backend)
  idempotencyRepositoryContract(backend)
  auditRepositoryContract(backend)
}
