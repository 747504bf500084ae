import { compileFilter } from './index';
import { FilterError } from './errors';

/**
 * V8 compiles a function to bytecode the first time it is called, and the filter compiler is a few hundred
 * small functions: in a fresh process the first filters take 1–5 ms to compile, nearly all of it V8
 * compiling the compiler, against 0.03 ms once it has run. An engine compiles these filters once when it
 * starts (about 15 ms, before any capture is opened), so the first filter a user types is as quick as the
 * rest. Together they reach every stage's paths: each literal kind and field type, every operator and
 * function, slices, layers, sets, arithmetic, references, and the error and hint paths.
 */
export const WARM_UP_FILTERS: readonly string[] = [
  'tcp.port == 443 && ip.src == 192.168.0.0/16',
  'ip.addr != 10.1.2.3 || udp || !arp',
  'tcp.flags.syn == 1 and not tcp.flags.ack ^^ icmp xor ipv6',
  'frame contains "GET" && eth.src[0:3] == 00:11:22 && eth.dst == ff:ff:ff:ff:ff:ff && eth.addr == 0011.2233.4455',
  'ip.ttl in {1..64, 128} && !(tcp.analysis.flags && !tcp.analysis.window_update)',
  'ipv6.src == 2001:db8::/32 or ipv6.addr == ::1 or icmp.type == 8 or len(frame) > 1000',
  'frame matches "a(b|c)+" || frame.comment == GET || frame.protocols contains "x" || frame.comment ~ "\\\\.php$"',
  'upper(frame.protocols) == "X" && lower(frame.comment) != "y" && string(frame.number) == "1"',
  'frame.time >= "2020-01-01 00:00:00" && frame.time_delta < 0.5 && frame.time_relative > 1',
  'ip.src#2 == 1.1.1.1 && ip#[1-2] && @tcp.port == 00:50 && {tcp.port + 1} * 2 == 162 && {tcp.len & 0xff} != 0',
  'frame[-4:] == 00:00:00:00 and tcp[0:2,4-5] == 00:50:00 and udp[1] == 35 and frame[:2] contains ff',
  'max(tcp.srcport, tcp.dstport) > 1024 and min(ip.ttl, ip.hdr_len) < 5 and abs(frame.len) == 1 and count(ip.addr) == 2',
  'ip_rfc1918(ip.src) or ip_linklocal(ip.dst) or ip_multicast(ip.dst) or ip_ula(ipv6.src)',
  'any ip.addr == 1.2.3.4 && all ip.addr != 5.6.7.8 && tcp.port === 80 && tcp.port !== 81 && ip.addr all_eq 1.1.1.1',
  'frame.len eq 60 or frame.len ne 61 or frame.len gt 0x10 or frame.len ge 0b101 or frame.len lt 070 or frame.len le 64',
  'tcp.stream in {1, 5, 9} and tcp.len >= 100 and eth.type == 0x0800 and ip.flags.df == True and tcp.flags.fin == 0',
  'frame.comment contains r"\\d" or data.data == aa-bb or tcp.payload == aabb.ccdd or frame contains "\\x41\\101"',
  '${ip.src} == ip.dst and tcp.port == ${tcp.srcport}',
  'tcp.flags.syn',
];

/** Filters the compiler refuses, for the error, position and hint paths. */
export const WARM_UP_INVALID_FILTERS: readonly string[] = [
  'ip.sorce',
  'tcp port 443',
  'ip.src == "abc"',
  'tcp.port ==',
  'ip.src = 1.2.3.4',
  'tcp.port == 70000',
  '(tcp',
  'frame matches "("',
  'tcp.port in {80',
  'frame[1-0] == 00',
  'len(ip.src) == 4 443',
];

/** Compiles every warm-up filter once; returns how long it took (ms). */
export function warmUpFilterCompiler(): number {
  const start = performance.now();
  for (const text of WARM_UP_FILTERS) compileFilter(text);
  for (const text of WARM_UP_INVALID_FILTERS) {
    try {
      compileFilter(text);
    } catch (e) {
      if (!(e instanceof FilterError)) throw e;
    }
  }
  return performance.now() - start;
}
