// The entries chip of the top bar.
import type { ControlsState, Mode } from '../../../src-shared/contract';
import { StateTag } from '../../ui/StateTag';
import { entriesState } from './entries';

export function EntriesChip({ mode, controls }: { mode: Mode | null; controls: ControlsState | null }) {
  const s = entriesState(mode, controls);
  return <StateTag tone={s.tone} word={s.word} icon={s.tone === 'ok' ? 'play' : s.tone === 'fail' ? 'lock' : 'pause'} title={s.why} className="chip entries-chip" />;
}
