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
}

/** What a format parser writes into as it reads. */
export interface CaptureSink {
  index: FrameIndex;
  interfaces: CaptureInterface[];
  /** pcapng packet comments, by frame number. Sparse: most captures have none. */
  comments: Map<number, string[]>;
  warnings: CaptureWarning[];
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
/** Largest pcapng block we accept (Wireshark: MAX_BLOCK_SIZE, 16 MiB + headroom). */
export const MAX_BLOCK_SIZE = 16 * 1024 * 1024 + 4096;
