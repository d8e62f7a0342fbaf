// Suprema BioMini Web Agent, by default at https://localhost:8084. Every
// reply is JSON with retValue (0 = success) and retString. One capture:
// GET /api/createSessionID (→ sessionId), /api/initDevice (→ ScannerInfos[],
// each with a DeviceHandle), /api/captureSingle (waits for the finger),
// /api/getImageData?fileType=… (→ imageBase64). Cancelling calls
// /api/abortCapture. Each request carries the session as `username` and a
// `dummy` random number against caches, as Suprema's samples do.

import {
  decodeBase64,
  defineScanner,
  fetchJson,
  fileImage,
  progress,
  scannerError,
  baseUrl as checkedBaseUrl,
} from "./common.js";

const SERVICE = "BioMini Web Agent";

/** retValue → adapter code (the UFScanner status values the agent passes on). */
export function supremaErrorCode(retValue, retString) {
  if (retValue === -202 || retValue === -203 || retValue === -204) return "NO_DEVICE";
  if (retValue === -211) return "DEVICE_BUSY";
  if (retValue === -212) return /time\s*-?\s*out/i.test(String(retString ?? "")) ? "TIMEOUT" : "DEVICE_DISCONNECTED";
  if (retValue === -221 || retValue === -301 || retValue === -302) return "LOW_QUALITY";
  if ((retValue <= -351 && retValue >= -359) || (retValue <= -401 && retValue >= -405)) return "LOW_QUALITY";
  return "SCANNER_ERROR";
}

function checkRet(reply, step) {
  const v = reply.retValue;
  if (typeof v !== "number" || !Number.isInteger(v)) throw scannerError("BAD_REPLY", `the ${SERVICE} ${step} reply has no retValue`);
  if (v !== 0) throw scannerError(supremaErrorCode(v, reply.retString), `${SERVICE} ${step} retValue ${v}`);
}

/**
 * An adapter for a Suprema BioMini reader through the BioMini Web Agent.
 *
 * @param {{ baseUrl?: string, deviceIndex?: number, timeoutMs?: number, dpi?: number, fileType?: number }} [config]
 *   `baseUrl` the agent (default https://localhost:8084); `deviceIndex`
 *   which of the agent's ScannerInfos (default 0); `timeoutMs` how long the
 *   agent waits for a finger (default 10000); `dpi` the reader's resolution
 *   (default 500: BioMini readers are 500 dpi); `fileType` the agent's image
 *   type for getImageData (default 1, BMP). The adapter checks the bytes: a
 *   BMP or PNG is used, anything else is BAD_REPLY.
 * @returns {import("./index.js").ScannerAdapter}
 */
export function supremaScanner(config = {}) {
  const base = checkedBaseUrl(config.baseUrl, "https://localhost:8084");
  const deviceIndex = config.deviceIndex ?? 0;
  const timeoutMs = config.timeoutMs ?? 10_000;
  const dpi = config.dpi ?? 500;
  const fileType = config.fileType ?? 1;
  if (!Number.isInteger(deviceIndex) || deviceIndex < 0) throw new RangeError("deviceIndex must be 0 or more");
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new RangeError("timeoutMs must be a positive integer");
  const pageId = String(Math.floor(Math.random() * 1e9));

  const get = (path, params, options) => {
    const url = new URL(`${base}${path}`);
    url.searchParams.set("dummy", String(Math.random()));
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, String(v));
    return fetchJson(url, { credentials: "include", service: SERVICE, timeoutMs: 5000, ...options });
  };

  /** Session and device handle, or the error to report. */
  async function open(signal) {
    const session = await get("/api/createSessionID", {}, { signal });
    if (session.retValue !== undefined) checkRet(session, "createSessionID");
    if (typeof session.sessionId !== "string" || session.sessionId.length === 0) {
      throw scannerError("BAD_REPLY", `the ${SERVICE} createSessionID reply has no sessionId`);
    }
    const username = session.sessionId;
    const init = await get("/api/initDevice", { username }, { signal });
    checkRet(init, "initDevice");
    if (!Array.isArray(init.ScannerInfos)) throw scannerError("BAD_REPLY", `the ${SERVICE} initDevice reply has no ScannerInfos`);
    const info = init.ScannerInfos[deviceIndex];
    if (info === undefined) throw scannerError("NO_DEVICE", `${SERVICE} lists ${init.ScannerInfos.length} readers`);
    const handle = info && info.DeviceHandle;
    if ((typeof handle !== "number" && typeof handle !== "string") || handle === 0 || handle === "" || handle === "0") {
      throw scannerError("BAD_REPLY", `the ${SERVICE} reader has no DeviceHandle`);
    }
    const name = typeof info.ScannerName === "string" ? info.ScannerName : "BioMini";
    return { username, handle, name, count: init.ScannerInfos.length };
  }

  return defineScanner({
    name: "Suprema BioMini (Web Agent)",
    vendor: "suprema",
    baseUrl: base,

    async probe({ signal } = {}) {
      try {
        const { name } = await open(signal);
        return { available: true, devices: [name] };
      } catch (e) {
        if (e.code === "CANCELLED") throw e;
        return { available: false, code: e.code ?? "SCANNER_UNAVAILABLE", devices: [] };
      }
    },

    async scan({ signal, onProgress } = {}) {
      progress(onProgress, "connecting");
      const { username, handle } = await open(signal);
      progress(onProgress, "waiting-for-finger");
      const session = { sHandle: handle, id: pageId, username };
      try {
        const captured = await get(
          "/api/captureSingle",
          { ...session, resetTimer: timeoutMs },
          { signal, timeoutMs: timeoutMs + Math.min(5000, timeoutMs) },
        );
        checkRet(captured, "captureSingle");
      } catch (e) {
        if (e.code === "CANCELLED" || e.code === "TIMEOUT") {
          // Tell the agent to stop waiting; its answer does not matter.
          get("/api/abortCapture", session, {}).catch(() => {});
        }
        throw e;
      }
      progress(onProgress, "reading-image");
      const data = await get("/api/getImageData", { ...session, fileType }, { signal, timeoutMs: 10_000 });
      checkRet(data, "getImageData");
      const image = fileImage(decodeBase64(data.imageBase64, `the ${SERVICE} imageBase64`), dpi, SERVICE);
      return image;
    },
  });
}
