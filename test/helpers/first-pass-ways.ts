import { CaptureSession } from '../../src/core/session';
import type { ByteSource } from '../../src/core/capture/byte-source';
import { CONVERSATION_TYPES } from '../../src/core/analysis/conversations';

/**
 * Everything a first pass leaves behind, as later passes show it: per frame the stream numbers, the TCP
 * numbers and analysis results, the stream times and the columns (Info carries the analysis prefixes);
 * then every conversation table; then the list rows, which have a shortcut of their own. Two sessions that
 * agree here left the same state and show the same rows.
 */
const STATE_FIELDS = [
  'frame.number',
  'frame.protocols',
  'tcp.stream',
  'tcp.seq',
  'tcp.ack',
  'tcp.nxtseq',
  'tcp.window_size',
  'tcp.window_size_scalefactor',
  'tcp.completeness',
  'tcp.analysis.flags',
  'tcp.analysis.bytes_in_flight',
  'tcp.analysis.push_bytes_sent',
  'tcp.analysis.acks_frame',
  'tcp.analysis.ack_rtt',
  'tcp.analysis.initial_rtt',
  'tcp.time_relative',
  'tcp.time_delta',
  'udp.stream',
  'udp.time_relative',
  'udp.time_delta',
  '_ws.col.Source',
  '_ws.col.Destination',
  '_ws.col.Protocol',
  '_ws.col.Info',
];

/** The outcome of a first pass and list rows over the capture `open` gives, with or without the plain-frame shortcuts. */
export async function firstPassOutcome(open: () => Promise<ByteSource & { close?: () => Promise<void> }>, plainFrames: boolean): Promise<string[]> {
  const source = await open();
  try {
    const session = await CaptureSession.open(source, { plainFrames });
    const out: string[] = [];
    await session.fields(STATE_FIELDS, 1, session.frameCount, (_n, values) => {
      out.push(values.join('\t'));
    });
    for (const type of CONVERSATION_TYPES) out.push(`${type} ${JSON.stringify(await session.conversations(type))}`);
    // List rows take their own shortcut: each row with the frame's expert severity (the row's colour).
    await session.list(1, session.frameCount, (row, pinfo) => {
      out.push(`${JSON.stringify(row)} severity ${pinfo.expertSeverity}`);
    });
    return out;
  } finally {
    await source.close?.();
  }
}
