/**
 * A listbox of suggestions under an input (the input keeps focus and drives it with aria-activedescendant).
 */
import { useEffect, useRef } from 'react';
import './completion-list.css';

export interface Completion {
  value: string;
  detail?: string;
  kind?: string;
}

export interface CompletionListProps {
  id: string;
  items: Completion[];
  active: number;
  onPick: (item: Completion) => void;
  onHover?: (index: number) => void;
  label: string;
}

export function completionOptionId(listId: string, i: number): string {
  return `${listId}-opt-${i}`;
}

export function CompletionList({ id, items, active, onPick, onHover, label }: CompletionListProps) {
  const ref = useRef<HTMLUListElement>(null);
  useEffect(() => {
    ref.current?.querySelector('.active')?.scrollIntoView?.({ block: 'nearest' });
  }, [active]);
  if (!items.length) return null;
  return (
    <ul ref={ref} id={id} className="completions" role="listbox" aria-label={label}>
      {items.map((it, i) => (
        <li
          key={it.value + i}
          id={completionOptionId(id, i)}
          role="option"
          aria-selected={i === active}
          className={i === active ? 'active' : undefined}
          onPointerDown={(e) => {
            e.preventDefault();
            onPick(it);
          }}
          onPointerEnter={() => onHover?.(i)}
        >
          <span className="completion-value">{it.value}</span>
          {it.kind ? <span className="completion-kind">{it.kind}</span> : null}
          {it.detail ? <span className="completion-detail">{it.detail}</span> : null}
        </li>
      ))}
    </ul>
  );
}
