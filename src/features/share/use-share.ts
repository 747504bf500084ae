/**
 * Sharing: the URL hash follows the capture URL, applied filter, selected frame and open view (replaceState,
 * so history is not flooded), "Copy link" puts the link on the clipboard, and a changed hash (a pasted
 * link, Back) is restored.
 */
import { useEffect } from 'react';
import { appStore, buildHash, parseLink, type AppState, type LinkState } from '../../store';

export function linkStateOf(s: Pick<AppState, 'origin' | 'appliedFilter' | 'selectedFrame' | 'view'>): LinkState {
  return {
    url: s.origin && s.origin.kind !== 'file' ? s.origin.url : undefined,
    filter: s.appliedFilter || undefined,
    frame: s.selectedFrame ?? undefined,
    view: s.view,
  };
}

/** The shareable address of the current state. */
export function shareLink(s: Pick<AppState, 'origin' | 'appliedFilter' | 'selectedFrame' | 'view'>, base: string): string {
  const u = new URL(base);
  u.search = '';
  u.hash = buildHash(linkStateOf(s));
  return u.href;
}

/** The shortest time between two address updates (ms). */
const HASH_INTERVAL = 250;

export function useHashSync(): void {
  useEffect(() => {
    let written = location.hash;
    let lastWrite = -Infinity;
    const write = () => {
      timer = null;
      const s = appStore.getState();
      if (s.status === 'fetching' || (s.status === 'loading' && !s.partial)) return;
      const hash = buildHash(linkStateOf(s));
      if (hash === written) return;
      written = hash;
      lastWrite = performance.now();
      // Drop ?url= once the hash carries it, so the address shows one source of truth.
      history.replaceState(history.state, '', location.pathname + hash);
    };
    // Written in a task of its own, and at most every HASH_INTERVAL ms: replaceState costs milliseconds, the
    // change that calls for it (the first rows, a selection) is busy rendering, and a key held down (Page
    // Down through the list) selects a frame every few frames. The newest state is always written.
    let timer: ReturnType<typeof setTimeout> | null = null;
    const unsub = appStore.subscribe((s, prev) => {
      if (timer !== null) return;
      if (s.origin === prev.origin && s.appliedFilter === prev.appliedFilter && s.selectedFrame === prev.selectedFrame && s.view === prev.view && s.status === prev.status && s.partial === prev.partial) return;
      timer = setTimeout(write, Math.max(0, lastWrite + HASH_INTERVAL - performance.now()));
    });
    const onHash = () => {
      if (location.hash === written) return;
      written = location.hash;
      const link = parseLink(location.hash);
      const st = appStore.getState();
      const sameCapture = link.url !== undefined && st.origin?.url === link.url;
      st.restoreLink(link);
      if (link.url && !sameCapture) void st.openUrl(link.url, /^(\.\/)?samples\//.test(link.url) ? 'sample' : 'url');
      else {
        if ((link.filter ?? '') !== st.appliedFilter) void st.applyFilter(link.filter ?? '');
        if (link.frame && link.frame <= st.frameCount) st.selectFrame(link.frame);
      }
    };
    window.addEventListener('hashchange', onHash);
    return () => {
      unsub();
      if (timer !== null) clearTimeout(timer);
      window.removeEventListener('hashchange', onHash);
    };
  }, []);
}

export async function copyLink(): Promise<void> {
  const s = appStore.getState();
  const link = shareLink(s, location.href);
  try {
    await navigator.clipboard.writeText(link);
    s.notify(s.origin?.kind === 'file' ? 'Link copied — it holds the filter and frame, but not your local file' : 'Link copied to the clipboard');
  } catch {
    s.notify(`Copy this link: ${link}`);
  }
}
