import { describe, expect, it } from 'vitest';
import { createAddressPolicy, parseAllowList } from './address-policy.js';

const strict = createAddressPolicy(parseAllowList(''));

describe('which addresses outbound calls may reach', () => {
  it('allows public unicast addresses', () => {
    expect(strict.check('api.acme.com', '93.184.216.34')).toBeNull();
    expect(strict.check('api.acme.com', '2606:2800:220:1:248:1893:25c8:1946')).toBeNull();
  });

  it('blocks loopback, private, link-local, CGNAT, unique-local, multicast and unspecified', () => {
    for (const address of [
      '127.0.0.1',
      '127.8.8.8',
      '10.0.0.1',
      '172.16.5.5',
      '192.168.1.1',
      '169.254.1.1',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fc00::1',
      'fd12:3456::1',
      'fe80::1',
      'ff02::1',
    ]) {
      expect(strict.check('h', address), address).not.toBeNull();
    }
  });

  it('sees through IPv4 wrapped in IPv6 (mapped, 6to4, NAT64)', () => {
    for (const address of [
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '2002:7f00:1::',
      '64:ff9b::a00:1',
    ]) {
      expect(strict.check('h', address), address).not.toBeNull();
    }
    expect(strict.check('h', '::ffff:93.184.216.34')).toBeNull();
  });

  it('blocks cloud metadata, even when allow-listed', () => {
    const permissive = createAddressPolicy(
      parseAllowList('169.254.0.0/16,fd00::/8,metadata.google.internal,100.64.0.0/10'),
    );
    expect(permissive.check('x', '169.254.169.254')).toMatch(/metadata/);
    expect(permissive.check('x', 'fd00:ec2::254')).toMatch(/metadata/);
    expect(permissive.check('metadata.google.internal', '8.8.8.8')).toMatch(/metadata/);
    expect(permissive.check('x', '100.100.100.200')).toMatch(/metadata/);
  });

  it('lets the operator allow internal hosts by name, IP or CIDR', () => {
    const policy = createAddressPolicy(
      parseAllowList(' users.internal , 10.1.2.3, 192.168.0.0/16 '),
    );
    expect(policy.check('users.internal', '10.9.9.9')).toBeNull();
    expect(policy.check('other.internal', '10.1.2.3')).toBeNull();
    expect(policy.check('other.internal', '192.168.44.1')).toBeNull();
    expect(policy.check('other.internal', '10.1.2.4')).not.toBeNull();
    expect(policy.check('other.internal', '127.0.0.1')).not.toBeNull();
  });

  it('rejects a malformed allow-list with a message naming the entry', () => {
    expect(() => parseAllowList('10.0.0.0/99')).toThrow(/10.0.0.0\/99/);
    expect(() => parseAllowList('bad host!')).toThrow(/bad host!/);
  });
});
