/**
 * Per-field agreement of a differential suite: how often Fathom's value equals tshark's, with a few samples of
 * each disagreement, and the accepted (known) differences kept apart with their reasons.
 */
interface Tally {
  agree: number;
  total: number;
  samples: string[];
}

export class Agreement {
  private readonly tallies = new Map<string, Tally>();
  /** Accepted differences: "where field: fathom … tshark … — reason". */
  readonly known: string[] = [];

  constructor(
    /** Lowest share of agreeing values a field may have (1 = every value). */
    readonly threshold: number,
    private readonly samplesPerField = 6,
  ) {}

  /** Counts one comparison of `field` at `where` (file and frame). */
  count(field: string, where: string, ours: string, theirs: string): void {
    let t = this.tallies.get(field);
    if (!t) this.tallies.set(field, (t = { agree: 0, total: 0, samples: [] }));
    t.total++;
    if (ours === theirs) t.agree++;
    else if (t.samples.length < this.samplesPerField) t.samples.push(`${where}: fathom "${ours}" tshark "${theirs}"`);
  }

  /** Notes a difference that is accepted for `reason` instead of counting it. */
  excuse(field: string, where: string, ours: string, theirs: string, reason: string): void {
    this.known.push(`${where} ${field}: fathom "${ours}" tshark "${theirs}" — ${reason}`);
  }

  /**
   * Prints the agreement of every field (in `order` if given, else sorted) under `title`, and the known
   * differences grouped by reason; returns the fields below the threshold with their samples.
   */
  report(title: string, order?: readonly string[]): string[] {
    const fields = order ?? [...this.tallies.keys()].sort();
    const width = Math.max(20, ...fields.map((f) => f.length + 2));
    const lines: string[] = [];
    const failing: string[] = [];
    for (const field of fields) {
      const t = this.tallies.get(field) ?? { agree: 0, total: 0, samples: [] };
      const rate = t.total ? t.agree / t.total : 1;
      lines.push(`${field.padEnd(width)} ${(rate * 100).toFixed(2).padStart(7)}%  (${t.agree}/${t.total})`);
      if (rate < this.threshold) failing.push(`${field}: ${(rate * 100).toFixed(2)}%\n    ${t.samples.join('\n    ')}`);
    }
    console.log(`${title}:\n${lines.join('\n')}`);
    if (this.known.length) {
      const byReason = new Map<string, number>();
      for (const k of this.known) {
        const reason = k.slice(k.indexOf(' — ') + 3);
        byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
      }
      console.log(`known differences (${this.known.length}):\n${[...byReason].map(([r, n]) => `  ${n} × ${r}`).join('\n')}\n  e.g. ${this.known.slice(0, 3).join('\n  e.g. ')}`);
    }
    return failing;
  }
}
