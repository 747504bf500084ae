/** The global keyboard handler. */
import { useEffect } from 'react';
import { appStore, useApp } from '../../store';
import { focusFilterInput } from '../detail-tree/use-detail-tree';
import { openFilePicker } from '../loader/use-loader';
import { shortcutFor } from './shortcuts';

function step(d: number): void {
  const st = appStore.getState();
  const count = st.displayed ? st.displayed.length : st.frameCount;
  if (!count) return;
  const at = st.selectedFrame === null ? -1 : st.indexOfFrame(st.selectedFrame);
  const next = Math.max(0, Math.min(count - 1, at < 0 ? 0 : at + d));
  st.selectFrame(st.frameAt(next));
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = shortcutFor(e);
      if (!action) return;
      const st = appStore.getState();
      if (st.dialog && action !== 'help') return;
      e.preventDefault();
      switch (action) {
        case 'focus-filter':
          focusFilterInput();
          break;
        case 'open-file':
          openFilePicker();
          break;
        case 'go-to':
          if (st.frameCount) st.setDialog('goto');
          break;
        case 'next-frame':
          step(1);
          break;
        case 'prev-frame':
          step(-1);
          break;
        case 'help':
          st.setDialog(st.dialog === 'help' ? null : 'help');
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function useHelpDialog() {
  const open = useApp((s) => s.dialog === 'help');
  return { open, close: () => appStore.getState().setDialog(null) };
}
