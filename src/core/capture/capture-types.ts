import type { FrameIndex } from './frame-index';

/** Something wrong in the file, and where: byte offset in the (decompressed) file, and the frame if known. */
export interface CaptureWarning {
  offset: number;
  frame?: number;
  message: string;
}

export interface CaptureInterface {
  linkType: number;
  snapLen: number;
  name?: string;
  description?: string;
  /** Byte offset of what described the interface (pcap file header, pcapng IDB), for warnings. */
  offset?: number;
}

/** What a format parser writes into as it reads. */
export interface CaptureSink {
  index: FrameIndex;
  interfaces: CaptureInterface[];
  /** pcapng packet comments, by frame number. Sparse: most captures have none. */
  comments: Map<number, string[]>;
  warnings: CaptureWarning[];
  /** Warnings not kept because `warnings` already held MAX_WARNINGS (a corrupt file can repeat one problem). */
  droppedWarnings?: number;
}

/** Most warnings a capture keeps; the rest are counted so a damaged file cannot grow the list without bound. */
export const MAX_WARNINGS = 100;

/** Records a warning unless the list is full, in which case it is only counted. */
export function addWarning(sink: CaptureSink, offset: number, message: string, frame?: number): void {
  if (sink.warnings.length >= MAX_WARNINGS) {
    sink.droppedWarnings = (sink.droppedWarnings ?? 0) + 1;
    return;
  }
  sink.warnings.push(frame === undefined ? { offset, message } : { offset, frame, message });
}

export type CaptureFormat = 'pcap' | 'pcap-nsec' | 'pcapng';

/**
 * An incremental parser. `feed` is handed the bytes from file offset `base` on and consumes as many whole
 * records as it can; it returns how many bytes it used. When a record is larger than the window it was given
 * it sets `needBytes` so the reader can offer a larger one. `stopped` is set after an unrecoverable error.
 */
export interface CaptureParser {
  readonly format: CaptureFormat;
  needBytes: number;
  stopped: boolean;
  feed(data: Uint8Array, base: number, atEnd: boolean): number;
}

/** Wireshark's largest accepted packet (WTAP_MAX_PACKET_SIZE_STANDARD). */
export const MAX_PACKET_SIZE = 262144;
/** Interfaces the index can tell apart (FrameIndex.iface is a Uint16Array). */
export const MAX_INTERFACES = 65536;
/** Largest pcapng block we accept (Wireshark: MAX_BLOCK_SIZE, 16 MiB + headroom). */
export const MAX_BLOCK_SIZE = 16 * 1024 * 1024 + 4096;
