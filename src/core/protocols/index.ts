/**
 * Every protocol Fathom decodes. Importing this module registers their fields; `registerProtocols` wires
 * their handoffs into the dissector tables (once). Add a protocol by adding its module here.
 */
import * as eth from './eth';
import * as ip from './ip';
import * as arp from './arp';
import * as icmp from './icmp';
import * as tcp from './tcp';
import * as udp from './udp';
import * as gre from './gre';
import * as ppp from './ppp';
import * as ipv6 from './ipv6';
import * as icmpv6 from './icmpv6';
import * as ah from './ah';
import * as esp from './esp';

import * as llc from './llc';
import * as vlan from './vlan';
import * as sll from './sll';
import * as nullLoopback from './null';
import * as raw from './raw';
import * as nflog from './nflog';
import * as wlan from './wlan';
import * as radiotap from './radiotap';
import * as teredo from './teredo';
// Cross-frame analyses that plug into protocols through their hooks (protocols never import analysis).
import { tcpAnalysisHook } from '../analysis/tcp-analysis';
import { udpStreamHook } from '../analysis/udp-streams';

const modules: { handoff(): void }[] = [eth, ip, arp, icmp, tcp, udp, gre, ppp, ipv6, icmpv6, ah, esp, llc, vlan, sll, nullLoopback, raw, nflog, wlan, radiotap, teredo];

let registered = false;

export function registerProtocols(): void {
  if (registered) return;
  registered = true;
  for (const m of modules) m.handoff();
  tcp.setTcpStateHook(tcpAnalysisHook);
  udp.setUdpStreamHook(udpStreamHook);
}

export { dissectFrame, type FrameRecord } from './frame';
