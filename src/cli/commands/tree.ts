import { parseArgs, UsageError } from '../args';
import { CliError, EXIT_USAGE, openSession } from '../context';
import type { TreeNode } from '../../core/session';
import type { Output } from '../output';

/** `fathom tree FILE FRAME [--json]`: the detail tree of one frame, indented like `tshark -V`. */
export async function tree(argv: string[], out: Output): Promise<number> {
  const args = parseArgs(argv, [], ['--json', '--hidden']);
  const [file, frameArg] = args.positionals;
  if (!frameArg) throw new UsageError('tree needs FILE and FRAME');
  const frame = Number(frameArg);
  if (!Number.isInteger(frame) || frame < 1) throw new UsageError(`"${frameArg}" is not a frame number`);
  const session = await openSession(file, { conversations: false });
  if (frame > session.frameCount) throw new CliError(`frame ${frame} is not in the capture (it has ${session.frameCount})`, EXIT_USAGE);
  const { tree: nodes } = await session.detail(frame);
  if (args.flags.has('--json')) {
    out.line(JSON.stringify(nodes, null, 2));
    return 0;
  }
  const showHidden = args.flags.has('--hidden');
  const walk = (list: TreeNode[], depth: number) => {
    for (const n of list) {
      if (n.hidden && !showHidden) continue;
      out.line('    '.repeat(depth) + n.label);
      if (n.children) walk(n.children, depth + 1);
    }
  };
  walk(nodes, 0);
  return 0;
}
