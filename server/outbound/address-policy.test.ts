import { beforeAll, describe, expect, it } from 'vitest';
import { AllowListError, createAddressPolicy, parseAllowList } from './address-policy.js';

const strict = createAddressPolicy(parseAllowList(''));

describe('which addresses outbound calls may reach', () => {
  it('allows public unicast addresses', () => {
    expect(strict.check('api.acme.com', '93.184.216.34', 443)).toBeNull();
    expect(strict.check('api.acme.com', '2606:2800:220:1:248:1893:25c8:1946', 443)).toBeNull();
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
      expect(strict.check('h', address, 443), address).not.toBeNull();
    }
  });

  it('sees through IPv4 wrapped in IPv6 (mapped, 6to4, NAT64)', () => {
    for (const address of [
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '2002:7f00:1::',
      '64:ff9b::a00:1',
    ]) {
      expect(strict.check('h', address, 443), address).not.toBeNull();
    }
    expect(strict.check('h', '::ffff:93.184.216.34', 443)).toBeNull();
  });

  it('blocks cloud metadata, even when allow-listed', () => {
    const permissive = createAddressPolicy(
      parseAllowList('169.254.0.0/16,fd00::/8,metadata.google.internal,100.64.0.0/10'),
    );
    expect(permissive.check('x', '169.254.169.254', 443)).toMatch(/metadata/);
    expect(permissive.check('x', 'fd00:ec2::254', 443)).toMatch(/metadata/);
    expect(permissive.check('metadata.google.internal', '8.8.8.8', 443)).toMatch(/metadata/);
    expect(permissive.check('x', '100.100.100.200', 443)).toMatch(/metadata/);
  });

  it('lets the operator allow internal hosts by name, IP or CIDR', () => {
    const policy = createAddressPolicy(
      parseAllowList(' users.internal , 10.1.2.3, 192.168.0.0/16 '),
    );
    expect(policy.check('users.internal', '10.9.9.9', 443)).toBeNull();
    expect(policy.check('other.internal', '10.1.2.3', 443)).toBeNull();
    expect(policy.check('other.internal', '192.168.44.1', 443)).toBeNull();
    expect(policy.check('other.internal', '10.1.2.4', 443)).not.toBeNull();
    expect(policy.check('other.internal', '127.0.0.1', 443)).not.toBeNull();
  });

  it('rejects a malformed allow-list with a message naming the entry', () => {
    expect(() => parseAllowList('10.0.0.0/99')).toThrow(/10.0.0.0\/99/);
    expect(() => parseAllowList('bad host!')).toThrow(/bad host!/);
  });
});

describe('the allow-list matches exactly (issue 9)', () => {
  const PRIVATE = '10.1.1.1';
  let policy: ReturnType<typeof createAddressPolicy>;
  beforeAll(() => {
    policy = createAddressPolicy(
      parseAllowList(
        'users.internal, Billing.Internal, api.internal:8443, 10.0.0.5:8443, [fd00::1]:8443, 10.9.0.0/16:9000, [fd00:9::]/32:9000, fd00:7::/32, dotted.internal.',
      ),
    );
  });

  it('does not let a trailing dot stand for the name without it, or the reverse', () => {
    const plain = createAddressPolicy(parseAllowList('users.internal, dotted.internal.'));
    expect(plain.check('users.internal', PRIVATE, 443)).toBeNull();
    expect(plain.check('users.internal.', PRIVATE, 443)).toMatch(/blocked/);
    expect(plain.check('dotted.internal.', PRIVATE, 443)).toBeNull();
    expect(plain.check('dotted.internal', PRIVATE, 443)).toMatch(/blocked/);
  });

  it('allows a listed host name on any port when the entry names none, whatever its case', () => {
    expect(policy.check('users.internal', PRIVATE, 443)).toBeNull();
    expect(policy.check('users.internal', PRIVATE, 8080)).toBeNull();
    expect(policy.check('billing.internal', PRIVATE, 443)).toBeNull();
  });

  it('does not widen a host name: trailing dot, suffix, prefix or sub-domain are other names', () => {
    for (const host of [
      'users.internal.',
      'users.internal..',
      'a.users.internal',
      'users.internal.evil.test',
      'xusers.internal',
      'users',
      'dotted.internal',
    ]) {
      expect(policy.check(host, PRIVATE, 443), host).toMatch(/blocked/);
    }
    expect(policy.check('dotted.internal.', PRIVATE, 443)).toBeNull();
  });

  it('allows an entry with a port on that port only', () => {
    expect(policy.check('api.internal', PRIVATE, 8443)).toBeNull();
    expect(policy.check('api.internal', PRIVATE, 443)).toMatch(/port 8443 only/);
    expect(policy.check('other.internal', '10.0.0.5', 8443)).toBeNull();
    expect(policy.check('other.internal', '10.0.0.5', 80)).toMatch(/port 8443 only/);
    expect(policy.check('other.internal', 'fd00::1', 8443)).toBeNull();
    expect(policy.check('other.internal', 'fd00::1', 443)).toMatch(/blocked/);
    expect(policy.check('other.internal', '10.9.3.3', 9000)).toBeNull();
    expect(policy.check('other.internal', '10.9.3.3', 9001)).toMatch(/blocked/);
    expect(policy.check('other.internal', 'fd00:9::5', 9000)).toBeNull();
    expect(policy.check('other.internal', 'fd00:9::5', 443)).toMatch(/blocked/);
    expect(policy.check('other.internal', 'fd00:7::5', 1234)).toBeNull();
  });

  it('keeps cloud metadata blocked, with or without a trailing dot or a port entry', () => {
    const permissive = createAddressPolicy(
      parseAllowList('metadata.google.internal:80, metadata.google.internal., 169.254.169.254:80'),
    );
    expect(permissive.check('metadata.google.internal', '10.0.0.1', 80)).toMatch(/metadata/);
    expect(permissive.check('metadata.google.internal.', '10.0.0.1', 80)).toMatch(/metadata/);
    expect(permissive.check('x', '169.254.169.254', 80)).toMatch(/metadata/);
  });

  it('refuses malformed entries at start, naming the entry and what to write', () => {
    for (const entry of [
      '*.internal',
      'users.internal:',
      'users.internal:0',
      'users.internal:65536',
      'users.internal:84a',
      'users..internal',
      '.internal',
      '-users.internal',
      'ünicode.internal',
      '10.1',
      '10.0.0.300',
      '0x0a.0.0.1',
      '[users.internal]:8443',
      '[fd00::1',
      'fd00::1:8443:',
      '10.0.0.0/33',
      '10.0.0.0/8:99999',
      'http://users.internal',
    ]) {
      expect(() => parseAllowList(entry), entry).toThrow(AllowListError);
      expect(() => parseAllowList(entry), entry).toThrow(entry);
    }
  });
});
