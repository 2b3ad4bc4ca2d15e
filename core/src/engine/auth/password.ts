import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => scryptCallback(password, salt, length, options, (error, key) => (error ? reject(error) : resolve(key))));

/** The key derivation, behind an object so a test can count derivations (login must cost one, whatever the email). */
export const kdf = { scrypt };

const KEY_LENGTH = 32;

/**
 * scrypt, a memory-hard KDF from Node's own crypto: `scrypt$N$r$p$salt$hash`. `salt` is the salt of the
 * email's other accounts when it has some (see login-salt.ts): one derivation then checks them all.
 */
export async function hashPassword(password: string, cost: number, salt: Buffer = randomBytes(16)): Promise<string> {
  const key = await kdf.scrypt(password, salt, KEY_LENGTH, { N: cost, r: 8, p: 1, maxmem: 256 * cost * 8 });
  return ['scrypt', cost, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
}

/** The salt of a stored hash, to share with another account of the same email; undefined if not scrypt. */
export function saltOf(stored: string): Buffer | undefined {
  const [scheme, , , , salt] = stored.split('$');
  return scheme === 'scrypt' && salt ? Buffer.from(salt, 'base64') : undefined;
}

/**
 * Which stored hashes the password matches, with ONE derivation per distinct salt and cost (not one per
 * hash): accounts of one email share their salt, so a wrong password costs the same whether the email
 * belongs to one company or five.
 */
export async function verifyPasswords(password: string, stored: string[]): Promise<boolean[]> {
  const keys = new Map<string, Promise<Buffer>>();
  return Promise.all(
    stored.map(async (hash) => {
      const cut = hash.lastIndexOf('$');
      const [scheme, n, r, p, salt] = hash.slice(0, cut).split('$');
      if (scheme !== 'scrypt') return false;
      const expected = Buffer.from(hash.slice(cut + 1), 'base64');
      const params = `${hash.slice(0, cut)}$${expected.length}`;
      let key = keys.get(params);
      if (!key) {
        const N = Number(n);
        keys.set(
          params,
          (key = kdf.scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
            N,
            r: Number(r),
            p: Number(p),
            maxmem: 256 * N * Number(r),
          })),
        );
      }
      const derived = await key;
      return derived.length === expected.length && timingSafeEqual(derived, expected);
    }),
  );
}

/** Spends the same time as a real check, so an unknown email cannot be told from a wrong password. */
let dummy: Promise<string> | undefined;
export async function verifyNothing(password: string, cost: number): Promise<false> {
  dummy ??= hashPassword('atrium-timing-equaliser', cost);
  await verifyPasswords(password, [await dummy]);
  return false;
}
