import { CaptureSession } from '../../src/core/session';
import type { ByteSource } from '../../src/core/capture/byte-source';
import { CONVERSATION_TYPES } from '../../src/core/analysis/conversations';

/**
 * Everything a first pass leaves behind, as later passes show it: per frame the stream numbers, the TCP
 * numbers and analysis results, the stream times and the list row (Info carries the analysis prefixes);
 * then every conversation table. Two first passes that agree here left the same state.
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

/** The outcome of a first pass over the capture `open` gives, with or without the plain-frame shortcut. */
export async function firstPassOutcome(open: () => Promise<ByteSource & { close?: () => Promise<void> }>, plainFrames: boolean): Promise<string[]> {
  const source = await open();
  try {
    const session = await CaptureSession.open(source, { plainFrames });
    const out: string[] = [];
    await session.fields(STATE_FIELDS, 1, session.frameCount, (_n, values) => {
      out.push(values.join('\t'));
    });
    for (const type of CONVERSATION_TYPES) out.push(`${type} ${JSON.stringify(await session.conversations(type))}`);
    return out;
  } finally {
    await source.close?.();
  }
}
