import { describe, expect, it } from 'vitest';
import { formatDateTime, formatSeconds, nextIndex, timeCell } from '../../src/features/packet-list/columns';
import { cellsOf } from '../../src/features/packet-list/use-packet-list';
import { RowCache } from '../../src/features/packet-list/row-cache';
import { combineFilter, deepestAt, describe as describeItem, nodeAt, toTreeItems } from '../../src/features/detail-tree/tree-model';
import { menuFor } from '../../src/features/detail-tree/use-detail-tree';
import { highlightOf } from '../../src/features/hex-pane/use-hex-pane';
import { acceptCompletion, completionsFor, wordAt } from '../../src/features/filter-bar/completion';
import { validityOf } from '../../src/features/filter-bar/use-filter-bar';
import { countsText, formatBytes, progressFraction, progressText } from '../../src/features/status-bar/use-status-bar';
import { shortcutFor } from '../../src/features/shortcuts/shortcuts';
import { parseSamples, sampleUrl } from '../../src/features/loader/samples';
import { isSampleUrl } from '../../src/features/loader/use-loader';
import { linkStateOf, shareLink } from '../../src/features/share/use-share';
import { propertyRows } from '../../src/features/properties/use-properties';
import type { DetailNode, FrameDetail, RowData } from '../../src/store';

const row = (n: number, secs: number, nsecs: number, extra: Partial<RowData> = {}): RowData => ({
  number: n,
  time: '',
  source: '10.0.0.1',
  destination: '10.0.0.2',
  protocol: 'UDP',
  length: 60,
  info: '<b>not markup</b>',
  tsSecs: secs,
  tsNsecs: nsecs,
  color: -1,
  severity: 0,
  comment: false,
  ...extra,
});

describe('packet list', () => {
  it('formats the time column four ways', () => {
    const first = { secs: 1700000000, nsecs: 500_000_000 };
    const r = row(2, 1700000001, 250_000);
    expect(timeCell(r, 'relative', first, null)).toBe('0.500250');
    expect(timeCell(r, 'delta-displayed', first, row(1, 1700000000, 900_000_000))).toBe('0.100250');
    expect(timeCell(r, 'delta-displayed', first, null)).toBe('0.000000');
    expect(timeCell(r, 'delta-displayed', first, undefined)).toBe('…');
    expect(timeCell(r, 'utc', first, null)).toBe('2023-11-14 22:13:21.000250');
    expect(formatDateTime(0, 0, true)).toBe('1970-01-01 00:00:00.000000');
    expect(formatSeconds(1, 0, 2, 500_000_000)).toBe('-1.500000');
  });
  it('moves with the keyboard', () => {
    expect(nextIndex('ArrowDown', -1, 10, 5)).toBe(0);
    expect(nextIndex('ArrowDown', 9, 10, 5)).toBe(9);
    expect(nextIndex('ArrowUp', 0, 10, 5)).toBe(0);
    expect(nextIndex('PageDown', 2, 10, 5)).toBe(7);
    expect(nextIndex('PageUp', 2, 10, 5)).toBe(0);
    expect(nextIndex('End', 2, 10, 5)).toBe(9);
    expect(nextIndex('Home', 2, 10, 5)).toBe(0);
    expect(nextIndex('x', 2, 10, 5)).toBeNull();
    expect(nextIndex('ArrowDown', -1, 0, 5)).toBeNull();
  });
  it('builds cells as plain text, with the marker for experts and comments', () => {
    const cells = cellsOf(row(7, 0, 0, { severity: 4, comment: true }), 7, '0.1');
    expect(cells.map((c) => c.text)).toEqual(['✎', '7', '0.1', '10.0.0.1', '10.0.0.2', 'UDP', '60', '<b>not markup</b>']);
    expect(cells[0].title).toBe('Expert: Warning; Has a comment');
    expect(cellsOf(undefined, 9, '').map((c) => c.text)[1]).toBe('9');
  });
  it('caches a bounded number of rows', () => {
    const c = new RowCache(3);
    for (let n = 1; n <= 5; n++) c.put(row(n, 0, 0));
    expect(c.size).toBe(3);
    expect(c.has(1)).toBe(false);
    expect(c.missing([3, 4, 5, 6])).toEqual([6]);
  });
});

const node = (field: string, offset: number, length: number, children?: DetailNode[], extra: Partial<DetailNode> = {}): DetailNode => ({
  field,
  label: `${field} label`,
  offset,
  length,
  source: 0,
  filter: field,
  children,
  ...extra,
});

const detail: FrameDetail = {
  frame: 1,
  sources: [{ name: 'Frame', bytes: new Uint8Array(64) }],
  fields: { 'ip.src': { name: 'Source Address', type: 'IPv4 address' } },
  tree: [
    node('frame', 0, 64, [node('frame.len', 0, 0)]),
    node('eth', 0, 14, [node('eth.dst', 0, 6), node('eth.src', 6, 6)]),
    node('ip', 14, 20, [node('ip.flags', 20, 1, [node('ip.flags.df', 20, 1)]), node('ip.addr', 26, 4, undefined, { hidden: true }), node('ip.src', 26, 4, undefined, { value: '10.0.0.1', filter: 'ip.src == 10.0.0.1' })]),
  ],
};

describe('detail tree and hex pane', () => {
  it('finds the deepest visible item covering a byte', () => {
    expect(deepestAt(detail.tree, 0, 8)).toBe('1.1');
    expect(deepestAt(detail.tree, 0, 20)).toBe('2.0.0');
    expect(deepestAt(detail.tree, 0, 27)).toBe('2.2');
    expect(deepestAt(detail.tree, 0, 40)).toBe('0');
    expect(deepestAt(detail.tree, 1, 8)).toBeNull();
  });
  it('hides hidden items but keeps paths stable', () => {
    const items = toTreeItems(detail.tree);
    expect(items[2].children!.map((i) => i.id)).toEqual(['2.0', '2.2']);
    expect(nodeAt(detail.tree, '2.2')?.field).toBe('ip.src');
  });
  it('describes the selected item for the status bar and the hex highlight', () => {
    const d = describeItem(detail, '2.2')!;
    expect(d).toMatchObject({ field: 'ip.src', name: 'Source Address', type: 'IPv4 address', value: '10.0.0.1', offset: 26, length: 4 });
    expect(highlightOf(d, 0)).toEqual({ start: 26, end: 30 });
    expect(highlightOf(d, 1)).toBeNull();
    expect(highlightOf({ ...d, length: 0 }, 0)).toBeNull();
  });
  it('combines filters as Wireshark does', () => {
    expect(combineFilter('', 'tcp', 'and')).toBe('tcp');
    expect(combineFilter('udp', 'tcp', 'selected')).toBe('tcp');
    expect(combineFilter('udp', 'tcp', 'not')).toBe('!(tcp)');
    expect(combineFilter('udp', 'tcp', 'and')).toBe('(udp) && (tcp)');
    expect(combineFilter('udp', 'tcp', 'or')).toBe('(udp) || (tcp)');
    expect(combineFilter('udp', 'tcp', 'and-not')).toBe('(udp) && !(tcp)');
    expect(combineFilter('udp', 'tcp', 'or-not')).toBe('(udp) || !(tcp)');
    expect(combineFilter(' ', 'tcp', 'or-not')).toBe('!(tcp)');
  });
  it('offers the context menu actions', () => {
    const done: string[] = [];
    const menu = menuFor(detail, '2.2', { apply: (f) => done.push(`apply ${f}`), prepare: (f) => done.push(`prepare ${f}`), copy: (t) => done.push(`copy ${t}`), expand: () => undefined }, 'udp');
    expect(menu.map((m) => m.label)).toEqual(['Apply as Filter', 'Prepare as Filter', 'Copy Value', 'Copy as Filter', 'Copy Description', 'Expand Subtrees', 'Collapse Subtrees']);
    menu[0].items!.find((i) => i.label === '…and Selected')!.onSelect!();
    menu[1].items!.find((i) => i.label === 'Not Selected')!.onSelect!();
    menu[2].onSelect!();
    menu[3].onSelect!();
    expect(done).toEqual(['apply (udp) && (ip.src == 10.0.0.1)', 'prepare !(ip.src == 10.0.0.1)', 'copy 10.0.0.1', 'copy ip.src == 10.0.0.1']);
    expect(menu[5].disabled).toBe(true);
  });
});

describe('filter bar', () => {
  const catalog = [
    { id: 'tcp', name: 'Transmission Control Protocol', type: 'protocol' },
    { id: 'tcp.port', name: 'Port', type: 'uint16' },
    { id: 'tcp.flags', name: 'Flags', type: 'uint16' },
    { id: 'tcp.flags.syn', name: 'Syn', type: 'boolean' },
    { id: 'tls', name: 'Transport Layer Security', type: 'protocol' },
    { id: 'ip.src', name: 'Source Address', type: 'ipv4' },
  ];
  it('finds the word at the caret', () => {
    expect(wordAt('ip.src == 1 && tc', 17)).toEqual({ start: 15, end: 17, word: 'tc' });
    expect(wordAt('tcp.po == 1', 4)).toEqual({ start: 0, end: 6, word: 'tcp.' });
  });
  it('completes protocols first, then fields one level down', () => {
    expect(completionsFor('t', 1, catalog).items.map((c) => c.value)).toEqual(['tcp', 'tls', 'tcp.port', 'tcp.flags']);
    expect(completionsFor('tcp.f', 5, catalog).items.map((c) => c.value)).toEqual(['tcp.flags', 'tcp.flags.syn']);
    expect(completionsFor('ip.src == "t', 12, catalog).items).toEqual([]);
    expect(completionsFor('frame.len > 1', 13, catalog).items).toEqual([]);
    expect(completionsFor('tcp', 3, [catalog[0]]).items).toEqual([]);
    expect(completionsFor('con', 3, [], [{ word: 'contains', description: 'contains' }]).items[0].value).toBe('contains');
  });
  it('accepts a completion in place', () => {
    expect(acceptCompletion('ip.src == 1 && tc', 15, 17, 'tcp.port')).toEqual({ text: 'ip.src == 1 && tcp.port', caret: 23 });
  });
  it('colours validity', () => {
    expect(validityOf('', null)).toBe('empty');
    expect(validityOf('tcp', null)).toBe('checking');
    expect(validityOf('tcp', { valid: true, empty: false, warnings: [], fields: [] })).toBe('valid');
    expect(validityOf('tcp', { valid: true, empty: false, warnings: ['deprecated'], fields: [] })).toBe('warning');
    expect(validityOf('x', { valid: false, error: { start: 0, end: 1, message: 'm' } })).toBe('invalid');
  });
});

describe('status bar, shortcuts, samples, sharing, properties', () => {
  it('counts packets and displayed', () => {
    expect(countsText(53, 10, false)).toBe('Packets: 53 · Displayed: 10 (18.9%)');
    expect(countsText(1_000_000, 1_000_000, false)).toBe('Packets: 1,000,000 · Displayed: 1,000,000 (100%)');
    expect(countsText(0, 0, false)).toBe('Packets: 0 · Displayed: 0 (0%)');
    expect(countsText(1200, 1200, true)).toBe('Packets: 1,200 so far');
    expect(formatBytes(791060600)).toBe('754 MB');
    expect(progressText({ phase: 'reading', bytes: 1024, total: 2048, frames: 12 })).toBe('Reading 1.0 KB of 2.0 KB · 12 frames');
    expect(progressText({ phase: 'dissecting', bytes: 0, total: 0, frames: 500, totalFrames: 1000 })).toBe('Dissecting 500 of 1,000 frames');
    expect(progressFraction({ phase: 'dissecting', bytes: 0, total: 0, frames: 500, totalFrames: 1000 })).toBe(0.5);
    expect(progressFraction({ phase: 'download', bytes: 10, total: 0, frames: 0 })).toBeNull();
  });
  it('maps keys to actions, not while typing for “?”', () => {
    const k = (key: string, ctrlKey = false, tag = 'DIV') => shortcutFor({ key, ctrlKey, metaKey: false, altKey: false, target: { tagName: tag } as unknown as EventTarget });
    expect(k('/', true)).toBe('focus-filter');
    expect(k('g', true)).toBe('go-to');
    expect(k('?')).toBe('help');
    expect(k('?', false, 'INPUT')).toBeNull();
    expect(k('ArrowDown', true)).toBe('next-frame');
  });
  it('reads the sample index defensively', () => {
    expect(parseSamples([{ file: 'a.pcap', title: 'A', description: 'd' }, { file: '../x' }, { title: 'no file' }, 3])).toEqual([{ file: 'a.pcap', title: 'A', description: 'd', scenario: undefined }]);
    expect(parseSamples({ samples: [{ file: 'b.pcap' }] })[0].title).toBe('b.pcap');
    expect(sampleUrl('a.pcap')).toBe('samples/a.pcap');
    expect(isSampleUrl('samples/intro-web.pcap')).toBe(true);
    expect(isSampleUrl('https://x/samples/a.pcap')).toBe(false);
  });
  it('shares capture URL, filter, frame and view, never a local file', () => {
    const s = { origin: { kind: 'sample' as const, name: 'a.pcap', url: 'samples/a.pcap' }, appliedFilter: 'tcp', selectedFrame: 5, view: 'packets' as const };
    expect(shareLink(s, 'https://h.example/app/?url=x#old')).toBe('https://h.example/app/#url=samples%2Fa.pcap&filter=tcp&frame=5');
    expect(linkStateOf({ ...s, origin: { kind: 'file', name: 'a.pcap' } }).url).toBeUndefined();
  });
  it('lists capture properties', () => {
    const rows = propertyRows({ name: 'a.pcap', format: 'pcap', compressed: true, linkTypes: [{ linkType: 1, name: 'Ethernet' }], packets: 3, fileBytes: 2048, dataBytes: 100, firstTime: 0, lastTime: 1.5, warnings: [] });
    expect(Object.fromEntries(rows)).toMatchObject({ Format: 'pcap (gzip-compressed)', 'Link types': 'Ethernet (1)', Elapsed: '1.500000 s', 'First packet': '1970-01-01 00:00:00.000 UTC' });
  });
});
