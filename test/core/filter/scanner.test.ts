import { describe, expect, it } from 'vitest';
import { scan } from '../../../src/core/filter/scanner';
import { errorOf } from './helpers';

/** Tokens of the filter language (Wireshark's test_scanner): words, strings, escapes, shapes, slices. */

const kinds = (s: string) => scan(s).map((t) => `${t.kind}:${t.text}`);

describe('scanner', () => {
  it('splits words, operators and literals like tshark', () => {
    expect(kinds('tcp.port==80&&ip')).toEqual(['word:tcp.port', 'punct:==', 'word:80', 'punct:&&', 'word:ip', 'eof:']);
    expect(kinds('frame.len-1')).toEqual(['word:frame.len-1', 'eof:']);
    expect(kinds('frame.len - 1')).toEqual(['word:frame.len', 'punct:-', 'word:1', 'eof:']);
    expect(kinds('1..100')).toEqual(['word:1', 'punct:..', 'word:100', 'eof:']);
    expect(kinds('80...90')).toEqual(['word:80', 'punct:..', 'dotfield:.90', 'eof:']);
    expect(kinds('a === b !== c ~= d')).toEqual(['word:a', 'punct:===', 'word:b', 'punct:!==', 'word:c', 'punct:~=', 'word:d', 'eof:']);
  });

  it('recognises address and byte-string shapes', () => {
    expect(kinds('fe80::1')).toEqual(['literal:fe80::1', 'eof:']);
    expect(kinds('::')).toEqual(['literal:' + '::', 'eof:']);
    expect(kinds('::ffff:1.2.3.4/96')).toEqual(['literal:::ffff:1.2.3.4/96', 'eof:']);
    expect(kinds('fe80::1::2')).toEqual(['literal:fe80::1', 'literal:::2', 'eof:']);
    expect(kinds('10.0.0.0/8')).toEqual(['literal:10.0.0.0/8', 'eof:']);
    expect(kinds('10.0.0.1')).toEqual(['word:10.0.0.1', 'eof:']);
    expect(kinds('00:11:22:33:44:55')).toEqual(['literal:00:11:22:33:44:55', 'eof:']);
    expect(kinds('aa:bb')).toEqual(['literal:aa:bb', 'eof:']);
    expect(kinds('00-11-22-33-44-55')).toEqual(['word:00-11-22-33-44-55', 'eof:']);
  });

  it('decodes strings, raw strings and character constants', () => {
    const [s] = scan('"a\\x41\\101\\n\\"\\\\\\u00e9"');
    expect(s.kind).toBe('string');
    expect(s.value).toBe('aAA\n"\\é');
    const [r] = scan('r"\\d+\\""');
    expect(r.value).toBe('\\d+\\"');
    expect(r.raw).toBe(true);
    expect(scan("'\\x41'")[0].code).toBe(0x41);
    expect(scan("'P'")[0].code).toBe(80);
    expect(scan('"\\xff"')[0].bytes).toEqual(Uint8Array.of(0xff));
  });

  it('scans slices as one unit', () => {
    const [, r] = scan('frame[0:2, 4-5, -1, :3, 7:]');
    expect(r.kind).toBe('range');
    expect(r.ranges!.map((x) => [x.from, x.length])).toEqual([
      [0, 2],
      [4, 2],
      [-1, 1],
      [0, 3],
      [7, null],
    ]);
  });

  it('reports lexical errors where tshark does', () => {
    expect(errorOf('"unterminated')).toMatchObject({ message: 'The final quote was missing from a quoted string.', start: 13 });
    expect(errorOf('frame contains "\\q"')).toMatchObject({ message: '\\q is not a valid character escape sequence', start: 16, end: 18 });
    expect(errorOf('frame contains "\\777"')).toMatchObject({ message: '\\777 is larger than 255.', start: 16, end: 20 });
    expect(errorOf('frame contains "\\uD800"')).toMatchObject({ message: '\\uD800 is not a valid universal character name', start: 16, end: 22 });
    expect(errorOf('http.request.method == "\\u0047ET"')).toMatchObject({ message: '\\u0047 is not a valid universal character name', start: 24, end: 30 });
    expect(errorOf("frame contains 'ab'")).toMatchObject({ message: "'ab' is too long to be a valid character constant.", start: 15, end: 19 });
    expect(errorOf("tcp.port == '")).toMatchObject({ message: 'The final quote was missing from a character constant.', start: 13 });
    expect(errorOf('frame[0')).toMatchObject({ message: 'The right bracket was missing from a slice.', start: 7 });
    expect(errorOf('frame[a] == 00')).toMatchObject({ message: '"a" is not a valid number.', start: 6, end: 7 });
    expect(errorOf('frame[0-] == 00')).toMatchObject({ message: '"0-" is not a valid range.', start: 6, end: 8 });
    expect(errorOf('frame[1:2:3] == 00')).toMatchObject({ message: '"1:2:3" is not a valid range.', start: 6, end: 11 });
    expect(errorOf('frame[4294967296] == 00')).toMatchObject({ message: '"4294967296" causes an integer overflow.', start: 6, end: 16 });
    expect(errorOf('frame[] == 00')).toMatchObject({ message: '"]" was unexpected in this context.', start: 6, end: 7 });
    expect(errorOf('tcp.port#a == 80')).toMatchObject({ message: 'Expected digit or "[", not "a"', start: 9, end: 10 });
    expect(errorOf('ip.src#-1 == 1.2.3.4')).toMatchObject({ message: 'Expected digit or "[", not "-"', start: 7, end: 8 });
  });
});
