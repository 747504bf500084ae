/**
 * Display data shared by the engine (which evaluates the rules) and the UI (which paints them), kept apart
 * from the engine so the UI bundle does not pull in the dissectors.
 */

/** Expert severity levels of a frame, ordered (0 = none). */
export const SEVERITY_NAMES = ['', 'comment', 'chat', 'note', 'warn', 'error'] as const;
export type SeverityName = (typeof SEVERITY_NAMES)[number];

/** One of Wireshark's default coloring rules: its name, filter and colours (observed with `tshark --color`). */
export interface ColoringRule {
  name: string;
  filter: string;
  fg: string;
  bg: string;
}

/** Wireshark's default coloring rules, in order; the first that matches a frame colours it. */
export const COLORING_RULES: readonly ColoringRule[] = [
  { name: 'Bad TCP', filter: 'tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive && !tcp.analysis.keep_alive_ack', fg: '#f78787', bg: '#12272e' },
  { name: 'HSRP State Change', filter: 'hsrp.state != 8 && hsrp.state != 16', fg: '#fffc9c', bg: '#12272e' },
  { name: 'Spanning Tree Topology  Change', filter: 'stp.type == 0x80', fg: '#fffc9c', bg: '#12272e' },
  { name: 'OSPF State Change', filter: 'ospf.msg != 1', fg: '#fffc9c', bg: '#12272e' },
  { name: 'ICMP errors', filter: 'icmp.type in { 3..5, 11 } || icmpv6.type in { 1..4 }', fg: '#b7f774', bg: '#12272e' },
  { name: 'ARP', filter: 'arp', fg: '#12272e', bg: '#faf0d7' },
  { name: 'ICMP', filter: 'icmp || icmpv6', fg: '#12272e', bg: '#fce0ff' },
  { name: 'TCP RST', filter: 'tcp.flags.reset eq 1', fg: '#fffc9c', bg: '#a40000' },
  { name: 'SCTP ABORT', filter: 'sctp.chunk_type eq ABORT', fg: '#fffc9c', bg: '#a40000' },
  {
    name: 'TTL low or unexpected',
    filter: '(ip.dst != 224.0.0.0/4 && ip.ttl < 5 && !pim && !ospf) || (ip.dst == 224.0.0.0/24 && ip.dst != 224.0.0.251 && ip.ttl != 1 && !(vrrp || carp))',
    fg: '#ecf0eb',
    bg: '#a40000',
  },
  {
    name: 'Checksum Errors',
    filter:
      'eth.fcs.status=="Bad" || ip.checksum.status=="Bad" || tcp.checksum.status=="Bad" || udp.checksum.status=="Bad" || sctp.checksum.status=="Bad" || mstp.checksum.status=="Bad" || cdp.checksum.status=="Bad" || edp.checksum.status=="Bad" || wlan.fcs.status=="Bad" || stt.checksum.status=="Bad"',
    fg: '#f78787',
    bg: '#12272e',
  },
  { name: 'SMB', filter: 'smb || nbss || nbns || netbios', fg: '#12272e', bg: '#feffd0' },
  { name: 'HTTP', filter: 'http || tcp.port == 80 || http2', fg: '#12272e', bg: '#e4ffc7' },
  { name: 'DCERPC', filter: 'dcerpc', fg: '#12272e', bg: '#c797ff' },
  { name: 'Routing', filter: 'hsrp || eigrp || ospf || bgp || cdp || vrrp || carp || gvrp || igmp || ismp', fg: '#12272e', bg: '#fff3d6' },
  { name: 'TCP SYN/FIN', filter: 'tcp.flags & 0x02 || tcp.flags.fin == 1', fg: '#12272e', bg: '#a0a0a0' },
  { name: 'TCP', filter: 'tcp', fg: '#12272e', bg: '#e7e6ff' },
  { name: 'UDP', filter: 'udp', fg: '#12272e', bg: '#daeeff' },
  { name: 'Broadcast', filter: 'eth[0] & 1', fg: '#babdb6', bg: '#ffffff' },
];

