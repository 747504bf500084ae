/**
 * The selected frame's detail (tree and bytes), fetched when the selection changes; a newer selection
 * supersedes a pending request. Shared by the detail tree and the hex pane (the store holds no trees).
 */
import { startTransition, useEffect, useState } from 'react';
import { appStore, isSuperseded, useApp, type FrameDetail } from '../../store';

export interface FrameDetailState {
  detail: FrameDetail | null;
  loading: boolean;
  error: string | null;
}

export function useFrameDetail(): FrameDetailState {
  const frame = useApp((s) => s.selectedFrame);
  const generation = useApp((s) => s.generation);
  const [state, setState] = useState<FrameDetailState>({ detail: null, loading: false, error: null });
  useEffect(() => {
    if (frame === null) {
      setState({ detail: null, loading: false, error: null });
      return;
    }
    let live = true;
    // Keep showing the previous frame until the new one arrives (no flash of an empty pane).
    setState((s) => ({ detail: s.detail, loading: true, error: null }));
    appStore
      .getState()
      .requestDetail(frame)
      .then(
        // A transition: React renders the new tree and bytes in slices between other work (keys held
        // down, scrolling) instead of in one long main-thread task.
        (detail) => {
          if (live) startTransition(() => setState({ detail, loading: false, error: null }));
        },
        (e) => {
          if (!live || isSuperseded(e)) return;
          setState({ detail: null, loading: false, error: (e as Error).message });
        },
      );
    return () => {
      live = false;
    };
  }, [frame, generation]);
  return state;
}
