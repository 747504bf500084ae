/**
 * "A newer request supersedes the older one": each kind of request (the selected frame's detail, a filter
 * run, a sort) goes through a channel; starting a request makes every earlier one of that channel stale, so
 * its result is dropped (the promise rejects with SupersededError) and its unsent work is never sent.
 */
export class SupersededError extends Error {
  constructor() {
    super('superseded by a newer request');
    this.name = 'SupersededError';
  }
}

export function isSuperseded(e: unknown): boolean {
  return e instanceof Error && e.name === 'SupersededError';
}

export class Channel {
  private generation = 0;

  /** Starts a request; the returned token says whether it is still the newest. */
  begin(): Token {
    const g = ++this.generation;
    return { live: () => g === this.generation };
  }

  /** Makes every request so far stale. */
  cancel(): void {
    this.generation++;
  }

  /** Runs `work` as the newest request; rejects with SupersededError if a newer one began meanwhile. */
  async run<T>(work: (token: Token) => Promise<T>): Promise<T> {
    const token = this.begin();
    const value = await work(token);
    if (!token.live()) throw new SupersededError();
    return value;
  }
}

export interface Token {
  live(): boolean;
}
