import { describe, expect, it } from 'vitest';
import { translateCaptureFilter, closestFields } from '../../../src/core/filter/hints';
import { compile, errorOf } from './helpers';
import { defineFields, fieldByIndex } from '../../../src/core/dissect/field-registry';

/** Help for common mistakes, on top of Wireshark's messages. */

describe('hints', () => {
  it('recognises capture-filter syntax and translates it', () => {
    expect(errorOf('tcp port 443')?.hint).toBe('This looks like a capture filter (BPF syntax). As a display filter: tcp.port == 443');
    expect(errorOf('host 10.0.0.1')?.hint).toMatch(/ip\.addr == 10\.0\.0\.1$/);
    expect(translateCaptureFilter('port 53')).toBe('(tcp.port == 53 || udp.port == 53)');
    expect(translateCaptureFilter('src host 10.0.0.1 and dst port 80')).toBe('ip.src == 10.0.0.1 and (tcp.dstport == 80 || udp.dstport == 80)');
    expect(translateCaptureFilter('net 192.168.0.0/16')).toBe('ip.addr == 192.168.0.0/16');
    expect(translateCaptureFilter('ether host 00:11:22:33:44:55')).toBe('eth.addr == 00:11:22:33:44:55');
    expect(translateCaptureFilter('host fe80::1')).toBe('ipv6.addr == fe80::1');
    expect(translateCaptureFilter('udp portrange 1000-2000')).toBe('udp.port in {1000..2000}');
    expect(translateCaptureFilter('not port 22')).toBe('not (tcp.port == 22 || udp.port == 22)');
    expect(translateCaptureFilter('less 100')).toBe('frame.len <= 100');
    expect(translateCaptureFilter('tcp and ip')).toBeUndefined();
    expect(translateCaptureFilter('ip.src == 1.2.3.4')).toBeUndefined();
  });

  it('explains = and upper-case operators', () => {
    expect(errorOf('ip.src = 10.0.0.1')?.hint).toMatch(/Use ==/);
    expect(errorOf('ip and IP')?.hint).toBe('Did you mean ip?');
    expect(errorOf('ip AND eth')?.hint).toBe('Operators are written in lower case: and.');
  });

  it('explains leading-zero octal', () => {
    expect(errorOf('ip.ttl == 080')?.hint).toMatch(/leading 0 makes a number octal.*write 80/);
    expect(compile('ip.ttl == 010').warnings.map((w) => w.message)).toEqual(['010 is octal because of its leading zero: it means 8. Write 10 for decimal 10.']);
  });

  it('warns about a flag tested without == 1, and about != on fields seen twice', () => {
    const w = compile('ip.flags.df').warnings;
    expect(w[0]).toMatchObject({ message: 'ip.flags.df is present whether the flag is set or not; to match packets with it set, write ip.flags.df == 1.', start: 0, end: 11 });
    expect(compile('ip.flags.df == 1').warnings).toEqual([]);
    expect(compile('ip.addr != 10.0.0.1').warnings[0].message).toMatch(/occurs twice per packet/);
    expect(compile('ip.src != 10.0.0.1').warnings).toEqual([]);
  });

  it('suggests field names for typos', () => {
    expect(errorOf('ip.sorce')?.hint).toBe('Did you mean ip.src?');
    expect(errorOf('ip.sorce == 1.2.3.4')?.hint).toBe('ip.sorce is not a field. Did you mean ip.src?');
    expect(closestFields('ip.tll')).toContain('ip.ttl');
    expect(errorOf('ip.ttl == 1 || 2')?.hint).toMatch(/in \{80, 443\}/);
  });

  it('marks deprecated aliases', () => {
    // TLS and DHCP fields as their dissectors will declare them (defineFields keeps an existing definition).
    defineFields('tls', {
      tls: { id: 'tls', name: 'Transport Layer Security', type: 'protocol' },
      handshakeType: { id: 'tls.handshake.type', name: 'Handshake Type', type: 'uint8', base: 'dec' },
    });
    defineFields('dhcp', { dhcp: { id: 'dhcp', name: 'Dynamic Host Configuration Protocol', type: 'protocol' } });
    const ssl = compile('ssl.handshake.type == 1 && tcp');
    expect(ssl.interestingFields.map((i) => fieldByIndex(i).id)).toContain('tls.handshake.type');
    expect(ssl.warnings).toEqual([
      { message: '"ssl" is deprecated and may not be supported in future versions; use "tls" (here: tls.handshake.type).', start: 0, end: 18 },
    ]);
    expect(compile('tcp or bootp').warnings).toEqual([
      { message: '"bootp" is deprecated and may not be supported in future versions; use "dhcp" (here: dhcp).', start: 7, end: 12 },
    ]);
    // Only whole protocol names are aliases.
    expect(errorOf('sslx')?.message).toBe('sslx is neither a field nor a protocol name.');
  });
});
