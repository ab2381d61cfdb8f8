import * as crypto from 'node:crypto';
import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/** Zoho-style token: `1000.<32 hex>.<32 hex>`. */
export function mintToken(): string {
  return `1000.${randomBytes(16).toString('hex')}.${randomBytes(16).toString('hex')}`;
}

/** Zoho-style client id: `1000.` followed by 30 upper-case letters and digits. */
export function mintClientId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = randomBytes(30);
  let out = '1000.';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

export function mintClientSecret(): string {
  return randomBytes(21).toString('hex');
}

// One-shot hashing (node 20.12+), a third of createHash's cost; every API call hashes its token.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

/** Tokens, codes and client secrets are stored only as SHA-256 hashes. */
export function hashSecret(secret: string): string {
  return oneShot ? oneShot('sha256', secret, 'hex') : createHash('sha256').update(secret).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Passwords get a salted, slow hash: `scrypt$<salt>$<hash>`. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16).toString('hex');
  return `scrypt$${salt}$${scryptSync(password, salt, 32).toString('hex')}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [kind, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  return sameHash(scryptSync(password, salt, 32).toString('hex'), hash);
}
