/** The keyboard shortcuts, one table for the handler and the help dialog. */
export interface Shortcut {
  keys: string;
  action: string;
}

export const SHORTCUTS: readonly { group: string; items: Shortcut[] }[] = [
  {
    group: 'Everywhere',
    items: [
      { keys: 'Ctrl-/', action: 'Focus the display filter' },
      { keys: 'Ctrl-O', action: 'Open a capture file' },
      { keys: 'Ctrl-G', action: 'Go to a frame by number' },
      { keys: 'Ctrl-↓ / Ctrl-↑', action: 'Next / previous frame' },
      { keys: '?', action: 'This help' },
    ],
  },
  {
    group: 'Display filter',
    items: [
      { keys: 'Enter', action: 'Apply the filter (or accept the chosen completion)' },
      { keys: 'Esc', action: 'Close the completions, or clear the filter' },
      { keys: 'Tab', action: 'Accept the completion' },
      { keys: '↓ (empty list)', action: 'Recent filters' },
    ],
  },
  {
    group: 'Packet list',
    items: [
      { keys: '↑ ↓', action: 'Previous / next frame' },
      { keys: 'Page Up / Page Down', action: 'A page up / down' },
      { keys: 'Home / End', action: 'First / last frame' },
    ],
  },
  {
    group: 'Detail tree',
    items: [
      { keys: '→ / ←', action: 'Expand / collapse (or go to parent)' },
      { keys: 'Enter, Space', action: 'Toggle the item' },
      { keys: '*', action: 'Expand the item and everything below' },
      { keys: 'Shift-F10, Menu key', action: 'Field actions (apply as filter, copy …)' },
    ],
  },
];

export type ShortcutAction = 'focus-filter' | 'open-file' | 'go-to' | 'next-frame' | 'prev-frame' | 'help' | null;

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.isContentEditable;
}

/** Which global action a key press means (pure: testable without a DOM). */
export function shortcutFor(e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; target: EventTarget | null }): ShortcutAction {
  const mod = e.ctrlKey || e.metaKey;
  if (mod && e.key === '/') return 'focus-filter';
  if (mod && (e.key === 'o' || e.key === 'O')) return 'open-file';
  if (mod && (e.key === 'g' || e.key === 'G')) return 'go-to';
  if (mod && e.key === 'ArrowDown') return 'next-frame';
  if (mod && e.key === 'ArrowUp') return 'prev-frame';
  if (!mod && !e.altKey && (e.key === '?' || e.key === 'F1') && !typing(e.target)) return 'help';
  return null;
}
