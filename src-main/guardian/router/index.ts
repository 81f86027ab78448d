export { InboundSequence, OutboundQueue, type OutboundFrame, type SeqVerdict } from './streams';
export { RELEASING, Router, type RouterOptions } from './router';
export type { RouterEvent, RouterListener } from './events';
export { SpoolLink } from './spool-link';
export { StreamLink, type LinkSettings } from './stream-link';
export { acceptConnection } from './wire';
export { PathStats, type PathHealth } from './path-stats';
export type { EntryVerdict, SignalDecision, SignalPolicy, ReleaseCheck } from './signal-desk';
export type { Peer, PathSwitch } from './peer';
