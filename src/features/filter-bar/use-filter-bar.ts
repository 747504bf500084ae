/**
 * Presenter of the display-filter bar: validity while typing (green/red/yellow, the error's span, message
 * and hint), completion, recent filters, Enter to apply and Esc to clear.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { appStore, useApp, type FilterCheck, type FilterErrorInfo } from '../../store';
import { acceptCompletion, completionsFor, type CatalogEntry } from './completion';
import type { Completion } from '../../widgets/completion-list/CompletionList';

export type Validity = 'empty' | 'checking' | 'valid' | 'warning' | 'invalid';

export function validityOf(text: string, check: FilterCheck | null): Validity {
  if (!text.trim()) return 'empty';
  if (!check) return 'checking';
  if (!check.valid) return 'invalid';
  return check.warnings.length ? 'warning' : 'valid';
}

export function useFilterBar() {
  const text = useApp((s) => s.filterText);
  const applied = useApp((s) => s.appliedFilter);
  const recent = useApp((s) => s.recentFilters);
  const run = useApp((s) => s.filterRun);
  const frameCount = useApp((s) => s.frameCount);
  const status = useApp((s) => s.status);
  const generation = useApp((s) => s.generation);
  const [check, setCheck] = useState<{ text: string; result: FilterCheck } | null>(null);
  const [caret, setCaret] = useState(0);
  const [listOpen, setListOpen] = useState(false);
  const [recentOpen, setRecentOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [scroll, setScroll] = useState(0);
  const [catalog, setCatalog] = useState<CatalogEntry[]>([]);
  const [words, setWords] = useState<{ word: string; description: string }[]>([]);
  const input = useRef<HTMLInputElement>(null);

  // The vocabulary for completion, once a capture's engine is up.
  useEffect(() => {
    if (status !== 'loading' && status !== 'ready') return;
    let live = true;
    const st = appStore.getState();
    st.fieldCatalog().then((c) => live && setCatalog(c), () => undefined);
    st.filterWords().then((w) => live && setWords(w), () => undefined);
    return () => {
      live = false;
    };
  }, [status, generation]);

  // Check the filter as it is typed (debounced; the newest check wins).
  useEffect(() => {
    if (!text.trim()) {
      setCheck(null);
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      appStore
        .getState()
        .checkFilter(text)
        .then((result) => {
          if (live && result) setCheck({ text, result });
        }, () => undefined);
    }, 90);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [text, generation]);

  const current = check && check.text === text ? check.result : null;
  const validity = validityOf(text, current);
  const error: FilterErrorInfo | null = current && !current.valid ? current.error : null;
  const warnings = current && current.valid ? current.warnings : [];

  const completion = useMemo(() => completionsFor(text, caret, catalog, words), [text, caret, catalog, words]);
  const showList = listOpen && completion.items.length > 0;
  const recentItems: Completion[] = recent.map((r) => ({ value: r }));

  const setText = (value: string, at: number) => {
    appStore.getState().setFilterText(value);
    setCaret(at);
    setListOpen(true);
    setActive(-1);
  };

  const apply = (value = text) => {
    setListOpen(false);
    setRecentOpen(false);
    void appStore.getState().applyFilter(value);
  };

  const accept = (item: Completion) => {
    const r = acceptCompletion(text, completion.start, completion.end, item.value);
    appStore.getState().setFilterText(r.text);
    setCaret(r.caret);
    setActive(-1);
    setListOpen(false);
    requestAnimationFrame(() => {
      input.current?.focus();
      input.current?.setSelectionRange(r.caret, r.caret);
    });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const list = recentOpen ? recentItems : showList ? completion.items : null;
    if (list && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      const n = list.length;
      setActive((a) => (e.key === 'ArrowDown' ? (a + 1) % n : (a - 1 + n) % n));
      return;
    }
    if (!list && e.key === 'ArrowDown' && recent.length) {
      e.preventDefault();
      setRecentOpen(true);
      setActive(0);
      return;
    }
    if (e.key === 'Enter') {
      e.preventDefault();
      if (recentOpen && active >= 0) {
        const v = recentItems[active].value;
        appStore.getState().setFilterText(v);
        apply(v);
      } else if (showList && active >= 0) accept(completion.items[active]);
      else apply();
      return;
    }
    if (e.key === 'Tab' && showList && !e.shiftKey) {
      e.preventDefault();
      accept(completion.items[Math.max(0, active)]);
      return;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      if (showList || recentOpen) {
        setListOpen(false);
        setRecentOpen(false);
      } else {
        void appStore.getState().clearFilter();
      }
    }
  };

  const dirty = text.trim() !== applied;
  const running = run.status === 'running' ? Math.round((run.done / Math.max(1, frameCount)) * 100) : null;
  const message = error
    ? { kind: 'error' as const, text: error.message, hint: error.hint }
    : warnings.length
      ? { kind: 'warning' as const, text: warnings.join('; '), hint: undefined }
      : run.status === 'error'
        ? { kind: 'error' as const, text: run.message, hint: undefined }
        : null;

  return {
    input,
    text,
    validity,
    error,
    message,
    dirty,
    running,
    scroll,
    setScroll,
    onChange: (value: string, at: number) => setText(value, at),
    onCaret: (at: number) => setCaret(at),
    onKeyDown,
    onBlur: () => {
      setListOpen(false);
      setRecentOpen(false);
    },
    apply: () => apply(),
    clear: () => void appStore.getState().clearFilter(),
    completions: showList ? completion.items : [],
    recentOpen,
    recentItems,
    toggleRecent: () => {
      setRecentOpen((o) => !o);
      setActive(-1);
      input.current?.focus();
    },
    pickRecent: (item: Completion) => {
      appStore.getState().setFilterText(item.value);
      apply(item.value);
    },
    active,
    setActive,
    accept,
  };
}
