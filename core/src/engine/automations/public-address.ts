import { lookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Addresses a webhook may not reach unless the platform allows private networks (the SSRF of
 * docs/research security cases: an admin's webhook must not probe the servers' own network). IANA's
 * special-purpose ranges: this host, private, shared (CGNAT), loopback, link-local (cloud metadata at
 * 169.254.169.254), documentation, benchmarking, multicast and reserved; in IPv6 also unique-local,
 * link-local, and the ranges that embed an IPv4 address (NAT64, 6to4). BlockList checks an IPv4-mapped
 * IPv6 address (`::ffff:127.0.0.1`) against the IPv4 ranges itself.
 */
const NOT_PUBLIC = new BlockList();
const IPV4: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const IPV6: [string, number][] = [
  ['::', 96],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
];
for (const [network, prefix] of IPV4) NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of IPV6) NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');

export const isPublicAddress = (address: string): boolean => !NOT_PUBLIC.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');

/** Why a URL's host may not be reached when it is an address (`[::1]` as URL writes it); undefined for a public one or a name. */
export function addressRefusal(hostname: string): string | undefined {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) && !isPublicAddress(host) ? `${host} is not a public address` : undefined;
}

/**
 * dns.lookup for the webhook's connection that fails when the name has any address that is not public.
 * The socket connects to the addresses checked here: there is no second lookup a rebinding name could
 * answer differently.
 */
export const publicLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '');
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused) return callback(new Error(`${hostname} resolves to ${refused.address}, which is not a public address`), '');
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};
