// @ts-check
/**
 * What the passenger's QR code carries after web check-in, and how a kiosk
 * reads it back. Pure JavaScript (no DOM), so Node tests use it too.
 *
 * - Token on the server: the QR code is the passenger key alone
 *   (`smk1_…`, 53 characters, byte mode, version 4).
 * - Token only on the phone: one QR code carries the token and the key:
 *   `SM1:` then Base45 (RFC 9285, the alphabet of the QR code's alphanumeric
 *   mode, so 5.5 bits a character instead of 8) of this record:
 *
 *   | bytes | what |
 *   |---|---|
 *   | 36 | the passenger key's bytes (32 key bytes, 4 checksum bytes) |
 *   | 12 | the token's IV |
 *   | 16 | the token's tag |
 *   | 2 | n, big-endian: length of the token's protected header |
 *   | n | the protected header (its JSON bytes; the token holds their base64url) |
 *   | rest | the token's ciphertext |
 *
 *   The token and key are rebuilt exactly (base64url is canonical), so the
 *   kiosk's `verify` sees the bytes the phone sealed. A token from one face
 *   capture is about 960 bytes of record, 1,445 characters: version 26-M.
 *
 * @example
 * const text = packPass(token, passengerKey);   // "SM1:…"
 * readPass(text);   // { kind: "combined", token, passengerKey }
 * readPass(key);    // { kind: "key", passengerKey: key }
 */

/** Prefix of the combined (token and key) payload. */
export const PASS_PREFIX = "SM1:";
/** The passenger key's shape (docs/api.md). */
export const KEY_PATTERN = /^smk1_[A-Za-z0-9_-]{48}$/;
const B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Base45 (RFC 9285). @param {Uint8Array} bytes @returns {string} */
export function base45Encode(bytes) {
  let out = "";
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    let n = bytes[i] * 256 + bytes[i + 1];
    for (let k = 0; k < 3; k++, n = Math.floor(n / 45)) out += B45[n % 45];
  }
  if (bytes.length % 2) {
    const n = bytes[bytes.length - 1];
    out += B45[n % 45] + B45[Math.floor(n / 45)];
  }
  return out;
}

/** @param {string} text @returns {Uint8Array} @throws {Error} on a character or length that is not Base45 */
export function base45Decode(text) {
  if (text.length % 3 === 1) throw new Error("not Base45: length");
  const out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 === 2 ? 1 : 0));
  const digit = (/** @type {number} */ i) => {
    const d = B45.indexOf(text[i]);
    if (d < 0) throw new Error("not Base45: character");
    return d;
  };
  let o = 0;
  for (let i = 0; i < text.length; i += 3) {
    if (i + 2 < text.length) {
      const n = digit(i) + digit(i + 1) * 45 + digit(i + 2) * 2025;
      if (n > 0xffff) throw new Error("not Base45: value");
      out[o++] = n >> 8;
      out[o++] = n & 0xff;
    } else {
      const n = digit(i) + digit(i + 1) * 45;
      if (n > 0xff) throw new Error("not Base45: value");
      out[o++] = n;
    }
  }
  return out;
}

/** Base64url without padding. @param {Uint8Array} bytes */
function b64Encode(bytes) {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let k = 0; k < chars; k++) out += B64[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

/** @param {string} text @returns {Uint8Array} */
function b64Decode(text) {
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (const c of text) {
    const d = B64.indexOf(c);
    if (d < 0) throw new Error("not base64url");
    acc = ((acc << 6) | d) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/**
 * The combined QR text for a token kept on the phone.
 * @param {string} token a compact JWE (`header..iv.ciphertext.tag`)
 * @param {string} passengerKey `smk1_…`
 * @returns {string}
 */
export function packPass(token, passengerKey) {
  if (!KEY_PATTERN.test(passengerKey)) throw new Error("not a passenger key");
  const parts = token.split(".");
  if (parts.length !== 5 || parts[1] !== "") throw new Error("not a sealmatch token");
  const [header, , iv, ciphertext, tag] = parts.map(b64Decode);
  if (header.length > 0xffff) throw new Error("token header too long");
  const key = b64Decode(passengerKey.slice(5));
  const record = new Uint8Array(36 + 12 + 16 + 2 + header.length + ciphertext.length);
  let at = 0;
  for (const part of [key, iv, tag, Uint8Array.of(header.length >> 8, header.length & 0xff), header, ciphertext]) {
    record.set(part, at);
    at += part.length;
  }
  return PASS_PREFIX + base45Encode(record);
}

/**
 * What a QR code read at a kiosk holds: a passenger key alone, or a token and
 * key from phone-only check-in; null for anything else.
 * @param {string} text
 * @returns {{ kind: "key", passengerKey: string } | { kind: "combined", passengerKey: string, token: string } | null}
 */
export function readPass(text) {
  const t = text.trim();
  if (KEY_PATTERN.test(t)) return { kind: "key", passengerKey: t };
  if (!t.startsWith(PASS_PREFIX)) return null;
  try {
    const record = base45Decode(t.slice(PASS_PREFIX.length));
    const n = (record[64] << 8) | record[65];
    if (record.length <= 66 + n) return null;
    const passengerKey = `smk1_${b64Encode(record.subarray(0, 36))}`;
    const iv = b64Encode(record.subarray(36, 48));
    const tag = b64Encode(record.subarray(48, 64));
    const header = b64Encode(record.subarray(66, 66 + n));
    const ciphertext = b64Encode(record.subarray(66 + n));
    return { kind: "combined", passengerKey, token: `${header}..${iv}.${ciphertext}.${tag}` };
  } catch {
    return null;
  }
}
