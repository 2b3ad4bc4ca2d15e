/**
 * Subdomain routing: with a base domain configured, `acme.<base>` is tenant `acme`. Returns the slug, or
 * undefined on any other host (the base domain itself, another domain, a nested subdomain).
 */
export function tenantSlugFromHost(host: string | undefined, baseDomain: string | undefined): string | undefined {
  if (!host || !baseDomain) return undefined;
  const name = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  const suffix = `.${baseDomain.toLowerCase()}`;
  if (!name.endsWith(suffix)) return undefined;
  const label = name.slice(0, -suffix.length);
  return /^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$/.test(label) ? label : undefined;
}
