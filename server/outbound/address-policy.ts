import ipaddr from 'ipaddr.js';

/**
 * Which addresses the server may connect to on behalf of a site's configuration. Only public
 * unicast addresses, unless the operator allow-listed an internal host, IP or range; cloud
 * metadata endpoints never.
 */
export interface AddressPolicy {
  /** Null when connecting to `address`:`port` for the URL host `hostname` is allowed; else why not. */
  check(hostname: string, address: string, port: number): string | null;
}

const METADATA_ADDRESSES = new Set([
  '169.254.169.254',
  '169.254.170.2',
  '100.100.100.200',
  '192.0.0.192',
  'fd00:ec2::254',
]);
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata', 'metadata.azure.internal']);

/** Unwraps IPv4 carried inside IPv6 (mapped, 6to4, NAT64, Teredo) so it is judged as IPv4. */
function effective(addr: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  if (addr.kind() === 'ipv6') {
    const v6 = addr as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
    const parts = v6.toByteArray();
    const range = v6.range();
    if (range === '6to4') return ipaddr.fromByteArray(parts.slice(2, 6));
    if (range === 'rfc6052' || range === 'rfc6145')
      return ipaddr.fromByteArray(parts.slice(12, 16));
    if (range === 'teredo') {
      return ipaddr.fromByteArray(parts.slice(12, 16).map((b) => b ^ 0xff));
    }
  }
  return addr;
}

/** An allow-list entry that names no port allows every port. */
interface HostEntry {
  host: string;
  port: number | null;
}
interface RangeEntry {
  range: [ipaddr.IPv4 | ipaddr.IPv6, number];
  port: number | null;
}

export interface AllowList {
  hosts: HostEntry[];
  ranges: RangeEntry[];
}

export class AllowListError extends Error {
  override name = 'AllowListError';
}

const LABEL = '[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?';
/** A DNS name in ASCII (punycode), optionally with the trailing dot of a fully qualified name. */
const HOST_NAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*\\.?$`);
/** URL parsers read a host whose last label is a number as an IPv4 address, not a name. */
const NUMERIC_LAST_LABEL = /(?:^|\.)(?:\d+|0x[0-9a-f]*)\.?$/;

function parsePort(text: string, entry: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : 0;
  if (port < 1 || port > 65535) {
    throw new AllowListError(
      `PALAVER_ALLOWED_PRIVATE_HOSTS: "${entry}" has no valid port (1 to 65535 after the colon)`,
    );
  }
  return port;
}

/** Strict IPv4 (four decimal parts) or IPv6: no shorthand forms that would match unexpectedly. */
function parseAddress(text: string, v6Only: boolean): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (!v6Only && ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  return ipaddr.IPv6.isValid(text) ? ipaddr.IPv6.parse(text) : null;
}

/**
 * One entry: `host[:port]`, `ipv4[:port]`, `ipv4/bits[:port]`, a bare `ipv6` or `ipv6/bits`, or
 * `[ipv6][/bits][:port]` (brackets are needed for a port). Case does not matter.
 */
function parseEntry(entry: string, list: AllowList): void {
  const bad = (why: string) =>
    new AllowListError(`PALAVER_ALLOWED_PRIVATE_HOSTS: "${entry}" ${why}`);
  let base = entry;
  let port: number | null = null;
  let v6Only = false;
  const bracketed = /^\[([^\]]*)\](\/\d+)?(?::(.*))?$/.exec(entry);
  if (bracketed) {
    base = `${bracketed[1] ?? ''}${bracketed[2] ?? ''}`;
    if (bracketed[3] !== undefined) port = parsePort(bracketed[3], entry);
    v6Only = true;
  } else if (entry.split(':').length === 2) {
    const [before = '', after = ''] = entry.split(':');
    base = before;
    port = parsePort(after, entry);
  }
  const [addressText = '', bits, ...extra] = base.split('/');
  const address = parseAddress(addressText, v6Only);
  if (bits !== undefined || address) {
    const max = address?.kind() === 'ipv4' ? 32 : 128;
    const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : -1;
    if (!address || extra.length > 0 || prefix < 0 || prefix > max) {
      throw bad('is not a valid IP address or CIDR range (e.g. 10.0.12.0/24 or [fd00::]/8:8443)');
    }
    list.ranges.push({ range: [address, prefix], port });
    return;
  }
  if (v6Only) throw bad('is not an IPv6 address: brackets are for IPv6 only');
  if (base.includes('*')) throw bad('is a wildcard: list each host name exactly');
  if (!HOST_NAME.test(base)) {
    throw bad('is not a host name, IP or CIDR (host names in ASCII, e.g. users.internal:8443)');
  }
  if (NUMERIC_LAST_LABEL.test(base)) throw bad('is neither a host name nor a valid IPv4 address');
  list.hosts.push({ host: base, port });
}

/**
 * Parses `PALAVER_ALLOWED_PRIVATE_HOSTS`: comma-separated exact host names, IPs and CIDR ranges,
 * each optionally with a port. A host name matches only itself (a trailing dot makes another
 * name); an entry with a port matches only that port, one without matches every port.
 */
export function parseAllowList(text: string | undefined): AllowList {
  const list: AllowList = { hosts: [], ranges: [] };
  for (const raw of (text ?? '').split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry) parseEntry(entry, list);
  }
  return list;
}

export function createAddressPolicy(allow: AllowList): AddressPolicy {
  return {
    check(hostname: string, address: string, port: number): string | null {
      if (!ipaddr.isValid(address)) return `"${address}" is not an IP address`;
      const addr = effective(ipaddr.parse(address));
      const normalized = addr.toString();
      const host = hostname.toLowerCase();
      // Blocking may be broad: with or without the trailing dot it is the same metadata host.
      if (METADATA_ADDRESSES.has(normalized) || METADATA_HOSTS.has(host.replace(/\.$/, ''))) {
        return 'cloud metadata endpoints are never reachable';
      }
      const range = addr.range();
      if (range === 'unicast') return null;
      if (range === 'linkLocal') return `link-local address ${normalized} is blocked`;
      const listed = [
        ...allow.hosts.filter((entry) => entry.host === host),
        ...allow.ranges.filter(
          (entry) =>
            entry.range[0].kind() === addr.kind() && addr.match(entry.range as [never, number]),
        ),
      ];
      if (listed.some((entry) => entry.port === null || entry.port === port)) return null;
      const ports = listed.map((entry) => entry.port).join(', ');
      return listed.length > 0
        ? `${range} address ${normalized} is blocked on port ${port}: PALAVER_ALLOWED_PRIVATE_HOSTS allows it on port ${ports} only`
        : `${range} address ${normalized} is blocked (allow it with PALAVER_ALLOWED_PRIVATE_HOSTS)`;
    },
  };
}
