#!/usr/bin/env node
// The fathom command line. The TypeScript sources are bundled into dist/cli/fathom.mjs by `npm install`
// (the package's prepare script) or `npm run build:cli`.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/cli/fathom.mjs', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('fathom: the CLI is not built yet; run `npm install` or `npm run build:cli`\n');
  process.exit(1);
}
await import(pathToFileURL(bundle).href);
