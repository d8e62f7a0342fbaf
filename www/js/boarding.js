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
 */

import { Api } from "./api.js";
import { Engine } from "./engine.js";
import { createCapturePanel } from "./capture-panel.js";
import { createFaceCamera, GOOD_QUALITY } from "./facecam.js";
import { readPass } from "./passqr.js";
import { scanQr, cameraAvailable } from "./qrscan.js";
import { loadGateKey } from "./gatekey.js";
import { $, initKioskKey, busyIndicator, showStep, say, errorText, resetWhenIdle } from "./ui.js";
import { initI18n } from "./i18n.js";

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
    badge.textContent = "no key";
    say($("gate-status"), errorText(e), "error");
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
    badge.textContent = "unknown";
    badge.className = "state";
    $("gate-state").textContent = `The server could not be asked about this device: ${errorText(e)}`;
    $("gate-register").hidden = false;
    return;
  }
  badge.textContent = signing.registered ? "registered" : "not registered";
  badge.className = `state state-${signing.registered ? "registered" : "unregistered"}`;
  document.body.dataset.gate = signing.registered ? "registered" : "unregistered";
  $("gate-register").hidden = signing.registered;
  $("gate-state").textContent = signing.registered
    ? "Registered: this device signs every boarding it reports."
    : signing.required
      ? "Not registered: the server refuses boardings this device cannot sign. Staff: register it with the admin key."
      : "Not registered. The server accepts unsigned boardings now; registering a gate makes signed results required.";
  if (!signing.registered && signing.required) /** @type {HTMLDetailsElement} */ ($("gate-device")).open = true;
}

$("gate-register").addEventListener("submit", async (/** @type {Event} */ e) => {
  e.preventDefault();
  const adminKey = $("admin-key").value.trim();
  $("admin-key").value = ""; // never kept
  if (!device) return;
  try {
    await api.registerGate(device.kid, device.publicKey, adminKey);
    say($("gate-status"), `Gate ${device.kid} registered.`, "ok");
  } catch (err) {
    const code = /** @type {any} */ (err)?.code;
    say($("gate-status"), code === "unauthorized" ? "That admin key is not right (unauthorized)." : `${/** @type {any} */ (err)?.message ?? err} (${code})`, "error");
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
  say($("key-status"), "Hold the QR code in front of the camera.");
  try {
    // the key alone, or a phone-only check-in's QR code (token and key): the key is what the gate needs
    const text = await scanQr($("camera"), { signal: cameraStop.signal, accept: (t) => readPass(t) !== null });
    const pass = text ? readPass(text) : null;
    if (pass) {
      $("passenger-key").value = pass.passengerKey;
      say($("key-status"), "Passenger key read.", "ok");
      $("bag-tag").focus();
    } else {
      say($("key-status"), "");
    }
  } catch (e) {
    say($("key-status"), `Camera: ${errorText(e)}`, "error");
  } finally {
    $("camera").hidden = true;
    $("stop-scan").hidden = true;
    $("scan-qr").hidden = false;
    cameraStop = null;
  }
});
$("stop-scan").addEventListener("click", () => cameraStop?.abort());

$("to-manual").addEventListener("click", () => {
  const bagTag = $("bag-tag").value.trim();
  if (!/^[A-Za-z0-9]{1,20}$/.test(bagTag)) {
    say($("key-status"), "Enter the bag tag first.", "error");
    return;
  }
  cameraStop?.abort();
  gate.bagTag = bagTag;
  toManual("Staff chose a manual ID check.");
});

$("key-form").addEventListener("submit", async (/** @type {Event} */ e) => {
  e.preventDefault();
  cameraStop?.abort();
  const key = $("passenger-key").value.trim();
  const bagTag = $("bag-tag").value.trim();
  try {
    const { token, challenge } = await api.fetchToken(bagTag);
    if (challenge && !signing.registered) await refreshGate();
    if (challenge && !signing.registered) {
      say($("key-status"), "This gate device is not registered, so the server would refuse its results. Staff: register it below (This gate device).", "error");
      return;
    }
    if (challenge) signing.required = true;
    const header = await engine.inspect(token);
    Object.assign(gate, { key, bagTag, token, challenge, flight: header.flight, failures: 0, current: null });
  } catch (err) {
    say($("key-status"), errorText(err), "error");
    return;
  }
  say($("key-status"), "");
  $("cap-bag").textContent = gate.bagTag;
  $("cap-flight").textContent = gate.flight;
  $("attempt").textContent = "1";
  $("verify").disabled = true;
  say($("capture-status"), "");
  showStep("step-capture");
  await startCapture();
});

// ------------------------------------------------------------ fingerprint or face

/** Shows the chosen way of checking the passenger and starts it. */
async function startCapture() {
  $("mode-finger").setAttribute("aria-pressed", String(mode === "finger"));
  $("mode-face").setAttribute("aria-pressed", String(mode === "face"));
  $("cap-what").textContent = mode === "face" ? "face" : "finger";
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
    say($("capture-status"), `Camera: ${errorText(e)}`, "error");
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
    startCapture();
  });
}

// ------------------------------------------------------------ capture and verify

/** @param {{ handle: number, feedback: string[], good?: boolean }} info a scan, or a face frame with `good` */
function onCapture(info) {
  gate.current = info;
  const good = info.good ?? info.feedback.length === 0;
  $("verify").disabled = !good;
  say($("capture-status"), good ? "" : "Please scan again: the scan is not good enough yet.");
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
      say($("capture-status"), errorText(e), "error"); // not an attempt: scan again
      if (mode === "face") resetCapture();
    } else if (code === "TOKEN_EXPIRED") {
      toManual("The bag's record has expired.");
    } else {
      // wrong or mistyped key, wrong bag: back to the first step
      faceCam.stop();
      say($("key-status"), errorText(e), "error");
      showStep("step-key");
    }
    return;
  }
  try {
    if (result.match) {
      await report({ matched: true });
      boarded(`The ${modalityWord()} matched (score ${scoreText(result)}).`);
      return;
    }
    const answer = await report({ matched: false });
    gate.failures = Math.max(gate.failures + 1, Number(answer?.failedAttempts) || 0);
    if (answer?.manualCheckRequired) gate.failures = Math.max(gate.failures, MAX_ATTEMPTS);
  } catch (e) {
    if (/** @type {any} */ (e)?.code === "not_found") gate.failures = MAX_ATTEMPTS; // the server already dropped the token
    else {
      say($("capture-status"), errorText(e), "error");
      $("verify").disabled = false;
      return;
    }
  }
  if (gate.failures >= MAX_ATTEMPTS) {
    toManual(`The ${modalityWord()} did not match ${MAX_ATTEMPTS} times.`);
  } else {
    $("attempt").textContent = String(gate.failures + 1);
    const again = mode === "face" ? "Please look into the camera again" : "Please scan the same finger again";
    say($("capture-status"), `Not a match (score ${scoreText(result)}). ${again} (attempt ${gate.failures + 1} of ${MAX_ATTEMPTS}).`, "error");
    resetCapture();
  }
});

$("cancel").addEventListener("click", () => nextPassenger());

// ------------------------------------------------------------ outcomes

function modalityWord() {
  return mode === "face" ? "face" : "fingerprint";
}

/** @param {{ score: number, threshold: number }} r */
function scoreText(r) {
  return `${r.score.toFixed(3)}, threshold ${r.threshold.toFixed(3)}`;
}

/** @param {string} why */
function toManual(why) {
  faceCam.stop();
  $("manual-why").textContent = why;
  $("manual-bag").textContent = gate.bagTag;
  say($("manual-status"), "");
  showStep("step-manual");
}

/** @param {string} how */
function boarded(how) {
  faceCam.stop();
  $("boarded-bag").textContent = gate.bagTag;
  $("boarded-how").textContent = signedBy ? `${how} Reported signed by this gate (${signedBy}).` : how;
  showStep("step-boarded");
}

$("manual-confirm").addEventListener("click", async () => {
  try {
    await report({ manual: true });
    boarded("Staff checked the passenger's ID by hand.");
  } catch (e) {
    say($("manual-status"), errorText(e), "error");
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
  say($("key-status"), "");
  showStep("step-key");
}

// a key typed or scanned and left on screen, or a capture left in the worker
resetWhenIdle(["step-manual"], () => {
  $("admin-key").value = "";
  if (document.body.dataset.step === "step-key" && !$("passenger-key").value && !$("bag-tag").value) return;
  cameraStop?.abort();
  nextPassenger();
});

showStep("step-key");
refreshGate();
