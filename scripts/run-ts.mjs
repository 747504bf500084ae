// Runs a TypeScript script (benchmarks, generators) by bundling it with esbuild first: no extra runtime needed.
import { build } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: node scripts/run-ts.mjs FILE.ts [args…]\n');
  process.exit(2);
}
const out = join(mkdtempSync(join(tmpdir(), 'fathom-run-')), 'script.mjs');
await build({ entryPoints: [resolve(entry)], outfile: out, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
process.argv = [process.argv[0], resolve(entry), ...rest];
await import(pathToFileURL(out).href);
