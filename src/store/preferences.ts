/** View preferences that outlive a page load (localStorage), read defensively: storage may hold anything. */
export type TimeFormat = 'relative' | 'delta-displayed' | 'absolute' | 'utc';
export type Theme = 'light' | 'dark';

export interface Preferences {
  theme: Theme;
  timeFormat: TimeFormat;
  coloring: boolean;
  /** Fractions: the packet list's share of the height, the detail tree's share of the bottom row. */
  panes: { list: number; detail: number };
  columnWidths: Record<string, number>;
  recentFilters: string[];
}

export const DEFAULT_PREFERENCES: Preferences = {
  theme: 'light',
  timeFormat: 'relative',
  coloring: true,
  panes: { list: 0.5, detail: 0.5 },
  columnWidths: {},
  recentFilters: [],
};

const KEY = 'fathom.preferences';
const TIME_FORMATS: TimeFormat[] = ['relative', 'delta-displayed', 'absolute', 'utc'];

export function loadPreferences(storage: Pick<Storage, 'getItem'> | undefined, prefersDark = false): Preferences {
  const base: Preferences = { ...DEFAULT_PREFERENCES, theme: prefersDark ? 'dark' : 'light' };
  let raw: unknown;
  try {
    raw = JSON.parse(storage?.getItem(KEY) ?? 'null');
  } catch {
    return base;
  }
  if (!raw || typeof raw !== 'object') return base;
  const r = raw as Record<string, unknown>;
  const frac = (v: unknown, d: number) => (typeof v === 'number' && v >= 0.1 && v <= 0.9 ? v : d);
  const panes = (r.panes ?? {}) as Record<string, unknown>;
  const widths: Record<string, number> = {};
  if (r.columnWidths && typeof r.columnWidths === 'object') {
    for (const [k, v] of Object.entries(r.columnWidths)) if (typeof v === 'number' && v >= 24 && v <= 4000) widths[k] = v;
  }
  return {
    theme: r.theme === 'dark' || r.theme === 'light' ? r.theme : base.theme,
    timeFormat: TIME_FORMATS.includes(r.timeFormat as TimeFormat) ? (r.timeFormat as TimeFormat) : base.timeFormat,
    coloring: typeof r.coloring === 'boolean' ? r.coloring : base.coloring,
    panes: { list: frac(panes.list, base.panes.list), detail: frac(panes.detail, base.panes.detail) },
    columnWidths: widths,
    recentFilters: Array.isArray(r.recentFilters) ? r.recentFilters.filter((s): s is string => typeof s === 'string').slice(0, 20) : [],
  };
}

export function savePreferences(storage: Pick<Storage, 'setItem'> | undefined, p: Preferences): void {
  try {
    storage?.setItem(KEY, JSON.stringify(p));
  } catch {
    // Private mode or a full quota: preferences simply do not persist.
  }
}

/** Puts a filter first in the recent list (no duplicates, at most 20). */
export function rememberFilter(list: readonly string[], text: string): string[] {
  const t = text.trim();
  if (!t) return [...list];
  return [t, ...list.filter((x) => x !== t)].slice(0, 20);
}
