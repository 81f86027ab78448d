// Route states in words and icons (the map never relies on colour alone).
import type { IconName } from '../../ui/icons';
import type { Tone } from '../../ui/tone';
import type { RouteState } from './graph/types';

export const ROUTE_WORD: Record<RouteState, string> = { active: 'Active', standby: 'Standby', failed: 'Down' };
export const ROUTE_ICON: Record<RouteState, IconName> = { active: 'bolt', standby: 'circle', failed: 'fail' };
export const ROUTE_TONE: Record<RouteState, Tone> = { active: 'ok', standby: 'idle', failed: 'fail' };
