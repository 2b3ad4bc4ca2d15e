/**
 * Exact decimal arithmetic for money, on bigint: a value is `units / 10^scale`. Floating point never
 * touches an amount, so 0.1 + 0.2 is 0.3 and totals are exact to the cent.
 */
export interface Decimal {
  units: bigint;
  scale: number;
}

// Exponents as JavaScript prints numbers (1e+21, 1.5e-7): module code may well parse String(number).
const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?(?:e([+-]?\d{1,3}))?$/i;

/** Digits an amount may have before the decimal point, however it is sent (the API's bound, not the column's). */
export const MONEY_DIGITS = 15;
const pow10 = (n: number): bigint => 10n ** BigInt(n);

export function parse(value: string | number | Decimal): Decimal {
  if (typeof value === 'object') return value;
  const text = typeof value === 'number' ? plainText(value) : value.trim();
  const match = DECIMAL.exec(text);
  if (!match) throw new Error(`not a decimal: ${String(value)}`);
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  const units = BigInt(whole + fraction) * (sign ? -1n : 1n);
  const scale = fraction.length - Number(exponent);
  return scale >= 0 ? { units, scale } : { units: units * pow10(-scale), scale: 0 };
}

/**
 * A number as plain decimal text, exactly: the shortest text that reads back as the same double
 * ("0.1", not 0.1000000000000000055…), with an exponent written out (1e21, 1e-7 and 1e300 too).
 */
export function plainText(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  const text = String(value);
  const exponent = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exponent) return text;
  const [, sign, whole, fraction = '', power] = exponent;
  const digits = whole + fraction;
  const point = whole.length + Number(power);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function align(a: Decimal, scale: number): bigint {
  return a.units * pow10(scale - a.scale);
}

export function add(...values: (Decimal | string | number)[]): Decimal {
  const parsed = values.map(parse);
  const scale = Math.max(0, ...parsed.map((p) => p.scale));
  return { units: parsed.reduce((sum, p) => sum + align(p, scale), 0n), scale };
}

export function mul(a: Decimal | string | number, b: Decimal | string | number): Decimal {
  const x = parse(a);
  const y = parse(b);
  return { units: x.units * y.units, scale: x.scale + y.scale };
}

/** `a × percent / 100`, exact. */
export function percent(a: Decimal | string | number, pct: Decimal | string | number): Decimal {
  const product = mul(a, pct);
  return { units: product.units, scale: product.scale + 2 };
}

/** Rounds half away from zero to `places` decimals (the rounding accountants expect). */
export function round(value: Decimal | string | number, places: number): Decimal {
  const d = parse(value);
  if (d.scale <= places) return { units: d.units * pow10(places - d.scale), scale: places };
  const divisor = pow10(d.scale - places);
  const magnitude = d.units < 0n ? -d.units : d.units;
  let q = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) q += 1n;
  return { units: d.units < 0n ? -q : q, scale: places };
}

export function sub(a: Decimal | string | number, b: Decimal | string | number): Decimal {
  const y = parse(b);
  return add(a, { units: -y.units, scale: y.scale });
}

export function compare(a: Decimal | string | number, b: Decimal | string | number): number {
  const diff = sub(a, b).units;
  return diff === 0n ? 0 : diff < 0n ? -1 : 1;
}

/**
 * The exact sum of amounts as the API sends them ("153.97", a number, or nothing), written with as many
 * decimals as the most precise term (a column's total, a group's sum).
 */
export function sum(values: readonly (Decimal | string | number | null | undefined)[]): string {
  const total = add(...values.filter((v): v is Decimal | string | number => v !== null && v !== undefined && v !== ''));
  return format(total, total.scale);
}

/** The value as a decimal string with exactly `places` decimals ("153.90"). */
export function format(value: Decimal | string | number, places: number): string {
  const d = round(value, places);
  const negative = d.units < 0n;
  const digits = (negative ? -d.units : d.units).toString().padStart(places + 1, '0');
  const whole = places === 0 ? digits : digits.slice(0, -places);
  const fraction = places === 0 ? '' : `.${digits.slice(-places)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

const precisions = new Map<string, number>();

/**
 * Decimal places of an ISO 4217 currency (JPY 0, KWD 3, most 2). Cached: building an Intl.NumberFormat
 * costs more than the rest of a small request's own work, and every record request asks.
 */
export function currencyPrecision(currency: string): number {
  let places = precisions.get(currency);
  if (places === undefined) {
    try {
      places = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      places = 2;
    }
    if (precisions.size < 1000) precisions.set(currency, places);
  }
  return places;
}
