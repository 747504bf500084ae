/**
 * The benchmark capture: a deterministic mix of office-LAN traffic seen on a mirror port — many TCP
 * connections (handshakes, HTTP/1.1 downloads, TLS 1.3 handshakes and application data, over IPv4 and IPv6),
 * DNS over UDP, ARP, ICMP and ICMPv6 echo, IPv6 neighbor discovery — with realistic sizes (about 780 bytes a
 * frame on average, so a million frames make a file of roughly 790 MB, like DESIGN.md §6's reference).
 *
 * Flows run interleaved: a few dozen are active at a time and each step advances one of them by one frame.
 * Everything comes from one seeded generator, so the same seed gives the same file byte for byte.
 *
 *   node scripts/run-ts.mjs bench/generate.ts [--frames N] [--seed S] [--regen]
 */
import { existsSync, mkdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ipv4, ipv6, linkLocalFromMac, solicitedNode, ipv6MulticastMac, BROADCAST_MAC, ZERO_MAC } from '../test/fixtures/forge/addresses';
import { ByteWriter } from '../test/fixtures/forge/byte-writer';
import {
  DNS_A,
  DNS_AAAA,
  DNS_CNAME,
  DNS_FLAGS_QUERY,
  DNS_FLAGS_RESPONSE,
  DNS_RCODE_NXDOMAIN,
  DNS_SOA,
  writeDnsMessage,
  type DnsRecord,
} from '../test/fixtures/forge/dns';
import { httpRequestHead, httpResponseHead, httpDate } from '../test/fixtures/forge/http';
import { neighborAdvertisement, neighborSolicitation, ICMPV6_ECHO_REPLY, ICMPV6_ECHO_REQUEST } from '../test/fixtures/forge/ndp';
import {
  ARP_REPLY,
  ARP_REQUEST,
  ETHERNET_MIN_FRAME,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  FrameBuilder,
  IPPROTO_ICMP,
  IPPROTO_ICMPV6,
  IPPROTO_UDP,
} from '../test/fixtures/forge/packets';
import { PcapWriter } from '../test/fixtures/forge/pcap-writer';
import { Rng } from '../test/fixtures/forge/rng';
import { CLIENT, SERVER, TcpSession, type Clock } from '../test/fixtures/forge/tcp-session';
import { writeApplicationData, writeChangeCipherSpec, writeClientHello, writeServerHello, TLS_MAX_CIPHERTEXT } from '../test/fixtures/forge/tls';

export const DEFAULT_SEED = 'fathom-bench-1';
export const OUT_DIR = resolve('bench/out');
/** 2024-03-12 09:00:00 UTC, a Tuesday morning. */
const START_MICROS = Date.UTC(2024, 2, 12, 9, 0, 0) * 1000;
/** Mean gap between frames on the mirror port: a million frames span about ten minutes. */
const MEAN_GAP_MICROS = 600;
/** Flows in progress at once. */
const ACTIVE_FLOWS = 48;

/** "mixed-1m.pcap", "mixed-100k.pcap", "mixed-12345.pcap" (with the seed in the name when it is not the default). */
export function capturePath(frames: number, seed = DEFAULT_SEED): string {
  const n = frames % 1_000_000 === 0 ? `${frames / 1_000_000}m` : frames % 1000 === 0 ? `${frames / 1000}k` : String(frames);
  const tag = seed === DEFAULT_SEED ? '' : `-${seed.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return resolve(OUT_DIR, `mixed-${n}${tag}.pcap`);
}

export interface EnsureResult {
  path: string;
  generated: boolean;
  seconds: number;
  bytes: number;
}

/** The capture for `frames` frames, generated only when missing (or when `regen`). */
export function ensureCapture(frames: number, options: { seed?: string; regen?: boolean; log?: (s: string) => void } = {}): EnsureResult {
  const seed = options.seed ?? DEFAULT_SEED;
  const path = capturePath(frames, seed);
  if (!options.regen && existsSync(path)) return { path, generated: false, seconds: 0, bytes: statSync(path).size };
  options.log?.(`generating ${path} (${frames} frames, seed ${seed}) …`);
  const t0 = performance.now();
  const stats = generateMixedCapture(path, frames, seed);
  const seconds = (performance.now() - t0) / 1000;
  options.log?.(`  ${stats.frames} frames, ${(stats.bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s; ${describeMix(stats.byKind, stats.frames)}`);
  return { path, generated: true, seconds, bytes: stats.bytes };
}

export interface GenerateStats {
  frames: number;
  bytes: number;
  /** Frames written by each kind of flow. */
  byKind: Record<string, number>;
}

/** Writes the mixed capture to `path` (through a temporary name, so an interrupted run leaves nothing behind). */
export function generateMixedCapture(path: string, frames: number, seed = DEFAULT_SEED): GenerateStats {
  const model = new TrafficModel(seed);
  const byKind: Record<string, number> = {};
  const writer = writeCapture(path, (w) => {
    const flows: { kind: string; frames: Generator<number> }[] = [];
    while (w.frames < frames) {
      while (flows.length < ACTIVE_FLOWS) flows.push(model.newFlow());
      const i = Math.floor(model.rng.float() * flows.length);
      const flow = flows[i];
      if (flow.frames.next().done) {
        flows[i] = model.newFlow();
        continue;
      }
      model.clock.now += 1 + Math.round(model.rng.exp(MEAN_GAP_MICROS));
      w.packet(model.clock.now, model.f.view());
      byKind[flow.kind] = (byKind[flow.kind] ?? 0) + 1;
    }
  });
  return { frames: writer.frames, bytes: writer.size, byKind };
}

/**
 * Writes a capture to `path` through a temporary name, so an interrupted or failed run leaves nothing
 * behind; returns the closed writer (its frame and byte counts).
 */
function writeCapture(path: string, write: (writer: PcapWriter) => void): PcapWriter {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.partial`;
  const writer = PcapWriter.toFile(tmp);
  try {
    write(writer);
    writer.close();
    renameSync(tmp, path);
  } catch (e) {
    writer.close();
    if (existsSync(tmp)) unlinkSync(tmp);
    throw e;
  }
  return writer;
}

/** The follow benchmark's capture: one TCP connection that downloads `bytes` bytes (about 1,400 a segment). */
export function bulkStreamPath(bytes: number): string {
  return resolve(OUT_DIR, `bulk-${Math.round(bytes / 1e6)}mb.pcap`);
}

/**
 * One IPv4 TCP connection carrying `bytes` bytes from server to client (a pseudo-random body), with the
 * client's delayed ACKs, then the close: what "Follow TCP Stream" on a large download reads. Generated only
 * when missing.
 */
export function ensureBulkStream(bytes: number, options: { seed?: string; log?: (s: string) => void } = {}): EnsureResult {
  const path = bulkStreamPath(bytes);
  if (existsSync(path)) return { path, generated: false, seconds: 0, bytes: statSync(path).size };
  options.log?.(`generating ${path} (one TCP stream of ${bytes} bytes) …`);
  const t0 = performance.now();
  const writer = writeCapture(path, (w) => {
    const rng = new Rng(options.seed ?? DEFAULT_SEED);
    const f = new FrameBuilder();
    const clock: Clock = { now: 1_700_000_000_000_000, followsGaps: true };
    const s = new TcpSession(
      f,
      clock,
      rng,
      { mac: Uint8Array.of(2, 0, 0, 0, 0, 1), ip: ipv4('192.168.1.10'), port: 50000 },
      { mac: Uint8Array.of(2, 0, 0, 0, 0, 2), ip: ipv4('198.51.100.7'), port: 80 },
      { clientIsn: rng.u32(), serverIsn: rng.u32(), rtt: 20_000, capturedAt: 'client' },
    );
    const body = new Uint8Array(bytes);
    for (let i = 0; i < bytes; i += 4) {
      const v = rng.u32();
      body[i] = v;
      body[i + 1] = v >>> 8;
      body[i + 2] = v >>> 16;
      body[i + 3] = v >>> 24;
    }
    const put = (gaps: Generator<number>) => {
      for (const gap of gaps) {
        clock.now += gap;
        w.packet(clock.now, f.view());
      }
    };
    put(s.handshake());
    put(s.send(SERVER, body));
    put(s.close(SERVER));
  });
  const seconds = (performance.now() - t0) / 1000;
  options.log?.(`  ${writer.frames} frames, ${(writer.size / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s`);
  return { path, generated: true, seconds, bytes: writer.size };
}

function describeMix(byKind: Record<string, number>, total: number): string {
  return Object.entries(byKind)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${((100 * n) / total).toFixed(1)}%`)
    .join(', ');
}

interface Client {
  mac: Uint8Array;
  ip: number;
  /** Global IPv6 address (dual-stack hosts only) and link-local address. */
  ip6?: Uint8Array;
  linkLocal: Uint8Array;
  nextPort: number;
  userAgent: string;
}

interface Site {
  name: string;
  ip: number;
  ip6?: Uint8Array;
  /** A CNAME to a CDN name, as many large sites have. */
  cname?: string;
  https: boolean;
}

const WORDS = (
  'the of network packet stream data secure order account price product service report team market ' +
  'review update search travel weather music video photo garden kitchen office school health sport ' +
  'city river mountain coffee book library energy design cloud mobile support contact about privacy'
).split(' ');
const SITE_WORDS = ['north', 'blue', 'river', 'maple', 'atlas', 'pixel', 'harbor', 'summit', 'cedar', 'nova', 'orbit', 'lumen', 'delta', 'quartz', 'ember', 'fjord'];
const SITE_SUFFIXES = ['shop', 'news', 'mail', 'media', 'bank', 'labs', 'cloud', 'travel', 'games', 'docs', 'tech', 'wiki'];
const HOST_LABELS = ['www', 'www', 'www', 'api', 'cdn', 'static', 'img', 'login', 'assets', 'edge'];
const TLDS = ['example', 'example.com', 'example.net', 'example.org', 'test'];
const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:123.0) Gecko/20100101 Firefox/123.0',
  'Microsoft-CryptoAPI/10.0',
  'curl/8.5.0',
];
const SERVERS = ['nginx/1.24.0', 'Apache/2.4.58 (Ubuntu)', 'cloudflare', 'Microsoft-IIS/10.0', 'envoy'];
const CONTENT = [
  { type: 'text/html; charset=utf-8', ext: '', median: 18_000 },
  { type: 'text/css', ext: '.css', median: 12_000 },
  { type: 'application/javascript', ext: '.js', median: 40_000 },
  { type: 'application/json', ext: '.json', median: 3_000 },
  { type: 'application/octet-stream', ext: '.bin', median: 400_000 },
];
const CONTENT_WEIGHTS = [30, 15, 25, 28, 2];

/** The model of the network and the generators of its flows. */
class TrafficModel {
  readonly rng: Rng;
  readonly f = new FrameBuilder();
  readonly clock: Clock = { now: START_MICROS };
  private readonly gatewayMac: Uint8Array;
  private readonly gatewayIp = ipv4('192.168.1.1');
  private readonly gatewayLinkLocal = ipv6('fe80::1');
  private readonly resolver6 = ipv6('2001:db8:1::1');
  private readonly clients: Client[] = [];
  private readonly sites: Site[] = [];
  /** Zipf-like popularity: cumulative weights of `sites`. */
  private readonly siteWeights: number[] = [];
  /** Random bytes (ciphertext) and HTML-like text (response bodies) that frames copy slices of. */
  private readonly noise: Uint8Array;
  private readonly text: Uint8Array;
  private readonly flowKinds: { kind: string; weight: number; make: () => Generator<number> }[];
  private readonly flowWeights: number[];

  constructor(seed: string) {
    const rng = (this.rng = new Rng(seed));
    this.gatewayMac = Uint8Array.of(0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e);
    const ouis = [
      [0x3c, 0x22, 0xfb],
      [0xa4, 0x83, 0xe7],
      [0xf0, 0x18, 0x98],
      [0x00, 0x50, 0x56],
      [0xdc, 0xa6, 0x32],
      [0x8c, 0x85, 0x90],
    ];
    for (let i = 0; i < 60; i++) {
      const oui = rng.pick(ouis);
      const m = Uint8Array.of(oui[0], oui[1], oui[2], rng.int(0, 255), rng.int(0, 255), rng.int(0, 255));
      const client: Client = {
        mac: m,
        ip: ipv4('192.168.1.0') + 10 + i,
        linkLocal: linkLocalFromMac(m),
        nextPort: rng.int(32768, 50000),
        userAgent: rng.pick(USER_AGENTS.slice(0, 4)),
      };
      if (i % 3 === 0) client.ip6 = ipv6(`2001:db8:1::${(0x100 + i).toString(16)}`);
      this.clients.push(client);
    }
    // Servers live in the documentation ranges (RFC 5737, RFC 3849) so no real host is named.
    const v4Bases = [ipv4('192.0.2.0'), ipv4('198.51.100.0'), ipv4('203.0.113.0')];
    const used = new Set<string>();
    for (let i = 0; i < 300; i++) {
      let name: string;
      do {
        name = `${rng.pick(HOST_LABELS)}.${rng.pick(SITE_WORDS)}${rng.pick(SITE_SUFFIXES)}.${rng.pick(TLDS)}`;
      } while (used.has(name));
      used.add(name);
      const site: Site = { name, ip: rng.pick(v4Bases) + rng.int(1, 254), https: rng.chance(0.8) };
      if (rng.chance(0.35)) site.ip6 = ipv6(`2001:db8:${(0xf000 + rng.int(0, 0xfff)).toString(16)}::${rng.int(1, 0xffff).toString(16)}`);
      if (rng.chance(0.3)) site.cname = `${name.split('.')[1]}.edge.cdn-${rng.int(1, 9)}.example.net`;
      this.sites.push(site);
      this.siteWeights.push((this.siteWeights[i - 1] ?? 0) + 1 / (i + 1));
    }
    this.noise = rng.bytes(1 << 20);
    this.text = makeText(rng, 1 << 20);
    this.flowKinds = [
      { kind: 'tls', weight: 42, make: () => this.tlsFlow(false) },
      { kind: 'tls-ipv6', weight: 15, make: () => this.tlsFlow(true) },
      { kind: 'http', weight: 24, make: () => this.httpFlow() },
      { kind: 'dns', weight: 380, make: () => this.dnsFlow() },
      { kind: 'arp', weight: 60, make: () => this.arpFlow() },
      { kind: 'icmp', weight: 24, make: () => this.pingFlow(false) },
      { kind: 'icmpv6', weight: 14, make: () => this.pingFlow(true) },
      { kind: 'ndp', weight: 60, make: () => this.ndpFlow() },
    ];
    this.flowWeights = this.flowKinds.map((k) => k.weight);
  }

  newFlow(): { kind: string; frames: Generator<number> } {
    const k = this.flowKinds[this.rng.weighted(this.flowWeights)];
    return { kind: k.kind, frames: k.make() };
  }

  private pickSite(): Site {
    const total = this.siteWeights[this.siteWeights.length - 1];
    const x = this.rng.float() * total;
    let lo = 0;
    let hi = this.siteWeights.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.siteWeights[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return this.sites[lo];
  }

  private nextPort(c: Client): number {
    c.nextPort += this.rng.int(1, 40);
    if (c.nextPort > 60999) c.nextPort = 32768 + (c.nextPort - 61000);
    return c.nextPort;
  }

  /** A resolver lookup (A or AAAA) from a client to the gateway's DNS forwarder. */
  private *dnsLookup(c: Client, site: Site | null, type: number): Generator<number> {
    const rng = this.rng;
    const f = this.f;
    const name = site ? site.name : `${rng.pick(WORDS)}${rng.int(1, 99)}.${rng.pick(SITE_WORDS)}.${rng.pick(TLDS)}`;
    const id = rng.int(0, 0xffff);
    const port = rng.int(1024, 65535);
    const question = [{ name, type }];
    // Dual-stack hosts ask the resolver over IPv6 now and then.
    const v6 = c.ip6 !== undefined && rng.chance(0.3);
    f.reset().ethernet(this.gatewayMac, c.mac, v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4);
    if (v6) f.ipv6({ src: c.ip6!, dst: this.resolver6, next: IPPROTO_UDP });
    else f.ipv4({ src: c.ip, dst: this.gatewayIp, protocol: IPPROTO_UDP, id: rng.int(0, 0xffff) });
    f.udp(port, 53);
    writeDnsMessage(f, { id, flags: DNS_FLAGS_QUERY, questions: question, ednsUdpSize: rng.chance(0.5) ? 1232 : undefined });
    f.finish(ETHERNET_MIN_FRAME);
    yield 0;
    const answers: DnsRecord[] = [];
    const authorities: DnsRecord[] = [];
    let flags = DNS_FLAGS_RESPONSE;
    if (!site) {
      flags |= DNS_RCODE_NXDOMAIN;
    } else {
      let target = site.name;
      if (site.cname) {
        answers.push({ name: site.name, type: DNS_CNAME, ttl: rng.int(60, 3600), data: site.cname });
        target = site.cname;
      }
      if (type === DNS_A) answers.push({ name: target, type: DNS_A, ttl: rng.int(20, 300), data: site.ip });
      else if (site.ip6) answers.push({ name: target, type: DNS_AAAA, ttl: rng.int(20, 300), data: site.ip6 });
    }
    if (answers.length === 0 || (type === DNS_AAAA && !site?.ip6)) {
      const zone = name.split('.').slice(-2).join('.');
      authorities.push({
        name: zone,
        type: DNS_SOA,
        ttl: 900,
        data: { mname: `ns1.${zone}`, rname: `hostmaster.${zone}`, serial: 2024031201, refresh: 7200, retry: 900, expire: 1209600, minimum: 300 },
      });
    }
    f.reset().ethernet(c.mac, this.gatewayMac, v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4);
    if (v6) f.ipv6({ src: this.resolver6, dst: c.ip6!, next: IPPROTO_UDP });
    else f.ipv4({ src: this.gatewayIp, dst: c.ip, protocol: IPPROTO_UDP, id: rng.int(0, 0xffff) });
    f.udp(53, port);
    writeDnsMessage(f, { id, flags, questions: question, answers, authorities, ednsUdpSize: 1232 });
    f.finish(ETHERNET_MIN_FRAME);
    yield 0;
  }

  private *dnsFlow(): Generator<number> {
    const rng = this.rng;
    const c = rng.pick(this.clients);
    const site = rng.chance(0.06) ? null : this.pickSite();
    yield* this.dnsLookup(c, site, DNS_A);
    if (rng.chance(0.6)) yield* this.dnsLookup(c, site, DNS_AAAA);
  }

  private *arpFlow(): Generator<number> {
    const rng = this.rng;
    const f = this.f;
    const c = rng.pick(this.clients);
    // Either a host refreshes the gateway's entry, or the gateway looks a host up.
    const fromGateway = rng.chance(0.5);
    const [askMac, askIp, wantIp, answerMac] = fromGateway ? [this.gatewayMac, this.gatewayIp, c.ip, c.mac] : [c.mac, c.ip, this.gatewayIp, this.gatewayMac];
    f.reset().ethernet(BROADCAST_MAC, askMac, ETHERTYPE_ARP).arp(ARP_REQUEST, askMac, askIp, ZERO_MAC, wantIp).finish(ETHERNET_MIN_FRAME);
    yield 0;
    f.reset().ethernet(askMac, answerMac, ETHERTYPE_ARP).arp(ARP_REPLY, answerMac, wantIp, askMac, askIp).finish(ETHERNET_MIN_FRAME);
    yield 0;
  }

  /** `ping` as Linux sends it: 56 data bytes, a timeval then the bytes 0x10, 0x11, … (iputils). */
  private *pingFlow(v6: boolean): Generator<number> {
    const rng = this.rng;
    const f = this.f;
    const dual = this.clients.filter((x) => x.ip6);
    const c = v6 ? rng.pick(dual) : rng.pick(this.clients);
    let site = this.pickSite();
    if (v6) while (!site.ip6) site = this.pickSite();
    const id = rng.int(1, 0xffff);
    const count = rng.int(3, 10);
    for (let seq = 1; seq <= count; seq++) {
      // The reply echoes the request's data (RFC 792), send time included.
      const sent = this.clock.now;
      for (const reply of [false, true]) {
        const [srcMac, dstMac] = reply ? [this.gatewayMac, c.mac] : [c.mac, this.gatewayMac];
        f.reset().ethernet(dstMac, srcMac, v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4);
        if (v6) {
          const [src, dst] = reply ? [site.ip6!, c.ip6!] : [c.ip6!, site.ip6!];
          f.ipv6({ src, dst, next: IPPROTO_ICMPV6, hopLimit: reply ? 57 : 64 }).icmpv6(reply ? ICMPV6_ECHO_REPLY : ICMPV6_ECHO_REQUEST, 0, ((id << 16) | seq) >>> 0);
        } else {
          const [src, dst] = reply ? [site.ip, c.ip] : [c.ip, site.ip];
          f.ipv4({ src, dst, protocol: IPPROTO_ICMP, ttl: reply ? 57 : 64, id: rng.int(0, 0xffff), dontFragment: !reply });
          f.icmp(reply ? 0 : 8, 0, ((id << 16) | seq) >>> 0);
        }
        f.u32(swap32(Math.floor(sent / 1e6))).u32(0).u32(swap32(sent % 1e6)).u32(0);
        for (let b = 0x10; b < 0x38; b++) f.u8(b);
        f.finish();
        yield 0;
      }
    }
  }

  /** Neighbor solicitation for the router and its advertisement (RFC 4861 §7.2). */
  private *ndpFlow(): Generator<number> {
    const rng = this.rng;
    const f = this.f;
    const c = rng.pick(this.clients);
    const target = this.gatewayLinkLocal;
    const group = solicitedNode(target);
    f.reset().ethernet(ipv6MulticastMac(group), c.mac, ETHERTYPE_IPV6).ipv6({ src: c.linkLocal, dst: group, next: IPPROTO_ICMPV6, hopLimit: 255 });
    neighborSolicitation(f, target, c.mac).finish();
    yield 0;
    f.reset().ethernet(c.mac, this.gatewayMac, ETHERTYPE_IPV6).ipv6({ src: target, dst: c.linkLocal, next: IPPROTO_ICMPV6, hopLimit: 255 });
    neighborAdvertisement(f, target, { router: true, solicited: true, override: true }, this.gatewayMac).finish();
    yield 0;
    if (rng.chance(0.3)) {
      // The host's own address is probed back later (reachability confirmation).
      f.reset().ethernet(c.mac, this.gatewayMac, ETHERTYPE_IPV6).ipv6({ src: target, dst: c.linkLocal, next: IPPROTO_ICMPV6, hopLimit: 255 });
      neighborSolicitation(f, c.linkLocal, this.gatewayMac).finish();
      yield 0;
      f.reset().ethernet(this.gatewayMac, c.mac, ETHERTYPE_IPV6).ipv6({ src: c.linkLocal, dst: target, next: IPPROTO_ICMPV6, hopLimit: 255 });
      neighborAdvertisement(f, c.linkLocal, { solicited: true, override: true }).finish();
      yield 0;
    }
  }

  private session(c: Client, site: Site, port: number, v6: boolean): TcpSession {
    const rng = this.rng;
    return new TcpSession(
      this.f,
      this.clock,
      rng,
      { mac: c.mac, ip: v6 ? c.ip6! : c.ip, port: this.nextPort(c) },
      { mac: this.gatewayMac, ip: v6 ? site.ip6! : site.ip, port },
      { clientIsn: rng.u32(), serverIsn: rng.u32(), rtt: Math.round(rng.logNormal(25_000, 0.6)), capturedAt: 'wire', serverTtl: rng.pick([52, 54, 57, 117, 245]) },
    );
  }

  /** An HTTP/1.1 connection with one to five keep-alive requests. */
  private *httpFlow(): Generator<number> {
    const rng = this.rng;
    const c = rng.pick(this.clients);
    let site = this.pickSite();
    for (let tries = 0; site.https && tries < 8; tries++) site = this.pickSite();
    if (rng.chance(0.5)) yield* this.dnsLookup(c, site, DNS_A);
    const s = this.session(c, site, 80, false);
    yield* s.handshake();
    const w = new ByteWriter(8192);
    const requests = rng.int(1, 5);
    for (let r = 0; r < requests; r++) {
      const kind = CONTENT[rng.weighted(CONTENT_WEIGHTS)];
      const path = `/${rng.pick(WORDS)}/${rng.pick(WORDS)}-${rng.int(1, 99999)}${kind.ext}${rng.chance(0.3) ? `?id=${rng.int(1, 1e6)}&ref=${rng.pick(WORDS)}` : ''}`;
      const headers: [string, string][] = [
        ['Host', site.name],
        ['User-Agent', c.userAgent],
        ['Accept', kind.ext === '' ? 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' : '*/*'],
        ['Accept-Language', 'en-US,en;q=0.5'],
        ['Accept-Encoding', 'gzip, deflate'],
        ['Connection', 'keep-alive'],
      ];
      if (rng.chance(0.4)) headers.push(['Cookie', `session=${rng.text(32, 'abcdef0123456789')}; theme=${rng.pick(['dark', 'light'])}`]);
      w.reset().ascii(httpRequestHead('GET', path, headers));
      yield* s.push(CLIENT, w.view());
      const status = rng.chance(0.93) ? 200 : rng.chance(0.5) ? 304 : 404;
      const size = status === 304 ? 0 : status === 404 ? rng.int(150, 600) : clampSize(rng.logNormal(kind.median, 1.2), 4_000_000);
      const head = httpResponseHead(status, status === 200 ? 'OK' : status === 304 ? 'Not Modified' : 'Not Found', [
        ['Date', httpDate(this.clock.now)],
        ['Server', rng.pick(SERVERS)],
        ['Content-Type', status === 404 ? 'text/html' : kind.type],
        ['Content-Length', String(size)],
        ['Cache-Control', 'max-age=3600'],
        ['ETag', `"${rng.text(16, 'abcdef0123456789')}"`],
        ['Connection', 'keep-alive'],
      ]);
      w.reset().ascii(head);
      this.appendText(w, size);
      yield* s.send(SERVER, w.view());
    }
    yield* s.close(rng.chance(0.7) ? CLIENT : SERVER);
  }

  /** A TLS 1.3 connection: handshake, then requests and responses as opaque application data. */
  private *tlsFlow(v6: boolean): Generator<number> {
    const rng = this.rng;
    const dual = this.clients.filter((x) => x.ip6);
    const c = v6 ? rng.pick(dual) : rng.pick(this.clients);
    let site = this.pickSite();
    if (v6) while (!site.ip6) site = this.pickSite();
    if (rng.chance(0.4)) yield* this.dnsLookup(c, site, v6 ? DNS_AAAA : DNS_A);
    const s = this.session(c, site, 443, v6);
    yield* s.handshake();
    const w = new ByteWriter(8192);
    writeClientHello(w, {
      random: rng.bytes(32),
      sessionId: rng.bytes(32),
      serverName: site.name,
      alpn: ['h2', 'http/1.1'],
      keyShare: rng.bytes(32),
      padTo: 512,
    });
    yield* s.push(CLIENT, w.view());
    // The server's flight: ServerHello, ChangeCipherSpec, then EncryptedExtensions … Finished in one record.
    w.reset();
    writeServerHello(w, { random: rng.bytes(32), sessionId: rng.bytes(32), cipherSuite: rng.pick([0x1301, 0x1302, 0x1303]), keyShare: rng.bytes(32) });
    writeChangeCipherSpec(w);
    this.appendCiphertext(w, rng.int(2200, 5200));
    yield* s.send(SERVER, w.view());
    const requests = rng.int(1, 6);
    for (let r = 0; r < requests; r++) {
      w.reset();
      if (r === 0) {
        writeChangeCipherSpec(w);
        this.appendCiphertext(w, 53); // Finished
      }
      this.appendCiphertext(w, rng.int(90, 900));
      yield* s.push(CLIENT, w.view());
      w.reset();
      if (r === 0) for (let t = 0; t < 2; t++) this.appendCiphertext(w, rng.int(230, 290)); // NewSessionTicket ×2
      const size = clampSize(rng.logNormal(rng.chance(0.02) ? 300_000 : 5_000, 1.3), 6_000_000);
      for (let left = size; left > 0; ) {
        const n = Math.min(left, TLS_MAX_CIPHERTEXT - 239); // a full 16 KiB record: 2^14 + content type + 16-byte tag
        this.appendCiphertext(w, n);
        left -= n;
      }
      yield* s.send(SERVER, w.view());
    }
    const end = rng.float();
    if (end < 0.1) yield* s.reset(CLIENT);
    else yield* s.close(end < 0.75 ? CLIENT : SERVER);
  }

  private appendCiphertext(w: ByteWriter, len: number): void {
    const from = this.rng.int(0, this.noise.length - len);
    writeApplicationData(w, this.noise, from, len);
  }

  private appendText(w: ByteWriter, len: number): void {
    while (len > 0) {
      const n = Math.min(len, this.text.length >> 1);
      const from = this.rng.int(0, this.text.length - n);
      w.bytes(this.text, from, from + n);
      len -= n;
    }
  }
}

function clampSize(x: number, max: number): number {
  return Math.max(1, Math.min(max, Math.round(x)));
}

function swap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}

/** HTML-looking text for response bodies. */
function makeText(rng: Rng, size: number): Uint8Array {
  const w = new ByteWriter(size + 4096);
  while (w.pos < size) {
    const title = `${rng.pick(WORDS)} ${rng.pick(WORDS)}`;
    let para = '';
    for (let i = rng.int(12, 60); i > 0; i--) para += rng.pick(WORDS) + (i % 11 === 0 ? '. ' : ' ');
    w.ascii(`<div class="item-${rng.int(1, 40)}"><h2>${title}</h2>\n<p>${para}</p><a href="/${rng.pick(WORDS)}/${rng.int(1, 9999)}">more</a></div>\n`);
  }
  return w.buf.slice(0, size);
}

function main(argv: string[]): void {
  let frames = 1_000_000;
  let seed = DEFAULT_SEED;
  let regen = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--frames') frames = parseCount(argv[++i]);
    else if (a === '--seed') seed = argv[++i];
    else if (a === '--regen') regen = true;
    else {
      process.stderr.write(`usage: bench/generate.ts [--frames N] [--seed S] [--regen]\n`);
      process.exit(2);
    }
  }
  const r = ensureCapture(frames, { seed, regen, log: (s) => process.stderr.write(s + '\n') });
  if (!r.generated) process.stderr.write(`${r.path} exists (${(r.bytes / 1e6).toFixed(1)} MB); --regen makes it again\n`);
  process.stdout.write(r.path + '\n');
}

/** "100000", "100k", "1m", "1e6". */
export function parseCount(text: string | undefined): number {
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)([km]?)$/i.exec(text ?? '');
  if (!m) throw new Error(`not a frame count: ${text}`);
  const n = Number(m[1]) * (m[2].toLowerCase() === 'k' ? 1e3 : m[2].toLowerCase() === 'm' ? 1e6 : 1);
  if (!Number.isInteger(n) || n < 1) throw new Error(`not a frame count: ${text}`);
  return n;
}

if (process.argv[1]?.replace(/\\/g, '/').endsWith('bench/generate.ts')) main(process.argv.slice(2));
