// A state shown as icon + word, coloured by tone: never colour alone.
import { Icon, type IconName } from './icons';
import { TONE_ICON, type Tone } from './tone';

export function StateTag({ tone, word, icon, title, className }: { tone: Tone; word: string; icon?: IconName; title?: string; className?: string }) {
  return (
    <span className={`state-tag tone-${tone}${className ? ` ${className}` : ''}`} title={title} data-tone={tone}>
      <Icon name={icon ?? TONE_ICON[tone]} size={12} />
      <span>{word}</span>
    </span>
  );
}
