// The satellite's address classifier and dial policy (hostile review F15): which IPs are
// private, loopback, link-local or otherwise special, at the edges of each range, in both
// families and in the IPv6 forms that carry an IPv4 address; and what 'auto' decides.
import { describe, expect, it } from 'vitest';
import { dialPolicy, isLoopbackAddress, parseAllowPrivateAddresses, specialRange } from '../../src/satellite/contact/index.js';
import { loadSatelliteConfig } from '../../src/satellite/load-config.js';
import { SATELLITE_DEFAULTS } from '../../src/satellite/index.js';

const nameOf = (ip: string): string | undefined => specialRange(ip)?.name;

describe('specialRange, IPv4', () => {
  // [first address in, last address in, the address just outside on each side]
  const edges: [string, string, string, string | undefined, string][] = [
    // range, first, last, just below, just above
    ['0.0.0.0/8', '0.0.0.0', '0.255.255.255', undefined, '1.0.0.0'],
    ['10.0.0.0/8', '10.0.0.0', '10.255.255.255', '9.255.255.255', '11.0.0.0'],
    ['100.64.0.0/10', '100.64.0.0', '100.127.255.255', '100.63.255.255', '100.128.0.0'],
    ['127.0.0.0/8', '127.0.0.0', '127.255.255.255', '126.255.255.255', '128.0.0.0'],
    ['169.254.0.0/16', '169.254.0.0', '169.254.255.255', '169.253.255.255', '169.255.0.0'],
    ['172.16.0.0/12', '172.16.0.0', '172.31.255.255', '172.15.255.255', '172.32.0.0'],
    ['192.168.0.0/16', '192.168.0.0', '192.168.255.255', '192.167.255.255', '192.169.0.0'],
    ['198.18.0.0/15', '198.18.0.0', '198.19.255.255', '198.17.255.255', '198.20.0.0'],
    ['192.0.2.0/24', '192.0.2.0', '192.0.2.255', '192.0.1.255', '192.0.3.0'],
    ['203.0.113.0/24', '203.0.113.0', '203.0.113.255', '203.0.112.255', '203.0.114.0']
  ];
  for (const [range, first, last, below, above] of edges) {
    it(`${range}: both ends in, the neighbours out`, () => {
      expect(specialRange(first)?.range).toBe(range);
      expect(specialRange(last)?.range).toBe(range);
      if (below) expect(specialRange(below)).toBeUndefined();
      expect(specialRange(above)).toBeUndefined();
    });
  }

  it('names loopback, private, link-local, CGN, multicast, reserved and broadcast', () => {
    expect(specialRange('127.0.0.1')).toEqual({ name: 'loopback', range: '127.0.0.0/8', internal: true });
    expect(nameOf('10.1.2.3')).toBe('private');
    expect(nameOf('172.20.0.5')).toBe('private');
    expect(nameOf('192.168.1.1')).toBe('private');
    expect(nameOf('169.254.169.254')).toBe('link-local');
    expect(nameOf('100.100.100.100')).toMatch(/carrier-grade NAT/);
    expect(nameOf('0.0.0.0')).toMatch(/this network/);
    expect(specialRange('224.0.0.0')?.range).toBe('224.0.0.0/4');
    expect(specialRange('239.255.255.255')?.range).toBe('224.0.0.0/4');
    expect(specialRange('240.0.0.0')?.range).toBe('240.0.0.0/4');
    expect(specialRange('255.255.255.255')?.range).toBe('240.0.0.0/4');
    expect(specialRange('223.255.255.255')).toBeUndefined();
  });

  it('passes public addresses', () => {
    for (const ip of ['1.1.1.1', '8.8.8.8', '93.184.216.34', '172.15.0.1', '172.32.0.1', '192.169.0.1', '100.63.0.1', '100.128.0.1', '11.0.0.1', '126.0.0.1', '128.0.0.1', '169.255.0.1', '198.20.0.1', '223.1.2.3']) {
      expect(specialRange(ip), ip).toBeUndefined();
    }
  });
});

describe('specialRange, IPv6', () => {
  it('names loopback, unspecified, unique local, link-local, site-local and multicast, at their edges', () => {
    expect(specialRange('::1')).toEqual({ name: 'loopback', range: '::1/128', internal: true });
    expect(nameOf('::')).toMatch(/unspecified/);
    expect(specialRange('fc00::')?.range).toBe('fc00::/7');
    expect(specialRange('fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')?.range).toBe('fc00::/7');
    expect(specialRange('fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')?.range).toBe('not 2000::/3');
    expect(specialRange('fe80::')?.range).toBe('fe80::/10');
    expect(specialRange('fe80::1%eth0')?.range).toBe('fe80::/10');
    expect(specialRange('febf:ffff::1')?.range).toBe('fe80::/10');
    expect(specialRange('fec0::1')?.range).toBe('fec0::/10');
    expect(specialRange('ff02::1')?.range).toBe('ff00::/8');
    expect(specialRange('FF0E::1')?.range).toBe('ff00::/8');
    expect(specialRange('fd12:3456::1')?.internal).toBe(true);
  });

  it('names documentation, discard, IETF assignments and everything outside global unicast', () => {
    expect(specialRange('2001:db8::1')?.range).toBe('2001:db8::/32');
    expect(specialRange('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff')?.range).toBe('2001:db8::/32');
    expect(specialRange('2001:db9::1')).toBeUndefined();
    expect(specialRange('3fff::1')?.range).toBe('3fff::/20');
    expect(specialRange('3fff:0fff:ffff::1')?.range).toBe('3fff::/20');
    expect(specialRange('3fff:1000::1')).toBeUndefined();
    expect(specialRange('100::1')?.range).toBe('100::/64');
    // Teredo (2001::/32) and the rest of 2001::/23; 2001:200:: is just past it.
    expect(specialRange('2001::1')?.range).toBe('2001::/23');
    expect(specialRange('2001:1ff:ffff::1')?.range).toBe('2001::/23');
    expect(specialRange('2001:200::1')).toBeUndefined();
    expect(specialRange('1fff:ffff::1')?.range).toBe('not 2000::/3');
    expect(specialRange('4000::1')?.range).toBe('not 2000::/3');
    // IPv4-compatible (deprecated) and the rest of ::/8.
    expect(specialRange('::8.8.8.8')?.range).toBe('::/8');
  });

  it('passes public addresses', () => {
    for (const ip of ['2606:4700:4700::1111', '2001:4860:4860::8888', '2a00:1450:4001:80b::200e', '2000::1', '3ffe::1']) expect(specialRange(ip), ip).toBeUndefined();
  });

  it('judges IPv4-mapped, NAT64 and 6to4 addresses by the IPv4 address they carry', () => {
    expect(specialRange('::ffff:127.0.0.1')).toEqual({ name: 'IPv4-mapped loopback', range: '::ffff:0:0/96 of 127.0.0.0/8', internal: true });
    // The same address written in hex.
    expect(specialRange('::ffff:7f00:1')?.name).toBe('IPv4-mapped loopback');
    expect(specialRange('::ffff:10.0.0.1')?.name).toBe('IPv4-mapped private');
    expect(specialRange('::ffff:a00:1')?.name).toBe('IPv4-mapped private');
    expect(specialRange('::ffff:169.254.169.254')?.name).toBe('IPv4-mapped link-local');
    expect(specialRange('::ffff:192.168.255.255')?.name).toBe('IPv4-mapped private');
    expect(specialRange('::ffff:192.169.0.0')).toBeUndefined();
    expect(specialRange('::ffff:8.8.8.8')).toBeUndefined();
    expect(specialRange('0:0:0:0:0:ffff:0a00:0001')?.name).toBe('IPv4-mapped private');
    expect(specialRange('64:ff9b::10.0.0.1')?.name).toBe('NAT64 private');
    expect(specialRange('64:ff9b::8.8.8.8')).toBeUndefined();
    expect(specialRange('64:ff9b:1::1')?.range).toBe('64:ff9b:1::/48');
    expect(specialRange('2002:0a00:0001::1')?.name).toBe('6to4 private');
    expect(specialRange('2002:7f00:0001::')?.name).toBe('6to4 loopback');
    expect(specialRange('2002:0808:0808::1')).toBeUndefined();
  });

  it('refuses what is not an IP address', () => {
    expect(nameOf('example.com')).toBe('not an IP address');
    expect(nameOf('1.2.3.4.5')).toBe('not an IP address');
    expect(nameOf('')).toBe('not an IP address');
  });
});

describe('the dial policy', () => {
  it('auto allows special addresses only to a satellite whose listen and announce addresses are all loopback', () => {
    expect(dialPolicy('auto', ['/ip4/127.0.0.1/tcp/0']).allowPrivate).toBe(true);
    expect(dialPolicy('auto', ['/ip4/127.0.0.1/tcp/0', '/ip6/::1/tcp/0', '/dns4/localhost/tcp/1']).allowPrivate).toBe(true);
    // A cloud VM listens on its private interface address behind a public one (review 11).
    expect(dialPolicy('auto', ['/ip4/10.0.0.2/tcp/7777']).allowPrivate).toBe(false);
    expect(dialPolicy('auto', ['/ip4/127.0.0.1/tcp/0', '/ip4/172.31.5.5/tcp/7777']).allowPrivate).toBe(false);
    expect(dialPolicy('auto', ['/ip4/0.0.0.0/tcp/7777']).allowPrivate).toBe(false);
    expect(dialPolicy('auto', ['/ip6/::/tcp/7777']).allowPrivate).toBe(false);
    expect(dialPolicy('auto', ['/ip4/203.0.113.5/tcp/7777']).allowPrivate).toBe(false);
    expect(dialPolicy('auto', ['/ip4/8.8.8.8/tcp/7777']).allowPrivate).toBe(false);
    // Behind NAT, announcing a public address or a public name: not a private network.
    expect(dialPolicy('auto', ['/ip4/192.168.1.5/tcp/7777', '/ip4/8.8.4.4/tcp/7777']).allowPrivate).toBe(false);
    expect(dialPolicy('auto', ['/ip4/192.168.1.5/tcp/7777', '/dns4/satellite.example.com/tcp/7777']).allowPrivate).toBe(false);
    expect(dialPolicy('auto', []).allowPrivate).toBe(false);
    expect(isLoopbackAddress('not a multiaddr')).toBe(false);
  });

  it('true and false override auto, and the policy names the setting', () => {
    expect(dialPolicy(true, ['/ip4/0.0.0.0/tcp/7777']).allowPrivate).toBe(true);
    const off = dialPolicy(false, ['/ip4/127.0.0.1/tcp/0']);
    expect(off.allowPrivate).toBe(false);
    expect(off.setting).toBe('allowPrivateAddresses is false');
    expect(off.refuses('127.0.0.1')?.name).toBe('loopback');
    expect(off.refuses('8.8.8.8')).toBeUndefined();
    expect(dialPolicy(true, []).refuses('127.0.0.1')).toBeUndefined();
    expect(dialPolicy(true, []).refuses('10.1.2.3')).toBeUndefined();
    // Link-local (cloud metadata services) is refused whatever the setting.
    for (const ip of ['169.254.169.254', '::ffff:169.254.169.254', 'fe80::1']) {
      expect(dialPolicy(true, []).refuses(ip)?.name, ip).toMatch(/link-local$/);
      expect(dialPolicy('auto', ['/ip4/127.0.0.1/tcp/0']).refuses(ip)?.name, ip).toMatch(/link-local$/);
    }
    expect(dialPolicy('auto', ['/ip4/0.0.0.0/tcp/1']).setting).toMatch(/allowPrivateAddresses is auto/);
  });

  it('is read from the flag, the environment and the file, auto by default', () => {
    expect(SATELLITE_DEFAULTS.allowPrivateAddresses).toBe('auto');
    expect(loadSatelliteConfig([], {}).allowPrivateAddresses).toBe('auto');
    expect(loadSatelliteConfig(['--allow-private-addresses', 'true'], {}).allowPrivateAddresses).toBe(true);
    expect(loadSatelliteConfig(['--allow-private-addresses', 'false'], { STOWAGE_SATELLITE_ALLOW_PRIVATE_ADDRESSES: 'true' }).allowPrivateAddresses).toBe(false);
    expect(loadSatelliteConfig([], { STOWAGE_SATELLITE_ALLOW_PRIVATE_ADDRESSES: 'FALSE' }).allowPrivateAddresses).toBe(false);
    expect(loadSatelliteConfig([], { STOWAGE_SATELLITE_ALLOW_PRIVATE_ADDRESSES: 'auto' }).allowPrivateAddresses).toBe('auto');
    expect(parseAllowPrivateAddresses(true, 'file')).toBe(true);
    expect(parseAllowPrivateAddresses(undefined, 'file')).toBeUndefined();
    expect(() => loadSatelliteConfig([], { STOWAGE_SATELLITE_ALLOW_PRIVATE_ADDRESSES: 'yes' })).toThrow(/STOWAGE_SATELLITE_ALLOW_PRIVATE_ADDRESSES must be true, false or auto/);
    expect(() => parseAllowPrivateAddresses(1, 'allowPrivateAddresses in the config file')).toThrow(/allowPrivateAddresses/);
  });
});
