import { parseArgs } from '../args';
import { openSession } from '../context';
import type { Output } from '../output';

/** `fathom info FILE`: JSON facts about the capture. */
export async function info(argv: string[], out: Output): Promise<number> {
  const args = parseArgs(argv, [], []);
  // The index alone: info shows nothing the first pass finds.
  const session = await openSession(args.positionals[0], { firstPassWhileReading: false });
  const i = session.info();
  out.line(
    JSON.stringify(
      {
        file: i.name,
        format: i.format,
        compressed: i.compressed,
        linkTypes: i.linkTypes,
        packets: i.packets,
        bytes: i.dataBytes,
        fileBytes: i.fileBytes,
        firstTime: i.firstTime,
        lastTime: i.lastTime,
        warnings: i.warnings,
      },
      null,
      2,
    ),
  );
  return 0;
}
