/**
 * A context menu (role="menu") at a screen position, with submenus one level deep. Arrow keys move, Enter
 * chooses, Esc or a click elsewhere closes it.
 */
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import './context-menu.css';

export interface MenuItem {
  label: string;
  onSelect?: () => void;
  disabled?: boolean;
  items?: MenuItem[];
  separatorBefore?: boolean;
}

export interface ContextMenuProps {
  x: number;
  y: number;
  items: MenuItem[];
  onClose: () => void;
  label: string;
}

export function ContextMenu({ x, y, items, onClose, label }: ContextMenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState({ x, y });
  const [active, setActive] = useState(0);
  const [sub, setSub] = useState<number | null>(null);
  const [subActive, setSubActive] = useState(0);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const r = el.getBoundingClientRect();
    setPos({ x: Math.max(0, Math.min(x, innerWidth - r.width - 4)), y: Math.max(0, Math.min(y, innerHeight - r.height - 4)) });
    el.focus();
  }, [x, y]);

  useEffect(() => {
    const away = (e: Event) => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    document.addEventListener('pointerdown', away, true);
    window.addEventListener('blur', onClose);
    return () => {
      document.removeEventListener('pointerdown', away, true);
      window.removeEventListener('blur', onClose);
    };
  }, [onClose]);

  const choose = (it: MenuItem | undefined) => {
    if (!it || it.disabled || it.items) return;
    onClose();
    it.onSelect?.();
  };

  const key = (e: KeyboardEvent) => {
    const inSub = sub !== null && items[sub]?.items;
    const list = inSub ? items[sub!].items! : items;
    const cur = inSub ? subActive : active;
    const setCur = inSub ? setSubActive : setActive;
    const step = (d: number) => {
      let i = cur;
      for (let k = 0; k < list.length; k++) {
        i = (i + d + list.length) % list.length;
        if (!list[i].disabled) break;
      }
      setCur(i);
    };
    switch (e.key) {
      case 'ArrowDown':
        step(1);
        break;
      case 'ArrowUp':
        step(-1);
        break;
      case 'ArrowRight':
        if (!inSub && items[active]?.items) {
          setSub(active);
          setSubActive(0);
        }
        break;
      case 'ArrowLeft':
        if (inSub) setSub(null);
        break;
      case 'Enter':
      case ' ':
        if (!inSub && items[active]?.items) {
          setSub(active);
          setSubActive(0);
        } else choose(list[cur]);
        break;
      case 'Escape':
        if (inSub) setSub(null);
        else onClose();
        break;
      case 'Tab':
        onClose();
        return;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
  };

  const render = (list: MenuItem[], cur: number, isSub: boolean) =>
    list.map((it, i) => (
      <div key={it.label} className="menu-row">
        {it.separatorBefore ? <div className="menu-sep" role="separator" /> : null}
        <div
          role="menuitem"
          aria-disabled={it.disabled || undefined}
          aria-haspopup={it.items ? 'menu' : undefined}
          aria-expanded={it.items ? sub === i : undefined}
          className={`menu-item${i === cur ? ' active' : ''}${it.disabled ? ' disabled' : ''}`}
          onPointerEnter={() => {
            if (isSub) setSubActive(i);
            else {
              setActive(i);
              setSub(it.items ? i : null);
              setSubActive(0);
            }
          }}
          onClick={() => (it.items ? setSub(i) : choose(it))}
        >
          <span>{it.label}</span>
          {it.items ? <span aria-hidden="true">▸</span> : null}
        </div>
        {!isSub && sub === i && it.items ? (
          <div className="menu submenu" role="menu" aria-label={it.label}>
            {render(it.items, subActive, true)}
          </div>
        ) : null}
      </div>
    ));

  return (
    <div ref={ref} className="menu" role="menu" aria-label={label} tabIndex={-1} style={{ left: pos.x, top: pos.y }} onKeyDown={key}>
      {render(items, active, false)}
    </div>
  );
}
