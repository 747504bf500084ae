/**
 * The first pass's plain-frame shortcut over every shared capture: the state it leaves (stream numbers, TCP
 * analysis, stream times, list rows, conversation tables) must be the dissectors' own, frame by frame. The
 * real-world captures bring what generated traffic lacks: VLANs, tunnels, fragments, options, truncation,
 * retransmissions and port reuse. The filters that read only header fields must keep the same frames too, and
 * a first pass run while the file is read must leave the same state as one run after.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { NodeFileSource } from '../../src/cli/node-file-source';
import { HEADER_FILTERS, filterOutcome, firstPassOutcome } from '../helpers/first-pass-ways';
import { CAPTURES_DIR, corpusFiles, haveCaptures } from './corpus-env';

describe.skipIf(!haveCaptures)('plain-frame first pass over the corpus', () => {
  it.each(corpusFiles())('%s: the same state both ways', async (file) => {
    const open = () => NodeFileSource.open(join(CAPTURES_DIR, file));
    const generic = await firstPassOutcome(open, false);
    const plain = await firstPassOutcome(open, true);
    expect(plain.length).toBe(generic.length);
    for (let i = 0; i < generic.length; i++) if (plain[i] !== generic[i]) expect(`${i + 1}: ${plain[i]}`).toBe(`${i + 1}: ${generic[i]}`);
    // The first pass run as the file is read, in windows small enough that records straddle them, leaves it too.
    const whileReading = await firstPassOutcome(open, true, { firstPassWhileReading: true, windowBytes: 4096 });
    for (let i = 0; i < plain.length; i++) if (whileReading[i] !== plain[i]) expect(`${i + 1}: ${whileReading[i]}`).toBe(`${i + 1}: ${plain[i]}`);
    expect(await filterOutcome(open, true, HEADER_FILTERS)).toEqual(await filterOutcome(open, false, HEADER_FILTERS));
  }, 120_000);
});
