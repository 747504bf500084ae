import { describe, expect, it } from 'vitest';
import { dissectBytes, hexBytes } from '../../helpers/dissect';

// Expected values are what `tshark -n` (4.0) shows for the same bytes.
const ETH_HDR = 'ffffffffffff 001122334455';
const zeros = (n: number) => '00'.repeat(n);
/** IPv4, protocol 253, 8 payload bytes (28 bytes). */
const IP28 = '4500001c 0001 0000 40fd 65e2 0a000001 0a000002 3132333435363738';

describe('llc', () => {
  it('decodes a UI frame to an unknown SAP: fields, offsets, Info and data', () => {
    // STP's SAP with the group bit set is not STP: the whole octet selects the dissector.
    const d = dissectBytes(hexBytes(`${ETH_HDR} 0010 43 43 7f 00deadbeef ${zeros(12)} ${zeros(14)}`));
    expect(d.get('llc')).toMatchObject({ offset: 14, length: 3, label: 'Logical-Link Control' });
    expect(d.get('llc.dsap')).toMatchObject({ offset: 14, length: 1, value: '0x43', label: 'DSAP: Unknown (0x43)' });
    expect(d.get('llc.dsap.sap')).toMatchObject({ value: '33', label: '0100 001. = SAP: Spanning Tree BPDU' });
    expect(d.get('llc.dsap.ig')).toMatchObject({ value: '1', label: '.... ...1 = IG Bit: Group' });
    expect(d.get('llc.ssap.cr')).toMatchObject({ value: '1', label: '.... ...1 = CR Bit: Response' });
    expect(d.get('llc.control')).toMatchObject({ offset: 16, length: 1, value: '0x007f', label: 'Control field: U F, func=SABME (0x7F)' });
    expect(d.get('llc.control.f').label).toBe('...1 .... = Final: Set');
    expect(d.get('llc.control.u_modifier_resp')).toMatchObject({ value: '0x1b', label: '011. 11.. = Response: Set Asynchronous Balanced Mode Extended (0x1b)' });
    expect(d.get('llc.control.ftype').label).toBe('.... ..11 = Frame type: Unnumbered frame (0x3)');
    expect(d.protocol).toBe('LLC');
    expect(d.info).toBe('U F, func=SABME; DSAP Spanning Tree BPDU Group, SSAP Spanning Tree BPDU Response');
    expect(d.protocols).toBe('eth:llc:data');
    expect(d.get('data.data')).toMatchObject({ offset: 17, length: 13 });
  });

  it('decodes two-octet I and S control fields', () => {
    const i = dissectBytes(hexBytes(`${ETH_HDR} 0012 12 13 0a0b deadbeef ${zeros(10)} ${zeros(26)}`));
    expect(i.get('llc.control')).toMatchObject({ offset: 16, length: 2, value: '0x0b0a', label: 'Control field: I P, N(R)=5, N(S)=5 (0x0B0A)' });
    expect(i.get('llc.control.n_r')).toMatchObject({ value: '5', label: '0000 101. .... .... = N(R): 5' });
    expect(i.get('llc.control.n_s').label).toBe('.... .... 0000 101. = N(S): 5');
    expect(i.get('llc.control.p').label).toBe('.... ...1 .... .... = Poll: Set');
    expect(i.info).toBe('I P, N(R)=5, N(S)=5; DSAP 0x12 Individual, SSAP 0x12 Response');

    const s = dissectBytes(hexBytes(`${ETH_HDR} 0010 04 05 0503 deadbeef ${zeros(10)} ${zeros(28)}`));
    expect(s.get('llc.control').label).toBe('Control field: S F, func=RNR, N(R)=1 (0x0305)');
    expect(s.get('llc.control.s_ftype')).toMatchObject({ value: '0x0001', label: '.... .... .... 01.. = Supervisory frame type: Receiver not ready (0x1)' });
    expect(s.get('llc.control.ftype').label).toBe('.... .... .... ..01 = Frame type: Supervisory frame (0x1)');
    expect(s.info).toBe('S F, func=RNR, N(R)=1; DSAP SNA Path Control Individual, SSAP SNA Path Control Response');
  });

  it('hands a SNAP frame with OUI 0 to the ethertype table, with no "ethertype" layer', () => {
    const d = dissectBytes(hexBytes(`${ETH_HDR} 0024 aaaa03 000000 0800 ${IP28}`));
    expect(d.get('llc')).toMatchObject({ offset: 14, length: 8 });
    expect(d.get('llc.oui')).toMatchObject({ offset: 17, length: 3, value: '0', label: 'Organization Code: 00:00:00 (Officially Xerox, but' });
    expect(d.get('llc.type')).toMatchObject({ offset: 20, length: 2, value: '0x0800', label: 'Type: IPv4 (0x0800)' });
    expect(d.protocols).toBe('eth:llc:ip:data');
    expect(d.protocol).toBe('IPv4');
  });

  it('names the PID field by OUI and keeps LLC in the columns when nothing decodes the payload', () => {
    const cisco = dissectBytes(hexBytes(`${ETH_HDR} 0010 aaaa03 00000c 0001 deadbeef ${zeros(4)} ${zeros(30)}`));
    expect(cisco.get('llc.oui').label).toBe('Organization Code: 00:00:0c (Cisco Systems, Inc)');
    expect(cisco.get('llc.cisco_pid')).toMatchObject({ value: '0x0001', label: 'PID: Unknown (0x0001)' });
    expect(cisco.info).toBe('U, func=UI; SNAP, OUI 0x00000C (Cisco Systems, Inc), PID 0x0001');
    expect(cisco.protocol).toBe('LLC');
    expect(cisco.protocols).toBe('eth:llc:data');

    const unknown = dissectBytes(hexBytes(`${ETH_HDR} 0010 aaaa03 123456 1234 deadbeef ${zeros(4)} ${zeros(30)}`));
    expect(unknown.get('llc.oui')).toMatchObject({ value: '1193046', label: 'Organization Code: 12:34:56' });
    expect(unknown.get('llc.pid').label).toBe('Protocol ID: 0x1234');
    expect(unknown.info).toBe('U, func=UI; SNAP, OUI 0x123456 (Unknown), PID 0x1234');
  });

  it('cuts long OUI names in the label as Wireshark does, not in Info', () => {
    const d = dissectBytes(hexBytes(`${ETH_HDR} 0010 aaaa03 00005e 0001 deadbeef ${zeros(4)} ${zeros(30)}`));
    expect(d.get('llc.oui').label).toBe('Organization Code: 00:00:5e (ICANN, IANA Departmen');
    expect(d.get('llc.iana_pid').label).toBe('PID: MARS Data Messages (short form) (0x0001)');
    expect(d.info).toBe('U, func=UI; SNAP, OUI 0x00005E (ICANN, IANA Department), PID 0x0001');
  });

  it('marks a frame too short for its header as malformed', () => {
    const d = dissectBytes(hexBytes(`${ETH_HDR} 0002 aaaa`));
    expect(d.has('_ws.malformed')).toBe(true);
    expect(d.protocols).toBe('eth:llc');
  });
});
