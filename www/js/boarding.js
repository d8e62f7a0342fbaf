// @ts-check
/**
 * Boarding: passenger key (typed or read from the QR code) and bag tag → GET
 * the bag's token → scan → verify in the worker → report the result. A match
 * boards the bag; after three non-matches the passenger goes to a manual ID
 * check, which staff confirm ({ manual: true }).
 *
 * The passenger is checked with the fingerprint scanner or, for a passenger
 * who checked in with the face, the face camera (one good live frame); the
 * rest of the flow (verify, report, three failures, signing) is the same.
 *
 * When the server requires signed results, every report that boards a bag
 * (match or manual) carries this device's signature over the bag, the result
 * and the server's one-time challenge (gatekey.js). The "This gate device"
 * panel shows the device's key id and public key, and lets staff register it
 * with the admin key (typed, never stored).
 *
 * Texts are in the page's language (section `boarding` of www/i18n/); every
 * outcome is said in text and announced: the match result in `#result-live`,
 * a non-match and errors in the `role="alert"` boxes. A kiosk left alone
 * warns before it clears itself (resetWhenIdle in ui.js).
 */

import { Api } from "./api.js";
import { Engine } from "./engine.js";
import { createCapturePanel } from "./capture-panel.js";
import { createFaceCamera, GOOD_QUALITY } from "./facecam.js";
import { readPass } from "./passqr.js";
import { scanQr, cameraAvailable } from "./qrscan.js";
import { loadGateKey } from "./gatekey.js";
import { $, initKioskKey, busyIndicator, showStep, errorText, feedbackText, resetWhenIdle, markReady, holdFormsUntilReady } from "./ui.js";
import { initI18n, t } from "./i18n.js";
import { bindSlots, bindText, sayText } from "./live-text.js";

holdFormsUntilReady();
await initI18n();

const MAX_ATTEMPTS = 3;

const api = new Api(initKioskKey());
const engine = new Engine(busyIndicator());

const gate = {
  key: "",
  bagTag: "",
  token: "",
  /** the one-time challenge that came with the token (signed results on), or null */
  challenge: /** @type {string | null} */ (null),
  flight: "",
  failures: 0,
  /** @type {{ handle: number } | null} */
  current: null,
};

/** @type {Awaited<ReturnType<typeof createCapturePanel>> | null} */
let panel = null;
/** "finger" (the capture panel) or "face" (the live camera) */
let mode = "finger";
const faceCam = createFaceCamera($("gate-cam"), engine);

// ------------------------------------------------------------ this gate device

/** @type {import("./gatekey.js").GateKey | null} */
let device = null;
/** what the server said last: must reports be signed, does it know this device? */
const signing = { required: false, registered: false };

/** Loads the device key and asks the server about it; updates the panel. */
async function refreshGate() {
  const badge = $("gate-badge");
  try {
    device ??= await loadGateKey();
  } catch (e) {
    bindText(badge, () => t("boarding.gate_badge_no_key"));
    sayText($("gate-status"), () => errorText(e), "error");
    return;
  }
  $("gate-kid").textContent = device.kid;
  $("gate-entry").textContent = `${device.kid}=${device.publicKey}`;
  document.body.dataset.gateKid = device.kid;
  try {
    const status = await api.gateStatus(device.kid);
    signing.required = status.gateSigning;
    signing.registered = status.registered;
  } catch (e) {
    bindText(badge, () => t("boarding.gate_badge_unknown"));
    badge.className = "state";
    bindText($("gate-state"), () => t("boarding.gate_state_unknown", { error: errorText(e) }));
    $("gate-register").hidden = false;
    return;
  }
  const { registered, required } = signing;
  bindText(badge, () => (registered ? t("boarding.gate_badge_registered") : t("boarding.gate_badge_unregistered")));
  badge.className = `state state-${registered ? "registered" : "unregistered"}`;
  document.body.dataset.gate = registered ? "registered" : "unregistered";
  $("gate-register").hidden = registered;
  bindText($("gate-state"), () =>
    registered
      ? t("boarding.gate_state_registered")
      : required
        ? t("boarding.gate_state_required")
        : t("boarding.gate_state_optional"),
  );
  if (!signing.registered && signing.required) /** @type {HTMLDetailsElement} */ ($("gate-device")).open = true;
}

$("gate-register").addEventListener("submit", async (/** @type {Event} */ e) => {
  e.preventDefault();
  const adminKey = $("admin-key").value.trim();
  $("admin-key").value = ""; // never kept
  if (!device) return;
  try {
    await api.registerGate(device.kid, device.publicKey, adminKey);
    const kid = device.kid;
    sayText($("gate-status"), () => t("boarding.gate_registered_ok", { kid }), "ok");
  } catch (err) {
    const code = /** @type {any} */ (err)?.code;
    sayText($("gate-status"), () => (code === "unauthorized" ? t("boarding.admin_key_wrong") : errorText(err)), "error");
  }
  await refreshGate();
});
// a kiosk key typed into the key bar: ask again
$("kiosk-key-bar").addEventListener("submit", () => setTimeout(refreshGate, 0));

/** the gate key id that signed the last boarding report ("" when unsigned) */
let signedBy = "";

/**
 * Reports a result for the current bag, signed when the server requires it.
 * A refused proof (stale challenge, or the server's policy changed) is tried
 * once more with a fresh challenge.
 * @param {{ matched: boolean } | { manual: true }} result
 */
async function report(result) {
  if ("matched" in result && !result.matched) return api.reportBoarding(gate.bagTag, result); // never signed
  const word = "manual" in result ? "manual" : "matched";
  /** @type {string | null} */
  let challenge = word === "matched" ? gate.challenge : null;
  gate.challenge = null; // one use
  if (!challenge && signing.required) challenge = await api.challenge(gate.bagTag);
  for (let attempt = 0; ; attempt++) {
    const body = challenge && device ? { ...result, proof: await device.prove(gate.bagTag, word, challenge) } : result;
    try {
      const answer = await api.reportBoarding(gate.bagTag, body);
      signedBy = "proof" in body ? body.proof.kid : "";
      return answer;
    } catch (e) {
      if (/** @type {any} */ (e)?.code !== "bad_proof" || attempt > 0) throw e;
      await refreshGate();
      challenge = signing.required ? await api.challenge(gate.bagTag) : null;
    }
  }
}

// ------------------------------------------------------------ key and bag

/** @type {AbortController | null} */
let cameraStop = null;

$("scan-qr").hidden = !cameraAvailable();
$("scan-qr").addEventListener("click", async () => {
  cameraStop = new AbortController();
  $("camera").hidden = false;
  $("stop-scan").hidden = false;
  $("scan-qr").hidden = true;
  sayText($("key-status"), () => t("boarding.qr_hold"));
  try {
    // the key alone, or a phone-only check-in's QR code (token and key): the key is what the gate needs
    const text = await scanQr($("camera"), { signal: cameraStop.signal, accept: (t) => readPass(t) !== null });
    const pass = text ? readPass(text) : null;
    if (pass) {
      $("passenger-key").value = pass.passengerKey;
      sayText($("key-status"), () => t("boarding.qr_read"), "ok");
      $("bag-tag").focus();
    } else {
      sayText($("key-status"), null);
    }
  } catch (e) {
    sayText($("key-status"), () => t("boarding.camera_error", { error: errorText(e) }), "error");
  } finally {
    $("camera").hidden = true;
    $("stop-scan").hidden = true;
    $("scan-qr").hidden = false;
    cameraStop = null;
  }
});
$("stop-scan").addEventListener("click", () => cameraStop?.abort());

/**
 * Whether the field's value fits its pattern; if not, marks it invalid, says
 * why and puts the focus there. (The form has `novalidate`: the browser's own
 * bubble would speak the browser's language, not the page's.)
 * @param {string} id @param {() => string} why
 */
function fieldOk(id, why) {
  const input = /** @type {HTMLInputElement} */ ($(id));
  input.value = input.value.trim();
  const ok = input.value !== "" && input.checkValidity();
  if (ok) {
    input.removeAttribute("aria-invalid");
    return true;
  }
  input.setAttribute("aria-invalid", "true");
  sayText($("key-status"), why, "error");
  input.focus();
  return false;
}

$("to-manual").addEventListener("click", () => {
  $("passenger-key").removeAttribute("aria-invalid");
  if (!fieldOk("bag-tag", () => t("boarding.enter_bag_first"))) return;
  cameraStop?.abort();
  gate.bagTag = $("bag-tag").value;
  toManual(() => t("boarding.why_chosen"));
});

$("key-form").addEventListener("submit", async (/** @type {Event} */ e) => {
  e.preventDefault();
  cameraStop?.abort();
  if (!fieldOk("passenger-key", () => t("boarding.invalid_key"))) return;
  if (!fieldOk("bag-tag", () => t("boarding.invalid_bag"))) return;
  const key = $("passenger-key").value;
  const bagTag = $("bag-tag").value;
  try {
    const { token, challenge } = await api.fetchToken(bagTag);
    if (challenge && !signing.registered) await refreshGate();
    if (challenge && !signing.registered) {
      sayText($("key-status"), () => t("boarding.gate_not_registered"), "error");
      return;
    }
    if (challenge) signing.required = true;
    const header = await engine.inspect(token);
    Object.assign(gate, { key, bagTag, token, challenge, flight: header.flight, failures: 0, current: null });
  } catch (err) {
    sayText($("key-status"), () => errorText(err), "error");
    return;
  }
  sayText($("key-status"), null);
  $("cap-bag").textContent = gate.bagTag;
  $("cap-flight").textContent = gate.flight;
  $("attempt").textContent = "1";
  $("verify").disabled = true;
  sayText($("capture-status"), null);
  sayText($("capture-progress"), null);
  showStep("step-capture");
  await startCapture();
});

// ------------------------------------------------------------ fingerprint or face

/** Shows the chosen way of checking the passenger and starts it. */
async function startCapture() {
  $("mode-finger").setAttribute("aria-pressed", String(mode === "finger"));
  $("mode-face").setAttribute("aria-pressed", String(mode === "face"));
  const face = mode === "face";
  bindText($("cap-what"), () => (face ? t("boarding.what_face") : t("boarding.what_finger")));
  $("capture-panel").hidden = mode !== "finger";
  $("gate-cam").hidden = mode !== "face";
  if (mode === "finger") {
    faceCam.stop();
    if (!panel) panel = await createCapturePanel($("capture-panel"), engine, { onCapture });
    return;
  }
  try {
    if (!faceCam.running()) await faceCam.start();
  } catch (e) {
    sayText($("capture-status"), () => t("boarding.camera_error", { error: errorText(e) }), "error");
    return;
  }
  takeFace();
}

/** One good live frame, handed to the same flow as a scan. */
async function takeFace() {
  const [face] = await faceCam.take(1);
  if (face) onCapture({ ...face, good: face.quality >= GOOD_QUALITY });
}

/** Drops the current capture and waits for the next (a new scan, or the next good frame). */
function resetCapture() {
  if (mode === "face") {
    if (gate.current) engine.free(gate.current.handle);
    gate.current = null;
    takeFace();
  } else {
    panel?.reset();
  }
}

for (const [id, m] of /** @type {const} */ ([["mode-finger", "finger"], ["mode-face", "face"]])) {
  $(id).addEventListener("click", () => {
    if (mode === m) return;
    mode = m;
    gate.current = null;
    $("verify").disabled = true;
    sayText($("capture-progress"), null);
    startCapture();
  });
}

// ------------------------------------------------------------ capture and verify

/** @param {{ handle: number, feedback: string[], good?: boolean }} info a scan, or a face frame with `good` */
function onCapture(info) {
  gate.current = info;
  const good = info.good ?? info.feedback.length === 0;
  $("verify").disabled = !good;
  const face = mode === "face";
  const advice = info.feedback.slice(0, 3);
  if (good) {
    sayText($("capture-status"), null);
    sayText($("capture-progress"), () => (face ? t("boarding.face_good") : t("boarding.scan_good")), "ok");
  } else {
    // said once per scan (a face frame that is not good enough never reaches here)
    sayText($("capture-progress"), null);
    sayText($("capture-status"), () => [t("boarding.scan_again"), ...advice.map(feedbackText)].join(" "));
  }
}

$("verify").addEventListener("click", async () => {
  const info = gate.current;
  if (!info) return;
  $("verify").disabled = true;
  let result;
  try {
    result = await engine.verify({ handle: info.handle, token: gate.token, passengerKey: gate.key, bagTag: gate.bagTag });
  } catch (e) {
    const code = /** @type {any} */ (e)?.code;
    if (code === "LOW_QUALITY") {
      sayText($("capture-status"), () => errorText(e), "error"); // not an attempt: scan again
      if (mode === "face") resetCapture();
      focusNextScan();
    } else if (code === "TOKEN_EXPIRED") {
      toManual(() => t("boarding.why_expired"));
    } else {
      // wrong or mistyped key, wrong bag: back to the first step
      faceCam.stop();
      sayText($("key-status"), () => errorText(e), "error");
      showStep("step-key");
    }
    return;
  }
  try {
    if (result.match) {
      await report({ matched: true });
      const face = mode === "face";
      const scores = scoreParams(result);
      boarded(() => (face ? t("boarding.matched_face", scores) : t("boarding.matched_finger", scores)), true);
      return;
    }
    const answer = await report({ matched: false });
    gate.failures = Math.max(gate.failures + 1, Number(answer?.failedAttempts) || 0);
    if (answer?.manualCheckRequired) gate.failures = Math.max(gate.failures, MAX_ATTEMPTS);
  } catch (e) {
    if (/** @type {any} */ (e)?.code === "not_found") gate.failures = MAX_ATTEMPTS; // the server already dropped the token
    else {
      sayText($("capture-status"), () => errorText(e), "error");
      $("verify").disabled = false;
      $("verify").focus();
      return;
    }
  }
  const face = mode === "face";
  if (gate.failures >= MAX_ATTEMPTS) {
    toManual(() => (face ? t("boarding.why_failed_face", { max: MAX_ATTEMPTS }) : t("boarding.why_failed_finger", { max: MAX_ATTEMPTS })));
  } else {
    $("attempt").textContent = String(gate.failures + 1);
    const params = { ...scoreParams(result), attempt: gate.failures + 1, max: MAX_ATTEMPTS };
    sayText($("capture-progress"), null);
    // the result, in text and announced (role="alert"); not by colour alone
    sayText($("capture-status"), () => (face ? t("boarding.no_match_face", params) : t("boarding.no_match_finger", params)), "error");
    resetCapture();
    focusNextScan();
  }
});

/**
 * After an outcome that stays on the capture step, the Check button is off
 * and has lost the focus: give it to the first control of the scanner in
 * use, so the keyboard goes on from there (the outcome itself is announced).
 */
function focusNextScan() {
  const active = document.activeElement;
  if (active instanceof HTMLElement && active !== document.body && !active.matches(":disabled") && active.offsetParent !== null) return;
  const control = $("capture-panel").querySelector("[data-scanner]:not([hidden]) :is(select, input, button):not([disabled])");
  if (mode === "finger" && control instanceof HTMLElement) control.focus();
  else $(mode === "face" ? "mode-face" : "mode-finger").focus();
}

$("cancel").addEventListener("click", () => nextPassenger());

// ------------------------------------------------------------ outcomes

/** A score and threshold as the texts show them. @param {{ score: number, threshold: number }} r */
function scoreParams(r) {
  return { score: r.score.toFixed(3), threshold: r.threshold.toFixed(3) };
}

/** @param {() => string} why */
function toManual(why) {
  faceCam.stop();
  bindText($("manual-why"), why);
  $("manual-bag").textContent = gate.bagTag;
  sayText($("manual-status"), null);
  showStep("step-manual");
  announce(() => `${t("boarding.manual_title")}. ${why()}`);
}

/**
 * Shows the boarded step with how the passenger was checked.
 * @param {() => string} how @param {boolean} matched true for a match, false for a manual check
 */
function boarded(how, matched) {
  faceCam.stop();
  $("boarded-bag").textContent = gate.bagTag;
  const by = signedBy;
  bindText($("boarded-how"), () => (by ? `${how()} ${t("boarding.signed_by", { kid: by })}` : how()));
  showStep("step-boarded");
  const bag = gate.bagTag;
  announce(() => (matched ? t("boarding.announce_match", { bag }) : t("boarding.announce_manual", { bag })));
}

/**
 * Announces an outcome once in the page's live region (`#result-live`,
 * polite): emptied first, so the same words twice in a row are said twice.
 * @param {() => string} render
 */
function announce(render) {
  const live = $("result-live");
  bindText(live, null);
  setTimeout(() => bindText(live, render), 50);
}

$("manual-confirm").addEventListener("click", async () => {
  try {
    await report({ manual: true });
    boarded(() => t("boarding.matched_manual"), false);
  } catch (e) {
    sayText($("manual-status"), () => errorText(e), "error");
  }
});
$("manual-refuse").addEventListener("click", () => nextPassenger());

$("next-bag").addEventListener("click", () => {
  // same passenger and key, another bag tag
  $("bag-tag").value = "";
  showStep("step-key");
});
$("next-passenger").addEventListener("click", () => nextPassenger());

async function nextPassenger() {
  faceCam.stop();
  await engine.freeAll();
  panel?.reset();
  Object.assign(gate, { key: "", bagTag: "", token: "", challenge: null, flight: "", failures: 0, current: null });
  $("passenger-key").value = "";
  $("bag-tag").value = "";
  sayText($("key-status"), null);
  bindText($("result-live"), null);
  showStep("step-key");
}

/** The texts made here that mark no single key: the step headings with a bag tag or a count. */
function bindStepTexts() {
  bindSlots($("capture-title"), "boarding.capture_title", { what: $("cap-what") });
  bindSlots($("capture-info"), "boarding.capture_info", { bag: $("cap-bag"), flight: $("cap-flight"), attempt: $("attempt"), max: $("attempt-max") });
  bindSlots($("boarded-text"), "boarding.boarded_title", { bag: $("boarded-bag") });
  bindSlots($("manual-instructions"), "boarding.manual_instructions", { bag: $("manual-bag") });
  bindText($("gate-badge"), () => t("boarding.gate_badge_checking"));
  $("attempt-max").textContent = String(MAX_ATTEMPTS);
}

// a key typed or scanned and left on screen, or a capture left in the worker: the shared
// idle reset (ui.js) warns first, with "I need more time", then clears
resetWhenIdle(["step-manual"], () => {
  $("admin-key").value = "";
  cameraStop?.abort();
  nextPassenger();
});

bindStepTexts();
showStep("step-key");
refreshGate();
markReady();
