/** Presenter of the status bar: load progress, the selected field, and "Packets: N · Displayed: M (x%)". */
import { appStore, useApp } from '../../store';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

export function countsText(packets: number, displayed: number, partial: boolean): string {
  if (partial) return `Packets: ${packets.toLocaleString('en-US')} so far`;
  const pct = packets ? (displayed / packets) * 100 : 0;
  const p = pct === 100 || pct === 0 ? pct.toFixed(0) : pct < 0.1 ? pct.toFixed(2) : pct.toFixed(1);
  return `Packets: ${packets.toLocaleString('en-US')} · Displayed: ${displayed.toLocaleString('en-US')} (${p}%)`;
}

/** How far a load got, 0..1, or null when unknown. */
export function progressFraction(p: { phase: string; bytes: number; total: number; frames: number; totalFrames?: number }): number | null {
  if (p.phase === 'dissecting') return p.totalFrames ? p.frames / p.totalFrames : null;
  return p.total ? p.bytes / p.total : null;
}

export function progressText(p: { phase: string; bytes: number; total: number; frames: number; totalFrames?: number }): string {
  if (p.phase === 'download') return `Downloading ${formatBytes(p.bytes)}${p.total ? ` of ${formatBytes(p.total)}` : ''}`;
  if (p.phase === 'reading') return `Reading ${formatBytes(p.bytes)} of ${formatBytes(p.total)} · ${p.frames.toLocaleString('en-US')} frames`;
  return `Dissecting ${p.frames.toLocaleString('en-US')}${p.totalFrames ? ` of ${p.totalFrames.toLocaleString('en-US')}` : ''} frames`;
}

export function useStatusBar() {
  const status = useApp((s) => s.status);
  const progress = useApp((s) => s.progress);
  const frameCount = useApp((s) => s.frameCount);
  const displayedCount = useApp((s) => s.displayedCount);
  const partial = useApp((s) => s.partial);
  const item = useApp((s) => s.selectedItem);
  const warnings = useApp((s) => s.warnings);
  const origin = useApp((s) => s.origin);
  const filtering = useApp((s) => s.filterRun.status === 'running');

  const loading = (status === 'loading' || status === 'fetching') && progress !== null;
  const itemText = item
    ? [item.name !== item.field ? `${item.name} (${item.field})` : item.field, item.type, item.value !== undefined && item.value !== '' ? item.value : null, item.length > 0 ? `${item.length} byte${item.length === 1 ? '' : 's'} at ${item.offset}` : null]
        .filter(Boolean)
        .join(' · ')
    : null;
  return {
    loading,
    progressText: progress ? progressText(progress) : '',
    fraction: progress ? progressFraction(progress) : null,
    cancel: () => appStore.getState().cancelLoad(),
    itemText,
    name: origin?.name ?? '',
    warnings: warnings.length,
    showWarnings: () => appStore.getState().setView('properties'),
    counts: status === 'ready' || partial ? countsText(frameCount, partial ? frameCount : displayedCount, partial) : '',
    filtering,
  };
}
