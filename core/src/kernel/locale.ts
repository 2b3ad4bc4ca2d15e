const regions = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/**
 * The canonical form of a locale the runtime can format in ("ja-jp" → "ja-JP"), or undefined: the tag must be
 * well-formed, a language Intl has data for (not "xx-nonsense"), with at most a script and a known region
 * (no variants or extensions, which format nothing differently for a company).
 */
export function canonicalLocale(tag: string): string | undefined {
  let canonical: string;
  try {
    [canonical] = Intl.getCanonicalLocales(tag);
  } catch {
    return undefined;
  }
  const { language, script, region } = new Intl.Locale(canonical);
  if ([language, script, region].filter(Boolean).join('-') !== canonical) return undefined;
  if (region !== undefined && regions.of(region) === undefined) return undefined;
  return Intl.DateTimeFormat.supportedLocalesOf(canonical).length === 1 ? canonical : undefined;
}
