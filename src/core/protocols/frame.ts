import { defineFields, fieldById } from '../dissect/field-registry';
import { BoundsError, ByteView, ReportedBoundsError } from '../dissect/byte-view';
import { tables } from '../dissect/dissector-tables';
import { addExpert, defineExperts } from '../dissect/expert';
import type { PacketInfo } from '../dissect/packet-info';
import type { ProtoTree, Timestamp } from '../dissect/proto-tree';
import { formatAbsoluteTime } from '../dissect/format';
import { linkTypeName, wtapEncap } from '../capture/link-types';
import { dissect as dissectData } from './data';

/** The frame pseudo-protocol: metadata of the record, then the link layer (Wireshark's packet-frame.c). */
export const fields = defineFields('frame', {
  frame: { id: 'frame', name: 'Frame', type: 'protocol' },
  interfaceId: { id: 'frame.interface_id', name: 'Interface id', type: 'uint32', base: 'dec' },
  interfaceName: { id: 'frame.interface_name', name: 'Interface name', type: 'string' },
  comment: { id: 'frame.comment', name: 'Comment', type: 'string' },
  encapType: { id: 'frame.encap_type', name: 'Encapsulation type', type: 'int16', base: 'dec' },
  time: { id: 'frame.time', name: 'Arrival Time', type: 'absolute_time', base: 'local' },
  timeEpoch: { id: 'frame.time_epoch', name: 'Epoch Time', type: 'relative_time' },
  timeDelta: { id: 'frame.time_delta', name: 'Time delta from previous captured frame', type: 'relative_time' },
  timeDeltaDisplayed: { id: 'frame.time_delta_displayed', name: 'Time delta from previous displayed frame', type: 'relative_time' },
  timeRelative: { id: 'frame.time_relative', name: 'Time since reference or first frame', type: 'relative_time' },
  number: { id: 'frame.number', name: 'Frame Number', type: 'uint32', base: 'dec' },
  len: { id: 'frame.len', name: 'Frame length on the wire', type: 'uint32', base: 'dec' },
  capLen: { id: 'frame.cap_len', name: 'Frame length stored into the capture file', type: 'uint32', base: 'dec' },
  marked: { id: 'frame.marked', name: 'Frame is marked', type: 'boolean' },
  ignored: { id: 'frame.ignored', name: 'Frame is ignored', type: 'boolean' },
  protocols: { id: 'frame.protocols', name: 'Protocols in frame', type: 'string' },
});

export const wsFields = defineFields('_ws', {
  short: { id: '_ws.short', name: 'Short Frame', type: 'protocol' },
  malformed: { id: '_ws.malformed', name: 'Malformed Packet', type: 'protocol' },
  dissectorBug: { id: '_ws.malformed.dissector_bug', name: 'Dissector bug', type: 'none' },
});

export const experts = defineExperts('_ws.malformed', {
  malformed: { id: '_ws.malformed.expert', summary: 'Malformed Packet (Exception occurred)', severity: 'error', group: 'malformed' },
});

/** One record to dissect: its bytes and the index's metadata. */
export interface FrameRecord {
  number: number;
  /** The frame's bytes — or a larger buffer holding them, at `dataOffset` for `dataLength` bytes. */
  data: Uint8Array;
  /**
   * Set when `data` is the buffer a pass read rather than the frame alone (the session's passes over every
   * frame skip making a view per frame): where the frame starts in it and how many bytes it has there.
   */
  dataOffset?: number;
  dataLength?: number;
  origLen: number;
  tsSecs: number;
  tsNsecs: number;
  /** frame.time_relative and frame.time_delta, computed by the caller from the index. */
  relative: Timestamp;
  delta: Timestamp;
  linkType: number;
  iface: number;
  ifaceName?: string;
  comments?: readonly string[];
  /** The record carried no time (a pcapng Simple Packet Block): Wireshark then shows no time fields. */
  noTimestamp?: boolean;
}

/**
 * Dissects one frame into `tree` and `pinfo`. Never throws for bad packet bytes: a read past the captured
 * bytes becomes a "Packet size limited during capture" item, past the packet's own length a "Malformed
 * Packet" item, and anything else a dissector-bug item — the frame is still listed.
 */
export function dissectFrame(rec: FrameRecord, pinfo: PacketInfo, tree: ProtoTree): void {
  const start = rec.dataOffset ?? 0;
  const capLen = rec.dataLength ?? rec.data.length - start;
  pinfo.reset(rec.number, capLen, rec.origLen, rec.tsSecs, rec.tsNsecs, rec.linkType, rec.iface);
  const view = ByteView.ofFrameIn(rec.data, start, capLen, rec.origLen);
  const full = tree.full;
  const top = tree.open(
    fields.frame,
    view,
    0,
    capLen,
    null,
    full ? `Frame ${rec.number}: ${rec.origLen} bytes on wire (${rec.origLen * 8} bits), ${capLen} bytes captured (${capLen * 8} bits)${rec.ifaceName ? ` on interface ${rec.ifaceName}, id ${rec.iface}` : ''}` : undefined,
  );
  // The first pass and list rows record nothing: skip the metadata items (none has a side effect).
  let protocolsItem = -1;
  if (tree.recording) {
    if (rec.comments) for (const c of rec.comments) tree.add(fields.comment, view, 0, 0, c, full ? `Comment: ${c}` : undefined);
    if (rec.ifaceName !== undefined && tree.wants(fields.interfaceId)) tree.add(fields.interfaceId, view, 0, 0, rec.iface, full ? `Interface id: ${rec.iface}${rec.ifaceName ? ` (${rec.ifaceName})` : ''}` : undefined);
    if (rec.ifaceName !== undefined) tree.add(fields.interfaceName, view, 0, 0, rec.ifaceName);
    const encap = wtapEncap[rec.linkType] ?? 0;
    tree.add(fields.encapType, view, 0, 0, encap, full ? `Encapsulation type: ${linkTypeName(rec.linkType)} (${encap})` : undefined);
    if (!rec.noTimestamp && (tree.wants(fields.time) || tree.wants(fields.timeEpoch))) {
      const t: Timestamp = { secs: rec.tsSecs, nsecs: rec.tsNsecs };
      tree.add(fields.time, view, 0, 0, t, full ? `Arrival Time: ${formatAbsoluteTime(t)}` : undefined);
      tree.add(fields.timeEpoch, view, 0, 0, t, undefined);
    }
    // The record's timestamps are reused from frame to frame: record copies, and only when wanted.
    if (tree.wants(fields.timeDelta)) tree.addGenerated(fields.timeDelta, view, 0, 0, { ...rec.delta });
    if (tree.wants(fields.timeDeltaDisplayed)) tree.addGenerated(fields.timeDeltaDisplayed, view, 0, 0, { ...rec.delta });
    if (tree.wants(fields.timeRelative)) tree.addGenerated(fields.timeRelative, view, 0, 0, { ...rec.relative });
    tree.add(fields.number, view, 0, 0, rec.number);
    tree.add(fields.len, view, 0, 0, rec.origLen, full ? `Frame Length: ${rec.origLen} bytes (${rec.origLen * 8} bits)` : undefined);
    tree.add(fields.capLen, view, 0, 0, capLen, full ? `Capture Length: ${capLen} bytes (${capLen * 8} bits)` : undefined);
    tree.addGenerated(fields.marked, view, 0, 0, false);
    tree.addGenerated(fields.ignored, view, 0, 0, false);
    // Filled in once the chain is known, after the link layer and everything above it.
    protocolsItem = tree.addGenerated(fields.protocols, view, 0, 0, '');
  }
  tree.close();

  try {
    if (tables.linkType.tryDissect(rec.linkType, view, pinfo, tree) < 0) {
      pinfo.setProtocol('UNKNOWN');
      pinfo.setInfo(`WTAP_ENCAP = ${wtapEncap[rec.linkType] ?? 0}`);
      dissectData(view, pinfo, tree);
    }
  } catch (e) {
    tree.closeAll();
    reportException(e, view, pinfo, tree);
  }
  if (protocolsItem >= 0) {
    const chain = pinfo.layers.join(':');
    tree.values[protocolsItem] = chain;
    tree.setLabel(protocolsItem, `[Protocols in frame: ${chain}]`);
  }
  void top;
}

/** The short name of the protocol that was being dissected (the last layer), as Wireshark names it in "[Malformed Packet: …]". */
function currentProtocolName(pinfo: PacketInfo): string {
  const abbrev = pinfo.layers[pinfo.layers.length - 1];
  const f = abbrev === undefined ? undefined : fieldById(abbrev);
  return f?.short ?? (pinfo.protocol || 'Frame');
}

/** Wireshark's show_exception: what a dissector's bounds error means for the frame. */
export function reportException(e: unknown, view: ByteView, pinfo: PacketInfo, tree: ProtoTree): void {
  const proto = currentProtocolName(pinfo);
  if (e instanceof BoundsError) {
    pinfo.appendInfo('[Packet size limited during capture]');
    tree.add(wsFields.short, view, 0, 0, null, tree.full ? `[Packet size limited during capture: ${proto} truncated]` : undefined);
  } else if (e instanceof ReportedBoundsError || e instanceof RangeError) {
    pinfo.malformed = true;
    pinfo.appendInfo('[Malformed Packet]');
    tree.open(wsFields.malformed, view, 0, 0, null, tree.full ? `[Malformed Packet: ${proto}]` : undefined);
    addExpert(tree, pinfo, experts.malformed, view, 0, 0);
    tree.close();
  } else {
    pinfo.malformed = true;
    pinfo.appendInfo('[Malformed Packet]');
    const msg = e instanceof Error ? e.message : String(e);
    tree.open(wsFields.malformed, view, 0, 0, null, tree.full ? `[Malformed Packet: ${proto}]` : undefined);
    tree.add(wsFields.dissectorBug, view, 0, 0, null, tree.full ? `[Dissector bug, protocol ${proto}: ${msg}]` : undefined);
    addExpert(tree, pinfo, experts.malformed, view, 0, 0);
    tree.close();
  }
}
