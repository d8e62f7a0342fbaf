// @ts-check
/**
 * Client of the reference token service (server/openapi.yaml). Every call
 * sends the kiosk key as `Authorization: Bearer KEY`. Only tokens, bag tags,
 * booking references, flights and match results travel; never an image,
 * template or passenger key.
 *
 * Failures throw {@link ApiError} with the server's error code
 * (`not_found`, `conflict`, `unauthorized`, ...) and the HTTP status.
 *
 * @example
 * const api = new Api(() => sessionStorage.getItem("sealmatch.kioskKey"));
 * await api.putToken("0117123456", token);
 * const token = await api.getToken("0117123456");
 */

export class ApiError extends Error {
  /** @param {number} status @param {string} code @param {string} message */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export class Api {
  /**
   * @param {() => string | null} kioskKey where the current kiosk key comes from
   * @param {string} [base] the service's origin and path prefix
   */
  constructor(kioskKey, base = "") {
    this.kioskKey = kioskKey;
    this.base = base;
  }

  /**
   * @param {string} method @param {string} path @param {{ text?: string, json?: unknown }} [body]
   * @param {string} [bearer] another key than the kiosk key (the admin key)
   * @returns {Promise<Response>}
   */
  async #send(method, path, body = {}, bearer) {
    /** @type {Record<string, string>} */
    const headers = {};
    const key = bearer ?? this.kioskKey();
    if (key) headers.Authorization = `Bearer ${key}`;
    /** @type {string | undefined} */
    let payload;
    if (body.text !== undefined) {
      headers["Content-Type"] = "text/plain";
      payload = body.text;
    } else if (body.json !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body.json);
    }
    let res;
    try {
      res = await fetch(this.base + path, { method, headers, body: payload, cache: "no-store" });
    } catch {
      throw new ApiError(0, "network", "The token service cannot be reached.");
    }
    if (!res.ok) {
      let code = `http_${res.status}`;
      let message = res.statusText || "request failed";
      try {
        const err = await res.json();
        code = err.error ?? code;
        message = err.message ?? message;
      } catch {
        /* not JSON */
      }
      throw new ApiError(res.status, code, message);
    }
    return res;
  }

  /** Stores a bag's token. @param {string} bagTag @param {string} token */
  async putToken(bagTag, token) {
    await this.#send("PUT", `/api/bags/${encodeURIComponent(bagTag)}/token`, { text: token });
  }

  /** The bag's token, for the gate. @param {string} bagTag @returns {Promise<string>} */
  async getToken(bagTag) {
    return (await this.fetchToken(bagTag)).token;
  }

  /**
   * The bag's token and, when the server requires signed results, the
   * one-time boarding challenge that came with it (`Sealmatch-Challenge`).
   * @param {string} bagTag @returns {Promise<{ token: string, challenge: string | null }>}
   */
  async fetchToken(bagTag) {
    const res = await this.#send("GET", `/api/bags/${encodeURIComponent(bagTag)}/token`);
    const challenge = res.headers.get("Sealmatch-Challenge");
    return { token: (await res.text()).trim(), challenge };
  }

  /**
   * A fresh one-time boarding challenge for a bag (for a manual check, or
   * when the token's challenge was used).
   * @param {string} bagTag @returns {Promise<string>}
   */
  async challenge(bagTag) {
    const res = await this.#send("POST", `/api/bags/${encodeURIComponent(bagTag)}/challenge`);
    return (await res.json()).challenge;
  }

  /**
   * Whether the server requires signed results, and whether it knows this gate.
   * @param {string} kid
   * @returns {Promise<{ kid: string, gateSigning: boolean, registered: boolean, source?: string, registeredAt?: number }>}
   */
  async gateStatus(kid) {
    const res = await this.#send("GET", `/api/gates/${encodeURIComponent(kid)}`);
    return res.json();
  }

  /**
   * Registers a gate device's public key; needs the admin key (typed by staff,
   * never the kiosk key, never stored).
   * @param {string} kid @param {string} publicKey @param {string} adminKey
   */
  async registerGate(kid, publicKey, adminKey) {
    const res = await this.#send("PUT", `/api/gates/${encodeURIComponent(kid)}`, { json: { publicKey } }, adminKey);
    return res.json();
  }

  /**
   * Reports a boarding attempt: `{ matched: true }`, `{ matched: false }` or
   * `{ manual: true }` (staff checked the ID by hand), with a `proof` when the
   * server requires signed results.
   * @param {string} bagTag
   * @param {({ matched: boolean } | { manual: true }) & { proof?: { kid: string, challenge: string, sig: string } }} result
   * @returns {Promise<any>} the server's answer (state, attempts left, ...)
   */
  async reportBoarding(bagTag, result) {
    return jsonOf(await this.#send("POST", `/api/bags/${encodeURIComponent(bagTag)}/boarding`, { json: result }));
  }

  /**
   * Stores a web check-in token (enrolled with `bagTag` = the booking reference).
   * @param {string} bookingRef @param {string} token
   */
  async putCheckinToken(bookingRef, token) {
    await this.#send("PUT", `/api/checkins/${encodeURIComponent(bookingRef)}/token`, { text: token });
  }

  /** The check-in token of a booking, for the bag drop kiosk. @param {string} bookingRef @returns {Promise<string>} */
  async getCheckinToken(bookingRef) {
    const res = await this.#send("GET", `/api/checkins/${encodeURIComponent(bookingRef)}/token`);
    return (await res.text()).trim();
  }

  /**
   * Reports the bag drop's face check against a check-in token:
   * `{ matched: true }` after the bag tokens are stored (the check-in token
   * is deleted), `{ matched: false }` for a non-match (the third deletes it).
   * @param {string} bookingRef @param {{ matched: boolean }} result
   * @returns {Promise<{ bookingRef?: string, state?: string, failedAttempts?: number, attemptsLeft?: number, staffRequired?: boolean }>}
   */
  async reportBagdrop(bookingRef, result) {
    return jsonOf(await this.#send("POST", `/api/checkins/${encodeURIComponent(bookingRef)}/bagdrop`, { json: result }));
  }

  /**
   * @param {string} flight
   * @returns {Promise<{ flight: string, bags: Array<{ bagTag: string, state: string }>, offload: string[] }>}
   */
  async reconciliation(flight) {
    const res = await this.#send("GET", `/api/flights/${encodeURIComponent(flight)}/reconciliation`);
    return res.json();
  }
}

/** A reply's JSON body, or {} when it has none. @param {Response} res */
async function jsonOf(res) {
  const text = await res.text();
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return {};
  }
}
