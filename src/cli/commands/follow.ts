import { parseArgs, single, UsageError } from '../args';
import { CliError, EXIT_USAGE, openSession, reportWarnings } from '../context';
import {
  FOLLOW_FORMATS,
  FollowTextFormatter,
  followFooter,
  followHeader,
  followJsonChunk,
  followJsonHead,
  followJsonTail,
  type FollowChunk,
  type FollowFormat,
  type FollowProto,
} from '../../core/analysis/follow-stream';
import type { Output } from '../output';

/**
 * `fathom follow FILE --proto tcp|udp --stream N [--format ascii|hex|raw|json]`: the stream as
 * `tshark -q -z follow,PROTO,FORMAT,N` prints it (json: DESIGN.md §4). Chunks are printed as they are read,
 * so a stream of any size streams through.
 */
export async function follow(argv: string[], out: Output): Promise<number> {
  const args = parseArgs(argv, ['--proto', '--stream', '--format'], []);
  const proto = single(args, '--proto');
  if (proto === undefined) throw new UsageError('follow needs --proto tcp|udp');
  if (proto === 'tls' || proto === 'http') throw new CliError(`follow --proto ${proto} is not supported yet`, EXIT_USAGE);
  if (proto !== 'tcp' && proto !== 'udp') throw new UsageError(`unknown --proto "${proto}" (tcp, udp)`);
  const streamText = single(args, '--stream');
  if (streamText === undefined || !/^\d+$/.test(streamText)) throw new UsageError('follow needs --stream N (a stream number)');
  const format = (single(args, '--format') ?? 'ascii') as FollowFormat;
  if (!FOLLOW_FORMATS.includes(format)) throw new UsageError(`unknown --format "${format}" (${FOLLOW_FORMATS.join(', ')})`);
  // A UDP stream's frames are found through its conversation; a TCP stream needs no table.
  const session = await openSession(args.positionals[0], { conversations: proto === 'udp' ? ['udp'] : false });
  reportWarnings(session);
  const stream = await session.follow(proto as FollowProto, Number(streamText));
  const s = stream.summary;
  // Output.line adds the newline each piece already ends with.
  const put = (text: string) => out.line(text.slice(0, -1));
  // Chunks go out a batch at a time, waiting for stdout to drain in between, so a reader slower than we are
  // (a pipe) never makes the output pile up in memory.
  const walk = async (each: (c: FollowChunk) => void) => {
    for (let at = 0; at < s.chunks; at += BATCH) {
      await stream.chunks(each, at, at + BATCH);
      await out.end();
    }
  };
  if (format === 'json') {
    put(followJsonHead(s));
    let first = true;
    await walk((c) => {
      put(followJsonChunk(c, first));
      first = false;
    });
    put(followJsonTail());
  } else {
    put(followHeader(s, format));
    const f = new FollowTextFormatter(format);
    await walk((c) => put(f.chunk(c)));
    put(followFooter());
  }
  return 0;
}

/** Chunks written between waits for stdout. */
const BATCH = 512;
