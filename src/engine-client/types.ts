/**
 * What the app asks of the engine, on the main thread. The pool implements it over workers; tests use fakes.
 */
import type {
  CaptureInfo,
  FieldCatalogEntry,
  FilterCheck,
  FrameDetail,
  LoadProgress,
  OpenResult,
  RowData,
  SortColumn,
} from '../core/engine-api';

export type { CaptureInfo, FieldCatalogEntry, FilterCheck, FrameDetail, LoadProgress, OpenResult, RowData, SortColumn };
export type { DetailNode, DataSource, FilterErrorInfo, ColoringRule } from '../core/engine-api';
export { COLORING_RULES, SEVERITY_NAMES } from '../core/coloring-rules';

export type OpenEvent =
  | { kind: 'progress'; progress: LoadProgress }
  /** The first slice is open: its rows can be shown while the rest loads. */
  | { kind: 'preview'; result: OpenResult };

export interface EngineClient {
  /** Opens a capture: a preview first for big files, then the whole. Rejects with name 'CaptureError' for bad input. */
  open(blob: Blob, name: string, onEvent: (e: OpenEvent) => void): Promise<OpenResult>;
  cancelOpen(): void;
  rows(frames: Uint32Array, coloring: boolean): Promise<RowData[]>;
  /** The newest call wins; older ones reject with SupersededError. */
  detail(frame: number): Promise<FrameDetail>;
  checkFilter(text: string): Promise<FilterCheck>;
  /** The frames that pass, ascending; the newest run wins. */
  filter(text: string, frames: number, onProgress?: (done: number) => void, referenceFrame?: number): Promise<Uint32Array>;
  sortOrder(column: SortColumn, frames: Uint32Array | null, descending: boolean): Promise<Uint32Array>;
  fieldCatalog(): Promise<FieldCatalogEntry[]>;
  filterWords(): Promise<{ word: string; description: string }[]>;
  info(): Promise<CaptureInfo | null>;
  /** Terminates the workers: every byte of the capture they held is released. */
  dispose(): void;
}
