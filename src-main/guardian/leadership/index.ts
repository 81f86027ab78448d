// Active/standby (issue 7): the lease in the database, its fencing token on every write of the
// active instance, the standby's wait, and binding the paths after a takeover.
export { Leadership, type LeadershipSettings, type LeadershipDeps } from './leadership';
export { decideLease, type LeaseRow, type LeaseCandidate, type LeaseDecision } from './lease';
export { LeaseStore, type Takeover } from './lease-store';
export { installFence, removeFence, isFencedError, FENCED } from './fencing';
export { bindWhenFree, bindLater, type BindSettings } from './bind';
export { waitForLease, stepDownOnLoss, refuseIfAnotherIsActive, recordTakeover, EXIT_STEPPED_DOWN, type StandbyOptions, type TakeoverLog } from './standby';
