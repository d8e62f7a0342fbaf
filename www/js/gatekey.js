// @ts-check
/**
 * This gate device's signing key: an ECDSA P-256 key pair made once with
 * WebCrypto, its private half non-extractable, kept in IndexedDB (a CryptoKey
 * is stored by structured clone, so the private key's bytes never reach
 * JavaScript). The server knows the public key under a key id derived from it
 * and checks the device's signature on every report that boards a bag
 * (server/README.md, "Kiosk-signed boarding results").
 *
 * Signed message (ASCII, no trailing newline):
 * `sealmatch-boarding-v1\n<bagTag>\n<matched|not_matched|manual>\n<challenge>`;
 * signature: ECDSA with SHA-256, WebCrypto's 64-byte `r || s`, base64url
 * without padding.
 *
 * @example
 * const gate = await loadGateKey();
 * gate.kid;        // "gate-Xy3…" (12 base64url characters of SHA-256 of the public key)
 * gate.publicKey;  // base64url of the 65-byte raw public key
 * const proof = await gate.prove("0117123456", "matched", challenge);
 * // { kid, challenge, sig }: the report's `proof` member
 */

const DB_NAME = "sealmatch-gate";
const STORE = "keys";
const RECORD = "device";
const CONTEXT = "sealmatch-boarding-v1";
const ALGORITHM = { name: "ECDSA", namedCurve: "P-256" };
const SIGNATURE = { name: "ECDSA", hash: "SHA-256" };

/** @typedef {"matched" | "not_matched" | "manual"} ResultWord */

/**
 * @typedef {object} GateKey
 * @property {string} kid the key id the server knows this device by
 * @property {string} publicKey base64url of the raw (65-byte) public key
 * @property {(bagTag: string, result: ResultWord, challenge: string) => Promise<{ kid: string, challenge: string, sig: string }>} prove
 *   signs a boarding result over the server's challenge
 */

/** base64url without padding. @param {ArrayBuffer | Uint8Array} bytes */
export function base64url(bytes) {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let bin = "";
  for (const x of b) bin += String.fromCharCode(x);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * The exact text a gate signs.
 * @param {string} bagTag @param {ResultWord} result @param {string} challenge
 */
export function boardingMessage(bagTag, result, challenge) {
  return `${CONTEXT}\n${bagTag}\n${result}\n${challenge}`;
}

/** @returns {Promise<IDBDatabase>} */
function openDb() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/**
 * One request in its own transaction.
 * @param {IDBDatabase} db @param {IDBTransactionMode} mode
 * @param {(s: IDBObjectStore) => IDBRequest} op
 * @returns {Promise<any>}
 */
function request(db, mode, op) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = op(tx.objectStore(STORE));
    let result;
    req.onsuccess = () => (result = req.result);
    tx.oncomplete = () => resolve(result);
    tx.onabort = tx.onerror = () => reject(tx.error ?? req.error);
  });
}

/** @param {CryptoKey} publicKey */
async function describe(publicKey) {
  const raw = await crypto.subtle.exportKey("raw", publicKey);
  const digest = await crypto.subtle.digest("SHA-256", raw);
  return { kid: `gate-${base64url(digest).slice(0, 12)}`, publicKey: base64url(raw) };
}

/**
 * This device's gate key, made on first use and kept in IndexedDB.
 * @returns {Promise<GateKey>}
 */
export async function loadGateKey() {
  if (!globalThis.crypto?.subtle || !globalThis.indexedDB) {
    throw Object.assign(new Error("This browser cannot keep a gate signing key (WebCrypto and IndexedDB need a secure context)."), { code: "GATE_KEY_UNAVAILABLE" });
  }
  const db = await openDb();
  try {
    /** @type {CryptoKeyPair | undefined} */
    let pair = await request(db, "readonly", (s) => s.get(RECORD));
    if (!pair) {
      const made = /** @type {CryptoKeyPair} */ (await crypto.subtle.generateKey(ALGORITHM, false, ["sign", "verify"]));
      try {
        // `add` fails if another tab stored a key in the meantime: keep that one
        await request(db, "readwrite", (s) => s.add({ privateKey: made.privateKey, publicKey: made.publicKey }, RECORD));
      } catch {
        /* lost the race */
      }
      pair = await request(db, "readonly", (s) => s.get(RECORD));
      if (!pair) throw new Error("the gate key could not be stored");
    }
    const { privateKey, publicKey } = /** @type {CryptoKeyPair} */ (pair);
    const { kid, publicKey: publicB64 } = await describe(publicKey);
    return {
      kid,
      publicKey: publicB64,
      async prove(bagTag, result, challenge) {
        const data = new TextEncoder().encode(boardingMessage(bagTag, result, challenge));
        const sig = await crypto.subtle.sign(SIGNATURE, privateKey, data);
        return { kid, challenge, sig: base64url(sig) };
      },
    };
  } finally {
    db.close();
  }
}
