// @ts-check
/**
 * Bag drop with the face, for a passenger who checked in on the phone
 * (checkin.html): read the passenger's QR code → the check-in token (from
 * the server by booking reference when the QR code is the key alone, from
 * the QR code itself when the phone kept it) → live face → `verify` against
 * the check-in token (bagTag = the booking reference) → on a match, one
 * token per bag sealed from the kiosk's own live captures under the same
 * passenger key, each stored against its bag tag; then, for a server
 * check-in, `POST /api/checkins/{ref}/bagdrop {matched: true}` (the server
 * deletes the check-in token). A non-match is reported `{matched: false}`;
 * the third sends the passenger to staff.
 */

import { createFaceCamera } from "./facecam.js";
import { scanQr, cameraAvailable } from "./qrscan.js";
import { readPass } from "./passqr.js";
import { $, showStep, say, sayKey, sayError } from "./ui.js";
import { setText } from "./i18n.js";

const MAX_ATTEMPTS = 3;
/** Live captures taken at the kiosk: the best is matched, all seal the bags. */
const KIOSK_CAPTURES = 2;

/**
 * Wires the face steps of bagdrop.html.
 * @param {{ api: import("./api.js").Api, engine: import("./engine.js").Engine, done: () => void, handOver?: () => void }} o
 *   `done`: back to the first screen; `handOver`: the same when the
 *   passenger has finished (the kiosk also resets the language), default `done`
 * @returns {{ reset: () => void }} forgets the passenger (key, token, captures)
 */
export function setupFaceBagdrop({ api, engine, done, handOver = done }) {
  const camera = createFaceCamera($("kiosk-cam"), engine);
  const state = {
    bookingRef: "",
    flight: "",
    token: "",
    /** held in page memory only, never sent */
    key: "",
    /** whether the check-in token came from the server (else from the phone's QR code) */
    fromServer: false,
    failures: 0,
    /** @type {number[]} handles of this passenger's kiosk captures (after a match) */
    captures: [],
    /** @type {string[]} */
    bags: [],
  };
  /** @type {AbortController | null} */
  let qrStop = null;

  $("to-face").addEventListener("click", () => {
    say($("face-pass-status"), "");
    showStep("step-face-pass");
    if (cameraAvailable()) scanPass();
  });
  $("face-scan-qr").hidden = !cameraAvailable();
  $("face-scan-qr").addEventListener("click", scanPass);
  $("face-stop-scan").addEventListener("click", () => qrStop?.abort());
  $("face-pass-back").addEventListener("click", () => done());

  async function scanPass() {
    qrStop?.abort();
    const stop = (qrStop = new AbortController());
    $("pass-camera").hidden = false;
    $("face-stop-scan").hidden = false;
    $("face-scan-qr").hidden = true;
    try {
      const text = await scanQr($("pass-camera"), { signal: stop.signal, accept: (t) => readPass(t) !== null });
      const pass = text ? readPass(text) : null;
      if (pass?.kind === "combined") {
        await begin(pass.passengerKey, pass.token, false);
      } else if (pass) {
        $("face-key").value = pass.passengerKey;
        if (/^[A-Za-z0-9]{1,20}$/.test($("face-ref").value.trim())) $("face-pass-form").requestSubmit();
        else {
          sayKey($("face-pass-status"), "bagdrop.face_key_read", {}, "ok");
          $("face-ref").focus();
        }
      }
    } catch (e) {
      sayError($("face-pass-status"), e, "bagdrop.camera_prefix");
    } finally {
      $("pass-camera").hidden = true;
      $("face-stop-scan").hidden = true;
      $("face-scan-qr").hidden = !cameraAvailable();
      if (qrStop === stop) qrStop = null;
    }
  }

  $("face-pass-form").addEventListener("submit", async (/** @type {Event} */ e) => {
    e.preventDefault();
    qrStop?.abort();
    const ref = $("face-ref").value.trim().toUpperCase();
    const key = $("face-key").value.trim();
    if (!/^[A-Za-z0-9]{1,20}$/.test(ref) || readPass(key)?.kind !== "key") {
      sayKey($("face-pass-status"), "bagdrop.face_pass_missing", {}, "error");
      return;
    }
    try {
      await begin(key, await api.getCheckinToken(ref), true);
    } catch (err) {
      if (/** @type {any} */ (err)?.code === "not_found") sayKey($("face-pass-status"), "bagdrop.face_no_checkin", { ref }, "error");
      else sayError($("face-pass-status"), err);
    }
  });

  /**
   * @param {string} key @param {string} token @param {boolean} fromServer
   */
  async function begin(key, token, fromServer) {
    const header = await engine.inspect(token);
    Object.assign(state, { bookingRef: header.bagTag, flight: header.flight, token, key, fromServer, failures: 0, captures: [], bags: [] });
    $("face-live-ref").textContent = state.bookingRef;
    $("face-live-flight").textContent = state.flight;
    $("face-attempt").textContent = "1";
    say($("face-pass-status"), "");
    showStep("step-face-live");
    try {
      await camera.start();
    } catch (e) {
      sayError($("face-live-status"), e, "bagdrop.camera_prefix");
      return;
    }
    attempt();
  }

  /** Takes live captures and matches the best against the check-in token. */
  async function attempt() {
    $("face-retry").hidden = true;
    say($("face-live-status"), "");
    const faces = await camera.take(KIOSK_CAPTURES);
    if (faces.length === 0) return; // stopped
    const handles = [...faces].sort((a, b) => b.quality - a.quality).map((f) => f.handle);
    let result;
    try {
      result = await engine.verify({ handle: handles[0], token: state.token, passengerKey: state.key, bagTag: state.bookingRef });
    } catch (e) {
      for (const h of handles) engine.free(h);
      const code = /** @type {any} */ (e)?.code;
      if (code === "TOKEN_EXPIRED") return toStaff("bagdrop.face_checkin_expired");
      camera.stop();
      sayError($("face-pass-status"), e); // a key that does not open this check-in: not an attempt
      showStep("step-face-pass");
      return;
    }
    if (result.match) {
      camera.stop();
      state.captures = handles;
      setText($("face-bags-list"), "bagdrop.none_yet");
      $("face-finish").disabled = true;
      say($("face-bags-status"), "");
      showStep("step-face-bags");
      $("face-bag-tag").focus();
      return;
    }
    for (const h of handles) engine.free(h);
    state.failures++;
    try {
      if (state.fromServer) {
        const answer = await api.reportBagdrop(state.bookingRef, { matched: false });
        state.failures = Math.max(state.failures, Number(answer.failedAttempts) || 0);
        if (answer.staffRequired) state.failures = Math.max(state.failures, MAX_ATTEMPTS);
      }
    } catch (e) {
      if (/** @type {any} */ (e)?.code === "not_found") state.failures = MAX_ATTEMPTS; // already deleted
      else sayError($("face-live-status"), e);
    }
    if (state.failures >= MAX_ATTEMPTS) return toStaff("bagdrop.face_no_match", { n: MAX_ATTEMPTS });
    $("face-attempt").textContent = String(state.failures + 1);
    sayKey($("face-live-status"), "bagdrop.face_not_match", { score: result.score.toFixed(3), threshold: result.threshold.toFixed(3), n: state.failures + 1, max: MAX_ATTEMPTS }, "error");
    $("face-retry").hidden = false;
    $("face-retry").focus();
  }

  $("face-retry").addEventListener("click", attempt);
  $("face-cancel").addEventListener("click", () => done());

  /** @param {string} why a translation key @param {Record<string, number>} [params] */
  function toStaff(why, params) {
    camera.stop();
    setText($("face-staff-why"), why, params);
    showStep("step-face-staff");
  }
  $("face-staff-done").addEventListener("click", () => handOver());

  $("face-bag-form").addEventListener("submit", async (/** @type {Event} */ e) => {
    e.preventDefault();
    const bagTag = $("face-bag-tag").value.trim();
    if (state.bags.includes(bagTag)) {
      sayKey($("face-bags-status"), "bagdrop.bag_already_in", {}, "error");
      return;
    }
    $("face-bag-add").disabled = true;
    try {
      const out = await engine.enroll({ handles: state.captures, bagTag, flight: state.flight, passengerKey: state.key });
      await api.putToken(bagTag, out.token);
      state.bags.push(bagTag);
      $("face-bags-list").removeAttribute("data-i18n");
      $("face-bags-list").textContent = state.bags.join(", ");
      $("face-bag-tag").value = "";
      $("face-finish").disabled = false;
      sayKey($("face-bags-status"), "bagdrop.face_bag_added", { tag: bagTag }, "ok");
    } catch (err) {
      sayError($("face-bags-status"), err);
    } finally {
      $("face-bag-add").disabled = false;
    }
  });

  $("face-finish").addEventListener("click", async () => {
    $("face-finish").disabled = true;
    try {
      if (state.fromServer) await api.reportBagdrop(state.bookingRef, { matched: true });
    } catch (e) {
      sayError($("face-bags-status"), e);
      $("face-finish").disabled = false;
      return;
    }
    $("face-done-bags").textContent = state.bags.join(", ");
    $("face-done-flight").textContent = state.flight;
    if (state.fromServer) setText($("face-done-checkin"), "bagdrop.face_checkin_deleted");
    else setText($("face-done-checkin"), "bagdrop.face_checkin_on_phone");
    showStep("step-face-done");
  });
  $("face-next-passenger").addEventListener("click", () => handOver());

  return {
    reset() {
      qrStop?.abort();
      camera.stop();
      Object.assign(state, { bookingRef: "", flight: "", token: "", key: "", fromServer: false, failures: 0, captures: [], bags: [] });
      $("face-key").value = "";
      $("face-ref").value = "";
      $("face-bag-tag").value = "";
      say($("face-pass-status"), "");
      say($("face-live-status"), "");
    },
  };
}
