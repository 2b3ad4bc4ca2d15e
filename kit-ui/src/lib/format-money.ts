import type { Tenant } from '@atrium/protocol';

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(tenant: Pick<Tenant, 'currency' | 'locale'>): Intl.NumberFormat {
  const key = `${tenant.locale}|${tenant.currency}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.NumberFormat(tenant.locale, { style: 'currency', currency: tenant.currency });
    formatters.set(key, format);
  }
  return format;
}

/**
 * An amount in the tenant's currency and locale. The API sends money as exact decimal strings, and
 * Intl formats such strings without going through a float. Totals use it too: they match the cards to the cent.
 */
export function formatMoney(value: unknown, tenant: Pick<Tenant, 'currency' | 'locale'>): string {
  if (value === null || value === undefined || value === '') return '';
  return formatter(tenant).format(String(value) as Intl.StringNumericLiteral);
}

/** The currency's symbol as the locale writes it ("$", "€"), for input adornments. */
export function currencySymbol(tenant: Pick<Tenant, 'currency' | 'locale'>): string {
  return (
    formatter(tenant)
      .formatToParts(0)
      .find((p) => p.type === 'currency')?.value ?? tenant.currency
  );
}
