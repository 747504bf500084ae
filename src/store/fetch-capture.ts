/**
 * Downloads a capture by URL as a stream, reporting bytes as they arrive, and turns every way it can fail
 * into a message that says which failure it was and why (DESIGN.md §7).
 */
export class FetchCaptureError extends Error {
  constructor(
    readonly title: string,
    message: string,
  ) {
    super(message);
    this.name = 'FetchCaptureError';
  }
}

export interface FetchProgress {
  bytes: number;
  /** From Content-Length; 0 when unknown. */
  total: number;
}

export interface FetchOptions {
  signal?: AbortSignal;
  onProgress?: (p: FetchProgress) => void;
  fetchImpl?: typeof fetch;
  /** The page's origin, to tell CORS refusals from network failures. */
  pageOrigin?: string;
}

const HTML_START = /^\s*<(!doctype|html|head|body|\?xml)/i;

export async function fetchCapture(url: URL, options: FetchOptions = {}): Promise<Blob> {
  const f = options.fetchImpl ?? fetch;
  let res: Response;
  try {
    res = await f(url.href, { signal: options.signal, credentials: 'omit', redirect: 'follow' });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    const crossOrigin = options.pageOrigin !== undefined && url.origin !== options.pageOrigin;
    if (crossOrigin && (await reachable(f, url))) {
      throw new FetchCaptureError(
        'The server does not allow this page to read the capture (CORS)',
        `${url.host} answered, but without an Access-Control-Allow-Origin header that lets this page read ${url.pathname}. Download the file and open it here, ask its owner to allow cross-origin reads, or publish it next to this app and use a relative URL.`,
      );
    }
    throw new FetchCaptureError(
      'The capture could not be downloaded (network error)',
      `Fetching ${url.href} failed: the server could not be reached${crossOrigin ? ', or it refused cross-origin reads (CORS)' : ''}. Check the address and your connection.`,
    );
  }
  if (!res.ok) {
    const what = res.status === 404 ? 'not found' : res.status === 403 ? 'forbidden' : res.statusText || 'error';
    throw new FetchCaptureError(`The server answered ${res.status} (${what})`, `${url.href} could not be downloaded: HTTP ${res.status} ${res.statusText}.`.trim());
  }
  const total = Number(res.headers.get('content-length')) || 0;
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let bytes = 0;
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      bytes += value.length;
      options.onProgress?.({ bytes, total });
    }
  } else {
    const buf = new Uint8Array(await res.arrayBuffer());
    parts.push(buf);
    bytes = buf.length;
    options.onProgress?.({ bytes, total });
  }
  const blob = new Blob(parts);
  if (bytes === 0) throw new FetchCaptureError('The capture is empty', `${url.href} returned no bytes.`);
  const type = res.headers.get('content-type') ?? '';
  if (/text\/html/i.test(type) || HTML_START.test(new TextDecoder().decode(parts[0].subarray(0, 64)))) {
    throw new FetchCaptureError('This URL returned a web page, not a capture', `${url.href} returned HTML (${type || 'no content type'}); a pcap or pcapng file was expected.`);
  }
  return blob;
}

/** Whether the server answers at all (an opaque no-cors response means it does, so the failure was CORS). */
async function reachable(f: typeof fetch, url: URL): Promise<boolean> {
  try {
    await f(url.href, { mode: 'no-cors', credentials: 'omit', method: 'HEAD' });
    return true;
  } catch {
    return false;
  }
}

/** The file name part of a URL, for titles. */
export function nameOfUrl(url: URL): string {
  const last = url.pathname.split('/').filter(Boolean).pop();
  return last ? decodeURIComponent(last) : url.host;
}
