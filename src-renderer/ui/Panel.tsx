// A deck panel: a titled region; its heading is what a screen reader lists.
import { useId, type ReactNode } from 'react';
import { Icon, type IconName } from './icons';

export function Panel({ title, icon, actions, className, children }: { title: string; icon?: IconName; actions?: ReactNode; className?: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className={className ? `panel ${className}` : 'panel'} aria-labelledby={id}>
      <header className="panel-head">
        <h2 id={id}>{icon && <Icon name={icon} size={13} />}{title}</h2>
        {actions && <div className="panel-actions">{actions}</div>}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}
