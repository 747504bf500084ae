/**
 * Organisation names for the OUIs that appear in protocol headers (SNAP, 802.11 vendor-specific elements), as
 * Wireshark names them from the IEEE registry. A small table: Fathom does not resolve every MAC vendor.
 */
export const ouiNames: Readonly<Record<number, string>> = {
  0x000000: 'Officially Xerox, but 0:0:0:0:0:0 is more common',
  0x00000c: 'Cisco Systems, Inc',
  0x00000e: 'Fujitsu Limited',
  0x00005e: 'ICANN, IANA Department',
  0x000081: 'Bay Networks',
  0x0000f8: 'Digital Equipment Corporation',
  0x0001e8: 'Force10 Networks, Inc.',
  0x00032f: 'Global Sun Technology, Inc.',
  0x000393: 'Apple, Inc.',
  0x00037f: 'Atheros Communications, Inc.',
  0x00049a: 'Cisco Systems, Inc',
  0x000af5: 'Airgo Networks, Inc.',
  0x000b86: 'Hewlett Packard Enterprise',
  0x000c43: 'Ralink Technology, Corp.',
  0x000ce7: 'MediaTek Inc.',
  0x000fac: 'Ieee 802.11',
  0x001018: 'Broadcom',
  0x001392: 'Ruckus Wireless',
  0x00146c: 'Netgear',
  0x00156d: 'Ubiquiti Inc',
  0x0017f2: 'Apple, Inc.',
  0x001958: 'Bluetooth SIG, Inc.',
  0x001a11: 'Google, Inc.',
  0x001b3f: 'ProCurve Networking by HP',
  0x002686: 'Quantenna Communcations, Inc.',
  0x004096: 'Cisco Systems, Inc',
  0x0050f2: 'Microsoft Corp.',
  0x0080c2: 'IEEE',
  0x00904c: 'Epigram, Inc.',
  0x00a0c9: 'Intel (PRO100B and PRO100+)',
  0x00e02b: 'Extreme Networks Headquarters',
  0x00e04c: 'Realtek Semiconductor Corp.',
  0x00e052: 'Brocade Communications Systems LLC',
  0x080007: 'Apple, Inc.',
  0x506f9a: 'Wi-Fi Alliance',
  0x8cfdf0: 'Qualcomm Inc.',
};

/** "00:00:0c" */
export function formatOui(oui: number): string {
  const h = (n: number) => n.toString(16).padStart(2, '0');
  return `${h((oui >> 16) & 255)}:${h((oui >> 8) & 255)}:${h(oui & 255)}`;
}

/**
 * The value text of a BASE_OUI field in a label: "00:00:0c (Cisco Systems, Inc)". Wireshark formats it
 * into a 32-octet buffer, so longer texts lose their end — the closing parenthesis too (not so in Info).
 */
export function ouiLabel(oui: number): string {
  const name = ouiNames[oui];
  if (name === undefined) return formatOui(oui);
  const text = `${formatOui(oui)} (${name})`;
  return text.length > 31 ? text.slice(0, 31) : text;
}
