// The mode, as big as anything on the deck: colour, icon, word, and the code underneath.
import type { Mode } from '../../../src-shared/contract';
import { Icon } from '../../ui/icons';
import { MODE_VIEW } from './mode';

export function ModePill({ mode, pinned = false }: { mode: Mode | null; pinned?: boolean }) {
  if (!mode) {
    return (
      <div className="mode-pill mode-unknown" title="No status from Guardian yet" data-mode="unknown">
        <Icon name="circle" size={18} />
        <span className="mode-word">Waiting for status</span>
      </div>
    );
  }
  const view = MODE_VIEW[mode];
  return (
    <div className={`mode-pill ${view.className}`} title={`${mode}: ${view.meaning}`} data-mode={mode} role="status" aria-label={`Mode: ${view.word}${pinned ? ', pinned by an operator' : ''}`}>
      <Icon name={view.icon} size={18} />
      <span className="mode-text">
        <span className="mode-word">{view.word}</span>
        <span className="mode-code">{mode}{pinned ? ' · pinned' : ''}</span>
      </span>
    </div>
  );
}
