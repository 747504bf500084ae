/**
 * Presenters of loading: drop anywhere on the page, the file picker, "Open URL", the sample picker, and the
 * first load from the page's link (or the default sample).
 */
import { useEffect, useRef, useState } from 'react';
import { appStore, parseLink, useApp } from '../../store';
import { DEFAULT_SAMPLE, parseSamples, sampleUrl, SAMPLES_INDEX, type Sample } from './samples';

export const FILE_INPUT_ID = 'file-input';

export function openFilePicker(): void {
  document.getElementById(FILE_INPUT_ID)?.click();
}

/** Is the URL one of the bundled samples (so it opens as a sample)? */
export function isSampleUrl(url: string): boolean {
  return /^(\.\/)?samples\/[\w.\-]+$/.test(url);
}

export function useInitialLoad(): void {
  const done = useRef(false);
  useEffect(() => {
    if (done.current) return;
    done.current = true;
    const link = parseLink(location.hash, location.search);
    const st = appStore.getState();
    st.restoreLink(link);
    const url = link.url ?? DEFAULT_SAMPLE;
    void st.openUrl(url, isSampleUrl(url) ? 'sample' : 'url');
  }, []);
}

export function useDropTarget() {
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => !!e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      setDragging(true);
    };
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const file = e.dataTransfer?.files[0];
      if (file) void appStore.getState().openFile(file);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);
  return dragging;
}

export function useSamples() {
  const open = useApp((s) => s.dialog === 'samples');
  const [samples, setSamples] = useState<Sample[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!open || samples) return;
    let live = true;
    fetch(SAMPLES_INDEX)
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then(
        (j) => live && setSamples(parseSamples(j)),
        (e) => live && setError(`The sample list could not be read (${(e as Error).message}).`),
      );
    return () => {
      live = false;
    };
  }, [open, samples]);
  return {
    open,
    samples,
    error,
    close: () => appStore.getState().setDialog(null),
    choose: (s: Sample) => {
      const st = appStore.getState();
      st.setDialog(null);
      void st.openUrl(sampleUrl(s.file), 'sample');
    },
  };
}

export function useOpenUrl() {
  const open = useApp((s) => s.dialog === 'url');
  const [text, setText] = useState('');
  return {
    open,
    text,
    setText,
    close: () => appStore.getState().setDialog(null),
    submit: () => {
      const st = appStore.getState();
      st.setDialog(null);
      void st.openUrl(text, isSampleUrl(text.trim()) ? 'sample' : 'url');
    },
  };
}

export function useLoadPanel() {
  const status = useApp((s) => s.status);
  const error = useApp((s) => s.error);
  const progress = useApp((s) => s.progress);
  const origin = useApp((s) => s.origin);
  const partial = useApp((s) => s.partial);
  return {
    status,
    error,
    progress,
    name: origin?.name ?? '',
    /** Whether the panel covers the panes (no rows to show yet, or nothing open). */
    visible: status === 'idle' || status === 'error' || ((status === 'fetching' || status === 'loading') && !partial),
    cancel: () => appStore.getState().cancelLoad(),
    openSamples: () => appStore.getState().setDialog('samples'),
    openUrlDialog: () => appStore.getState().setDialog('url'),
  };
}

export function onFileChosen(files: FileList | null): void {
  const f = files?.[0];
  if (f) void appStore.getState().openFile(f);
}
