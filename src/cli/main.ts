import { Output } from './output';
import { UsageError } from './args';
import { CliError, closeOpenFiles, EXIT_UNREADABLE, EXIT_USAGE } from './context';
import { info } from './commands/info';
import { list } from './commands/list';
import { fields } from './commands/fields';
import { tree } from './commands/tree';
import { checkFilter } from './commands/check-filter';
import { conv } from './commands/conv';
import { endpoints } from './commands/endpoints';
import { follow } from './commands/follow';

type Command = (argv: string[], out: Output) => Promise<number>;

const commands: Record<string, Command> = { info, list, fields, tree, 'check-filter': checkFilter, conv, endpoints, follow };

const USAGE = `usage: fathom <command> …
  info FILE                         capture facts as JSON
  list FILE [-Y FILTER] [--json]    one line per frame
  fields FILE -e FIELD … [-Y F]     field values, like tshark -T fields
  tree FILE FRAME [--json]          the detail tree of one frame
  check-filter EXPR                 exit 0 if EXPR is a valid display filter
  conv FILE --type T [-Y F] [--json]
                                    conversations (T: eth, ip, ipv6, tcp, udp)
  endpoints FILE --type T [-Y F] [--json]
                                    endpoints, likewise
  follow FILE --proto tcp|udp --stream N [--format ascii|hex|raw|json]
                                    a stream, like tshark -z follow`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help' || name === 'help') {
    (name ? process.stdout : process.stderr).write(USAGE + '\n');
    return name ? 0 : EXIT_USAGE;
  }
  const cmd = commands[name];
  const out = new Output();
  try {
    if (!cmd) throw new UsageError(`unknown command "${name}"\n${USAGE}`);
    const status = await cmd(rest, out);
    await out.end();
    return status;
  } catch (e) {
    await out.end();
    if (e instanceof UsageError) {
      process.stderr.write(`fathom: ${e.message}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof CliError) {
      process.stderr.write(`fathom: ${e.message}\n`);
      return e.status;
    }
    process.stderr.write(`fathom: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT_UNREADABLE;
  } finally {
    await closeOpenFiles();
  }
}

main(process.argv.slice(2)).then((status) => {
  process.exitCode = status;
});
void EXIT_USAGE;
