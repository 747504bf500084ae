/**
 * State that outlives a frame: conversations, request/response pairs, stream numbers. Wireshark dissects
 * every frame once in order first (the first pass), letting protocols record what later frames need to
 * know; every later dissection of a frame, in any order, reads that record instead of recomputing it.
 *
 * Each protocol keeps its own state object under its name: `pinfo.state.of('icmp', () => new IcmpState())`.
 * Keep it compact (typed arrays or sparse maps keyed by frame number), never per-frame objects.
 */
export class CaptureState {
  private readonly slots = new Map<string, unknown>();

  /** Frames in the capture, so per-frame columns (typed arrays indexed by frame − 1) can be sized once. */
  frameCount = 0;

  /**
   * Arrival time of every frame (the capture index's columns, slot i = frame i + 1), so state can measure the
   * time between two frames without keeping times of its own; null when frames are dissected without an
   * index (tests), where state that needs times records them itself.
   */
  frameTimes: { readonly tsSec: ArrayLike<number>; readonly tsNsec: ArrayLike<number> } | null = null;

  /**
   * The first pass is over: every state object that keeps first-pass-only working data (an `endFirstPass`
   * method) may let it go now rather than when a later pass first touches it.
   */
  endFirstPass(): void {
    for (const s of this.slots.values()) {
      const end = (s as { endFirstPass?: () => void } | null)?.endFirstPass;
      if (typeof end === 'function') end.call(s);
    }
  }

  of<T>(name: string, create: () => T): T {
    let s = this.slots.get(name) as T | undefined;
    if (s === undefined) {
      s = create();
      this.slots.set(name, s);
    }
    return s;
  }
}
