// @ts-check
/**
 * Client of the reference token service (server/openapi.yaml). Every call
 * sends the kiosk key as `Authorization: Bearer KEY`. Only tokens, bag tags,
 * flights and boarding results travel; never an image, template or passenger key.
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
   * @returns {Promise<Response>}
   */
  async #send(method, path, body = {}) {
    /** @type {Record<string, string>} */
    const headers = {};
    const key = this.kioskKey();
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
    const res = await this.#send("GET", `/api/bags/${encodeURIComponent(bagTag)}/token`);
    return (await res.text()).trim();
  }

  /**
   * Reports a boarding attempt: `{ matched: true }`, `{ matched: false }` or
   * `{ manual: true }` (staff checked the ID by hand).
   * @param {string} bagTag @param {{ matched: boolean } | { manual: true }} result
   * @returns {Promise<any>} the server's answer (state, attempts left, ...)
   */
  async reportBoarding(bagTag, result) {
    const res = await this.#send("POST", `/api/bags/${encodeURIComponent(bagTag)}/boarding`, { json: result });
    const text = await res.text();
    try {
      return text ? JSON.parse(text) : {};
    } catch {
      return {};
    }
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
