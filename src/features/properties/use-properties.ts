/** Presenter of the capture properties view (Wireshark's Capture File Properties): facts and warnings. */
import { appStore, useApp, type CaptureInfo } from '../../store';
import { formatBytes } from '../status-bar/use-status-bar';

export function propertyRows(info: CaptureInfo): [string, string][] {
  const t = (x: number | null) => (x === null ? '—' : new Date(x * 1000).toISOString().replace('T', ' ').replace('Z', ' UTC'));
  const duration = info.firstTime !== null && info.lastTime !== null ? `${(info.lastTime - info.firstTime).toFixed(6)} s` : '—';
  return [
    ['Name', info.name],
    ['Format', `${info.format}${info.compressed ? ' (gzip-compressed)' : ''}`],
    ['File size', `${formatBytes(info.fileBytes)} (${info.fileBytes.toLocaleString('en-US')} bytes)`],
    ['Link types', info.linkTypes.map((l) => `${l.name} (${l.linkType})`).join(', ') || '—'],
    ['Packets', info.packets.toLocaleString('en-US')],
    ['Captured bytes', info.dataBytes.toLocaleString('en-US')],
    ['First packet', t(info.firstTime)],
    ['Last packet', t(info.lastTime)],
    ['Elapsed', duration],
  ];
}

export function useProperties() {
  const info = useApp((s) => s.info);
  const warnings = useApp((s) => s.warnings);
  return {
    rows: info ? propertyRows(info) : [],
    warnings,
    close: () => appStore.getState().setView('packets'),
  };
}
