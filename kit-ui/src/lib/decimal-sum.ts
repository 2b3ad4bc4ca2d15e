/**
 * Exact sum of decimal amounts (money arrives as strings such as "153.97"): scaled to integers, added as
 * BigInt, and written back with as many decimals as the most precise term.
 */
export function sumDecimals(values: (string | number | null | undefined)[]): string {
  const terms = values.filter((v): v is string | number => v !== null && v !== undefined && v !== '').map(String);
  const scale = Math.max(0, ...terms.map((t) => (t.split('.')[1] ?? '').length));
  let total = 0n;
  for (const term of terms) {
    const negative = term.startsWith('-');
    const [whole, fraction = ''] = term.replace(/^[-+]/, '').split('.');
    const scaled = BigInt(whole + fraction.padEnd(scale, '0'));
    total += negative ? -scaled : scaled;
  }
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(scale + 1, '0');
  const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${text}` : text;
}
