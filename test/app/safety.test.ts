// Static guards: packet bytes reach the DOM only as text, and the page forbids inline script.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.(tsx?|html)$/.test(n) ? [p] : [];
  });
}

describe('the web app', () => {
  it('never writes HTML from strings', () => {
    const ui = ['src/app', 'src/features', 'src/widgets', 'src/store', 'src/engine-client'].flatMap(files);
    expect(ui.length).toBeGreaterThan(20);
    for (const f of ui) expect(readFileSync(f, 'utf8'), f).not.toMatch(/dangerouslySetInnerHTML|\.innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
  it('has a Content-Security-Policy without inline script or eval', () => {
    const html = readFileSync('index.html', 'utf8');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(html).not.toMatch(/<script>(?!\s*<\/script>)/);
  });
});
