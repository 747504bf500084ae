import type { CaptureState } from '../dissect/capture-state';

/**
 * Request/response pairs found in the first pass (ICMP and ICMPv6 echo): a request waits under a key until a
 * response with the same key answers it, and every later dissection of either frame reads the pair ("reply
 * in", "request in", the response time). Waiting requests live in a map until answered (a newer request under
 * the same key replaces an older one still waiting); a pair is kept as two frame numbers and the time between
 * them in typed arrays, 16 bytes, plus 4 for the index by request built on the first lookup — no object per
 * pair, however many pings a capture holds.
 */
export class RequestPairs {
  private readonly waiting = new Map<string, number>();
  /**
   * Arrival time of each waiting request, when frames carry no index of times (seconds and nanoseconds kept
   * apart: epoch seconds need all 53 bits).
   */
  private readonly waitingSecs = new Map<number, number>();
  private readonly waitingNsecs = new Map<number, number>();
  private count = 0;
  /** Pairs in the order their responses came (so by response frame, as the first pass goes in order). */
  private responses = new Uint32Array(16);
  private requests = new Uint32Array(16);
  private millis = new Float64Array(16);
  /** Pair indices by request frame, built when first asked after pairs were added. */
  private byRequest: Uint32Array | null = null;

  /** `times`: the capture index's arrival times (slot i = frame i + 1), so waiting requests need not keep theirs. */
  constructor(private readonly times: CaptureState['frameTimes'] = null) {}

  /** First pass: `frame` is a request waiting under `key`. */
  addRequest(key: string, frame: number, secs: number, nsecs: number): void {
    const earlier = this.waiting.get(key);
    this.waiting.set(key, frame);
    if (this.times) return;
    if (earlier !== undefined) {
      this.waitingSecs.delete(earlier);
      this.waitingNsecs.delete(earlier);
    }
    this.waitingSecs.set(frame, secs);
    this.waitingNsecs.set(frame, nsecs);
  }

  /** First pass: `frame` is a response; pairs it with the request waiting under `key`. Returns that request's frame, or 0. */
  addResponse(key: string, frame: number, secs: number, nsecs: number): number {
    const request = this.waiting.get(key);
    if (request === undefined) return 0;
    this.waiting.delete(key);
    let ns: number;
    if (this.times) {
      ns = (secs - this.times.tsSec[request - 1]) * 1e9 + (nsecs - this.times.tsNsec[request - 1]);
    } else {
      ns = (secs - (this.waitingSecs.get(request) ?? 0)) * 1e9 + (nsecs - (this.waitingNsecs.get(request) ?? 0));
      this.waitingSecs.delete(request);
      this.waitingNsecs.delete(request);
    }
    if (this.count === this.responses.length) {
      this.responses = grow(this.responses);
      this.requests = grow(this.requests);
      const m = new Float64Array(this.millis.length * 2);
      m.set(this.millis);
      this.millis = m;
    }
    this.responses[this.count] = frame;
    this.requests[this.count] = request;
    this.millis[this.count] = ns / 1e6;
    this.count++;
    this.byRequest = null;
    return request;
  }

  /** The frame that answered request `frame`, or 0. Ask after the first pass: the index by request is built once then. */
  responseTo(frame: number): number {
    const order = (this.byRequest ??= this.indexByRequest());
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.requests[order[mid]] < frame) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.count && this.requests[order[lo]] === frame ? this.responses[order[lo]] : 0;
  }

  /** The request response `frame` answered, or 0. */
  requestOf(frame: number): number {
    const i = this.pairOfResponse(frame);
    return i < 0 ? 0 : this.requests[i];
  }

  /** Milliseconds from the request to response `frame` (0 if it answered none). */
  responseMs(frame: number): number {
    const i = this.pairOfResponse(frame);
    return i < 0 ? 0 : this.millis[i];
  }

  private pairOfResponse(frame: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.responses[mid] < frame) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.count && this.responses[lo] === frame ? lo : -1;
  }

  private indexByRequest(): Uint32Array {
    const order = new Uint32Array(this.count);
    for (let i = 0; i < order.length; i++) order[i] = i;
    const req = this.requests;
    return order.sort((a, b) => req[a] - req[b]);
  }

  /** Bytes held (for memory accounting). */
  byteSize(): number {
    return this.responses.length * 16 + (this.byRequest?.length ?? 0) * 4 + this.waiting.size * 100;
  }
}

function grow(a: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(a.length * 2);
  b.set(a);
  return b;
}
