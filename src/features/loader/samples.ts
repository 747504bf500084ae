/** The bundled sample captures (public/samples/index.json, written by the project's generator). */
export interface Sample {
  file: string;
  title: string;
  description: string;
  scenario?: string;
}

export const SAMPLES_INDEX = 'samples/index.json';
/** Opened when the page is loaded without a capture URL. */
export const DEFAULT_SAMPLE = 'samples/intro-web.pcap';

/** Reads the index defensively: a list of samples, or { samples: [...] }; entries without a file are skipped. */
export function parseSamples(json: unknown): Sample[] {
  const list = Array.isArray(json) ? json : json && typeof json === 'object' && Array.isArray((json as { samples?: unknown }).samples) ? (json as { samples: unknown[] }).samples : [];
  const out: Sample[] = [];
  for (const x of list) {
    if (!x || typeof x !== 'object') continue;
    const r = x as Record<string, unknown>;
    if (typeof r.file !== 'string' || !/^[\w.\-/]+$/.test(r.file) || r.file.includes('..')) continue;
    out.push({
      file: r.file,
      title: typeof r.title === 'string' ? r.title : r.file,
      description: typeof r.description === 'string' ? r.description : '',
      scenario: typeof r.scenario === 'string' ? r.scenario : undefined,
    });
  }
  return out;
}

/** The URL of a sample, relative to the app (the index lists names relative to samples/). */
export function sampleUrl(file: string): string {
  return file.startsWith('samples/') ? file : `samples/${file}`;
}
