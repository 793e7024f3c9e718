import { STORES } from '../helpers/stores.js'
import { credentialRepositoryContract } from './credential-repository.contract.js'
import { usageRepositoryContract } from './usage-repository.contract.js'

// The credential and usage contracts, run against every backend the run selects (ROSTER_TEST_STORES).
for (const backend of STORES) {
  credentialRepositoryContract(backend)
  usageRepositoryContract(backend)
}
