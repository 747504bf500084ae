/** A small argument parser: positionals, repeated `-e X` style options, and boolean flags. */
export class UsageError extends Error {}

export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string[]>;
  flags: Set<string>;
}

export function parseArgs(argv: string[], valued: readonly string[], booleans: readonly string[]): ParsedArgs {
  const out: ParsedArgs = { positionals: [], options: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('-') && a.length > 1) {
      let name = a;
      let value: string | undefined;
      const eq = a.indexOf('=');
      if (a.startsWith('--') && eq > 0) {
        name = a.slice(0, eq);
        value = a.slice(eq + 1);
      }
      if (valued.includes(name)) {
        if (value === undefined) {
          if (i + 1 >= argv.length) throw new UsageError(`option ${name} needs a value`);
          value = argv[++i];
        }
        const list = out.options.get(name) ?? [];
        list.push(value);
        out.options.set(name, list);
      } else if (booleans.includes(name)) {
        out.flags.add(name);
      } else {
        throw new UsageError(`unknown option ${a}`);
      }
    } else {
      out.positionals.push(a);
    }
  }
  return out;
}

export function single(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name);
  if (v && v.length > 1) throw new UsageError(`option ${name} given more than once`);
  return v?.[0];
}
