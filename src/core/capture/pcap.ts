import { MAX_PACKET_SIZE, type CaptureFormat, type CaptureParser, type CaptureSink } from './capture-types';

/** Classic libpcap file format (tcpdump.org / draft-ietf-opsawg-pcap): 24-byte header, 16-byte record headers. */
const MAGIC_USEC = 0xa1b2c3d4;
const MAGIC_NSEC = 0xa1b23c4d;
const FILE_HEADER = 24;
const RECORD_HEADER = 16;

export function isPcap(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const be = ((head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) >>> 0;
  const le = ((head[3] << 24) | (head[2] << 16) | (head[1] << 8) | head[0]) >>> 0;
  return be === MAGIC_USEC || be === MAGIC_NSEC || le === MAGIC_USEC || le === MAGIC_NSEC;
}

export class PcapParser implements CaptureParser {
  format: CaptureFormat = 'pcap';
  needBytes = 0;
  stopped = false;
  private little = true;
  private nsec = false;
  private snapLen = 0;
  private headerRead = false;

  constructor(private readonly sink: CaptureSink) {}

  feed(data: Uint8Array, base: number, atEnd: boolean): number {
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    let pos = 0;
    this.needBytes = 0;
    if (!this.headerRead) {
      if (data.length < FILE_HEADER) {
        if (atEnd) this.fail(base, `pcap: file header is ${data.length} bytes, expected ${FILE_HEADER}`);
        else this.needBytes = FILE_HEADER;
        return 0;
      }
      const magicBE = dv.getUint32(0, false);
      this.little = !(magicBE === MAGIC_USEC || magicBE === MAGIC_NSEC);
      const magic = dv.getUint32(0, this.little);
      this.nsec = magic === MAGIC_NSEC;
      this.format = this.nsec ? 'pcap-nsec' : 'pcap';
      this.snapLen = dv.getUint32(16, this.little);
      // The upper bits carry FCS information (bits 26–31); the link type is the low 16 bits.
      const linkType = dv.getUint32(20, this.little) & 0xffff;
      this.sink.interfaces.push({ linkType, snapLen: this.snapLen });
      this.headerRead = true;
      pos = FILE_HEADER;
    }
    const index = this.sink.index;
    const little = this.little;
    const tsScale = this.nsec ? 1 : 1000;
    while (pos + RECORD_HEADER <= data.length) {
      const capLen = dv.getUint32(pos + 8, little);
      const origLen = dv.getUint32(pos + 12, little);
      if (capLen > MAX_PACKET_SIZE) {
        // The length field is garbage, so nothing after it can be found reliably: stop here (as Wireshark does).
        this.fail(
          base + pos,
          `pcap: record for frame ${index.count + 1} at byte ${base + pos} claims ${capLen} captured bytes, ` +
            `more than the maximum of ${MAX_PACKET_SIZE}; the rest of the file is not read`,
        );
        return pos;
      }
      if (pos + RECORD_HEADER + capLen > data.length) break;
      if (this.snapLen > 0 && capLen > this.snapLen) {
        this.sink.warnings.push({
          offset: base + pos,
          frame: index.count + 1,
          message: `pcap: frame ${index.count + 1} at byte ${base + pos} has ${capLen} captured bytes, more than the file's snapshot length ${this.snapLen}`,
        });
      }
      const sec = dv.getUint32(pos, little);
      const frac = dv.getUint32(pos + 4, little);
      index.push(base + pos + RECORD_HEADER, capLen, origLen, sec, frac * tsScale, 0);
      pos += RECORD_HEADER + capLen;
    }
    if (pos < data.length) {
      const need = pos + RECORD_HEADER <= data.length ? RECORD_HEADER + dv.getUint32(pos + 8, little) : RECORD_HEADER;
      if (atEnd) {
        this.fail(
          base + pos,
          `pcap: the file ends in the middle of frame ${index.count + 1} (record at byte ${base + pos} needs ` +
            `${need} bytes, ${data.length - pos} remain); the partial frame is not loaded`,
        );
        return data.length;
      }
      this.needBytes = need;
    }
    return pos;
  }

  private fail(offset: number, message: string): void {
    this.sink.warnings.push({ offset, message });
    this.stopped = true;
  }
}
