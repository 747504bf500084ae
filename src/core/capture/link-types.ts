/**
 * pcap/pcapng LINKTYPE_ values (tcpdump.org link-layer header types) and the names Wireshark shows for the
 * encapsulation. Only the value is stored per interface; dissection picks the link dissector from it.
 */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  IEEE802_11: 105,
  LOOP: 108,
  LINUX_SLL: 113,
  IEEE802_11_RADIOTAP: 127,
  NFLOG: 239,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

/** Wireshark's encapsulation names (frame.encap_type shows these as value strings). */
export const linkTypeNames: Record<number, string> = {
  0: 'NULL/Loopback',
  1: 'Ethernet',
  101: 'Raw IP',
  105: 'IEEE 802.11 Wireless LAN',
  108: 'OpenBSD loopback',
  113: 'Linux cooked-mode capture v1',
  127: 'IEEE 802.11 plus radiotap radio header',
  228: 'Raw IPv4',
  229: 'Raw IPv6',
  239: 'NFLOG',
  276: 'Linux cooked-mode capture v2',
};

/** Wireshark's numeric WTAP_ENCAP_ values, shown as frame.encap_type. */
export const wtapEncap: Record<number, number> = {
  0: 15,
  1: 1,
  101: 7,
  105: 20,
  108: 174,
  113: 25,
  127: 23,
  228: 129,
  229: 130,
  239: 141,
  276: 210,
};

export function linkTypeName(linkType: number): string {
  return linkTypeNames[linkType] ?? `Unknown link type ${linkType}`;
}

export function isKnownLinkType(linkType: number): boolean {
  return linkType in linkTypeNames;
}
