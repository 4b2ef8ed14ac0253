import ipaddr from 'ipaddr.js';

/**
 * Which addresses the server may connect to on behalf of a site's configuration. Only public
 * unicast addresses, unless the operator allow-listed an internal host, IP or range; cloud
 * metadata endpoints never.
 */
export interface AddressPolicy {
  /** Null when the address may be used; otherwise why not. */
  check(hostname: string, address: string): string | null;
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

export interface AllowList {
  hosts: Set<string>;
  ranges: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]>;
}

export class AllowListError extends Error {
  override name = 'AllowListError';
}

/** Parses `PALAVER_ALLOWED_PRIVATE_HOSTS`: comma-separated host names, IPs and CIDRs. */
export function parseAllowList(text: string | undefined): AllowList {
  const list: AllowList = { hosts: new Set(), ranges: [] };
  for (const raw of (text ?? '').split(',')) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry.includes('/')) {
      try {
        list.ranges.push(ipaddr.parseCIDR(entry));
      } catch {
        throw new AllowListError(`PALAVER_ALLOWED_PRIVATE_HOSTS: "${entry}" is not a valid CIDR`);
      }
    } else if (ipaddr.isValid(entry)) {
      const addr = ipaddr.parse(entry);
      list.ranges.push([addr, addr.kind() === 'ipv4' ? 32 : 128]);
    } else if (/^[a-z0-9.-]+$/.test(entry)) {
      list.hosts.add(entry);
    } else {
      throw new AllowListError(
        `PALAVER_ALLOWED_PRIVATE_HOSTS: "${entry}" is not a host, IP or CIDR`,
      );
    }
  }
  return list;
}

export function createAddressPolicy(allow: AllowList): AddressPolicy {
  return {
    check(hostname: string, address: string): string | null {
      if (!ipaddr.isValid(address)) return `"${address}" is not an IP address`;
      const addr = effective(ipaddr.parse(address));
      const normalized = addr.toString();
      const host = hostname.toLowerCase().replace(/\.$/, '');
      if (METADATA_ADDRESSES.has(normalized) || METADATA_HOSTS.has(host)) {
        return 'cloud metadata endpoints are never reachable';
      }
      const range = addr.range();
      if (range === 'unicast') return null;
      if (range === 'linkLocal') return `link-local address ${normalized} is blocked`;
      if (allow.hosts.has(host)) return null;
      const allowed = allow.ranges.some(
        ([net, bits]) => net.kind() === addr.kind() && addr.match([net, bits] as never),
      );
      if (allowed) return null;
      return `${range} address ${normalized} is blocked (allow it with PALAVER_ALLOWED_PRIVATE_HOSTS)`;
    },
  };
}
