/**
 * Every protocol Fathom decodes. Importing this module registers their fields; `registerProtocols` wires
 * their handoffs into the dissector tables (once). Add a protocol by adding its module here.
 */
import * as eth from './eth';
import * as ip from './ip';

const modules: { handoff(): void }[] = [eth, ip];

let registered = false;

export function registerProtocols(): void {
  if (registered) return;
  registered = true;
  for (const m of modules) m.handoff();
}

export { dissectFrame, type FrameRecord } from './frame';
