/**
 * What a shared link holds (DESIGN: "the URL hash holds the capture URL, filter, selected frame and open
 * view"), and the rules for capture URLs: only http(s), resolved against the page so relative links work
 * when the app and the captures share one static site.
 */
export interface LinkState {
  url?: string;
  filter?: string;
  frame?: number;
  view?: string;
}

export function parseLink(hash: string, search = ''): LinkState {
  const h = new URLSearchParams(hash.replace(/^#/, ''));
  const q = new URLSearchParams(search.replace(/^\?/, ''));
  const out: LinkState = {};
  const url = h.get('url') ?? q.get('url');
  if (url) out.url = url;
  const filter = h.get('filter') ?? q.get('filter');
  if (filter) out.filter = filter;
  const frame = Number(h.get('frame') ?? q.get('frame'));
  if (Number.isInteger(frame) && frame > 0) out.frame = frame;
  const view = h.get('view') ?? q.get('view');
  if (view && /^[a-z-]{1,32}$/.test(view)) out.view = view;
  return out;
}

export function buildHash(s: LinkState): string {
  const p = new URLSearchParams();
  if (s.url) p.set('url', s.url);
  if (s.filter) p.set('filter', s.filter);
  if (s.frame) p.set('frame', String(s.frame));
  if (s.view && s.view !== 'packets') p.set('view', s.view);
  const text = p.toString().replace(/\+/g, '%20');
  return text ? '#' + text : '';
}

export type UrlCheck = { ok: true; url: URL } | { ok: false; message: string };

/** Resolves a capture URL against the page; refuses anything but http(s) (javascript:, data:, file:, blob: …). */
export function checkCaptureUrl(raw: string, base: string): UrlCheck {
  const text = raw.trim();
  if (!text) return { ok: false, message: 'The capture URL is empty.' };
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    return { ok: false, message: `“${text}” is not a valid URL.` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, message: `Refusing to open a ${url.protocol.replace(/:$/, '')}: URL: only http and https capture URLs are opened.` };
  }
  if (url.username || url.password) return { ok: false, message: 'Refusing a capture URL with a user name or password in it.' };
  return { ok: true, url };
}
