import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { addressKey, clientAddress, compileTrust, parseTrustProxy } from './client-address.js';

function request(peer: string, forwardedFor?: string): IncomingMessage {
  return {
    socket: { remoteAddress: peer },
    connection: { remoteAddress: peer },
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  } as unknown as IncomingMessage;
}

describe('the client address', () => {
  const spoofed = '6.6.6.6, 203.0.113.9';

  it('is the peer when no proxy is trusted, whatever the headers say', () => {
    expect(clientAddress(request('198.51.100.1', spoofed), compileTrust(false))).toBe(
      '198.51.100.1',
    );
  });

  it('is the address the trusted hop saw, never what the client wrote further left', () => {
    const oneHop = compileTrust(parseTrustProxy('true'));
    expect(clientAddress(request('10.0.0.2', spoofed), oneHop)).toBe('203.0.113.9');
    const twoHops = compileTrust(2);
    expect(clientAddress(request('10.0.0.2', '6.6.6.6, 203.0.113.9, 10.0.0.3'), twoHops)).toBe(
      '203.0.113.9',
    );
  });

  it('trusts only listed proxies', () => {
    const listed = compileTrust(parseTrustProxy('10.0.0.0/8'));
    expect(clientAddress(request('10.0.0.2', spoofed), listed)).toBe('203.0.113.9');
    // A peer outside the list is the client itself, headers or not.
    expect(clientAddress(request('192.0.2.4', spoofed), listed)).toBe('192.0.2.4');
  });

  it('counts IPv6 clients by their /56 network, and IPv4-mapped addresses as IPv4', () => {
    expect(addressKey('2001:db8:1:2ff:1:2:3:4')).toBe('2001:db8:1:200::/56');
    expect(addressKey('2001:db8:1:2aa::9')).toBe(addressKey('2001:db8:1:2ff::1'));
    expect(addressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('192.0.2.7')).toBe('192.0.2.7');
  });
});
