import { MAX_PACKET_SIZE, addWarning, type CaptureFormat, type CaptureParser, type CaptureSink } from './capture-types';

/**
 * Classic libpcap file format (draft-ietf-opsawg-pcap): a 24-byte file header (§4), then packet records of
 * a 16-byte header and the captured bytes, unpadded (§5). Every field is in the writer's byte order, which
 * the magic number tells.
 */
const MAGIC_USEC = 0xa1b2c3d4;
const MAGIC_NSEC = 0xa1b23c4d;
const FILE_HEADER = 24;
const RECORD_HEADER = 16;
/** §4: the SnapLen field is at byte 16, LinkType and additional information at byte 20. */
const SNAPLEN_AT = 16;
const LINKTYPE_AT = 20;

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
        if (atEnd) this.fail(base, `pcap: the file header is ${data.length} bytes, it needs ${FILE_HEADER}; no frame can be read`);
        else this.needBytes = FILE_HEADER;
        return 0;
      }
      this.readHeader(dv, base);
      pos = FILE_HEADER;
    }
    const index = this.sink.index;
    const little = this.little;
    const tsScale = this.nsec ? 1 : 1000;
    const snapLen = this.snapLen;
    // The hot loop: fixed-size reads into the index columns, nothing allocated per record.
    while (pos + RECORD_HEADER <= data.length) {
      const capLen = dv.getUint32(pos + 8, little);
      if (capLen > MAX_PACKET_SIZE) {
        // The length is garbage, so where the next record starts is unknown: stop here, as Wireshark does.
        this.fail(
          base + pos,
          `pcap: the record of frame ${index.count + 1} at byte ${base + pos} claims ${capLen} captured bytes, ` +
            `more than the maximum of ${MAX_PACKET_SIZE}; the rest of the file is not read`,
        );
        return pos;
      }
      if (pos + RECORD_HEADER + capLen > data.length) break;
      if (snapLen > 0 && capLen > snapLen) {
        // The bytes are all there, so the frame is kept; the writer just broke its own limit.
        addWarning(
          this.sink,
          base + pos,
          `pcap: frame ${index.count + 1} at byte ${base + pos} has ${capLen} captured bytes, more than the file's snapshot length ${snapLen}`,
          index.count + 1,
        );
      }
      // §5: the fraction is microseconds or nanoseconds as the magic says; it is kept as written even when
      // out of range (tshark shows such values unchanged too).
      index.push(base + pos + RECORD_HEADER, capLen, dv.getUint32(pos + 12, little), dv.getUint32(pos, little), dv.getUint32(pos + 4, little) * tsScale, 0);
      pos += RECORD_HEADER + capLen;
    }
    if (pos < data.length) {
      const haveHeader = pos + RECORD_HEADER <= data.length;
      const need = haveHeader ? RECORD_HEADER + dv.getUint32(pos + 8, little) : RECORD_HEADER;
      if (atEnd) {
        this.fail(
          base + pos,
          `pcap: the file ends in the middle of frame ${index.count + 1}: its record at byte ${base + pos} needs ` +
            `${need} bytes, only ${data.length - pos} remain${haveHeader ? '' : ' (not even the 16-byte record header)'}; the partial frame is not loaded`,
        );
        return data.length;
      }
      this.needBytes = need;
    }
    return pos;
  }

  private readHeader(dv: DataView, base: number): void {
    const magicBE = dv.getUint32(0, false);
    this.little = !(magicBE === MAGIC_USEC || magicBE === MAGIC_NSEC);
    this.nsec = dv.getUint32(0, this.little) === MAGIC_NSEC;
    this.format = this.nsec ? 'pcap-nsec' : 'pcap';
    const major = dv.getUint16(4, this.little);
    if (major !== 2) {
      addWarning(this.sink, base + 4, `pcap: the file header says format version ${major}.${dv.getUint16(6, this.little)}, expected 2.x; reading it as 2.4`);
    }
    this.snapLen = dv.getUint32(SNAPLEN_AT, this.little);
    // §4: LinkType is the low 16 bits; bits 26–31 say whether frames end in an FCS and how long it is.
    const linkType = dv.getUint32(LINKTYPE_AT, this.little) & 0xffff;
    this.sink.interfaces.push({ linkType, snapLen: this.snapLen, offset: base + LINKTYPE_AT });
    this.headerRead = true;
  }

  private fail(offset: number, message: string): void {
    // The reason reading stopped is always kept, even when the list is full of lesser warnings. It names the
    // lost frame in the text only: `frame` is reserved for frames that are in the index.
    this.sink.warnings.push({ offset, message });
    this.stopped = true;
  }
}
