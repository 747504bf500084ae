/**
 * The app's one store, bound to the real worker pool, fetch and localStorage, and the React hook over it.
 */
import { useStore } from 'zustand';
import { EnginePool } from '../engine-client/pool';
import { createAppStore, type AppState } from './app-store';
import { loadPreferences } from './preferences';

const storage = typeof localStorage !== 'undefined' ? localStorage : undefined;
const prefersDark = typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches;

export const appStore = createAppStore({
  createEngine: () => new EnginePool(),
  baseUrl: () => location.href,
  storage,
  preferences: loadPreferences(storage, prefersDark),
});

export function useApp<T>(select: (s: AppState) => T): T {
  return useStore(appStore, select);
}

export type { AppState, SelectedItem, CaptureOrigin, LoadStatus, ViewName, DialogName } from './app-store';
export { VIEWS } from './app-store';
export type { TimeFormat, Theme } from './preferences';
export { parseLink, buildHash, checkCaptureUrl, type LinkState } from './url-state';
export { isSuperseded } from '../engine-client/channel';
export { COLORING_RULES, SEVERITY_NAMES } from '../engine-client/types';
export type { RowData, FrameDetail, DetailNode, FieldCatalogEntry, FilterCheck, FilterErrorInfo, SortColumn, CaptureInfo } from '../engine-client/types';
