export { confine, toRel, type Confined } from './paths.ts';
export { ensureDir, fsyncDir, writeFileAtomic } from './atomic.ts';
export { acquireLock, describeHolder, lockPath, type AcquireOptions, type LockHandle, type LockInfo } from './lock.ts';
export { commit, hasPendingTransaction, recover, type RecoveryReport, type Step } from './transaction.ts';
