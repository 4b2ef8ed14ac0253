import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import proxyaddr from 'proxy-addr';

/**
 * Which proxies in front of us may say who the client is: none (`false`), the nearest `n` hops,
 * or the listed addresses, networks and proxy-addr's names `loopback`, `linklocal`, `uniquelocal`.
 */
export type TrustProxy = false | number | string[];

export type TrustFn = (address: string, hop: number) => boolean;

/**
 * Reads `TRUST_PROXY`. `true` means one hop: trusting every hop would let a client pick its own
 * address by writing `X-Forwarded-For`.
 */
export function parseTrustProxy(text: string | undefined): TrustProxy {
  if (text === undefined || text === 'false' || text === '0') return false;
  if (text === 'true') return 1;
  if (/^\d+$/.test(text)) return Number(text);
  const list = text.split(',').map((entry) => entry.trim());
  try {
    proxyaddr.compile(list);
  } catch (error) {
    throw new Error(
      `TRUST_PROXY must be false, true (one hop), a number of hops, or a comma-separated list of proxy addresses, networks (CIDR) and loopback/linklocal/uniquelocal: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return list;
}

/** The trust test Express and the WebSocket upgrade both use, so that they agree on the client. */
export function compileTrust(trust: TrustProxy): TrustFn {
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return proxyaddr.compile(trust);
}

/**
 * The client's address: the socket's peer, or, behind trusted proxies, the address the furthest
 * trusted proxy saw, whatever a client wrote further left in `X-Forwarded-For`.
 */
export function clientAddress(req: IncomingMessage, trust: TrustFn): string {
  return req.socket.remoteAddress ? proxyaddr(req, trust) : 'unknown';
}

/**
 * The key one client's counts are kept under: its IPv4 address, or the /56 network of an IPv6
 * address, since one subscriber usually holds a whole /56 or /64 and could rotate through it.
 */
export function addressKey(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${parsed.toString()}/56`).toString()}/56`;
}
