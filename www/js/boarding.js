// @ts-check
/**
 * Boarding: passenger key (typed or read from the QR code) and bag tag → GET
 * the bag's token → scan → verify in the worker → report the result. A match
 * boards the bag; after three non-matches the passenger goes to a manual ID
 * check, which staff confirm ({ manual: true }).
 */

import { Api } from "./api.js";
import { Engine } from "./engine.js";
import { createCapturePanel } from "./capture-panel.js";
import { scanQr, cameraAvailable } from "./qrscan.js";
import { $, initKioskKey, busyIndicator, showStep, say, errorText, resetWhenIdle } from "./ui.js";

const MAX_ATTEMPTS = 3;
const KEY_SHAPE = /^smk1_[A-Za-z0-9_-]{48}$/;

const api = new Api(initKioskKey());
const engine = new Engine(busyIndicator());

const gate = {
  key: "",
  bagTag: "",
  token: "",
  flight: "",
  failures: 0,
  /** @type {import("./engine.js").CaptureInfo | null} */
  current: null,
};

/** @type {Awaited<ReturnType<typeof createCapturePanel>> | null} */
let panel = null;

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
    const text = await scanQr($("camera"), { signal: cameraStop.signal, accept: (t) => KEY_SHAPE.test(t) });
    if (text) {
      $("passenger-key").value = text;
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
    const token = await api.getToken(bagTag);
    const header = await engine.inspect(token);
    Object.assign(gate, { key, bagTag, token, flight: header.flight, failures: 0, current: null });
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
  if (!panel) panel = await createCapturePanel($("capture-panel"), engine, { onCapture });
});

// ------------------------------------------------------------ capture and verify

/** @param {import("./engine.js").CaptureInfo} info */
function onCapture(info) {
  gate.current = info;
  const good = info.feedback.length === 0;
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
    } else if (code === "TOKEN_EXPIRED") {
      toManual("The bag's record has expired.");
    } else {
      // wrong or mistyped key, wrong bag: back to the first step
      say($("key-status"), errorText(e), "error");
      showStep("step-key");
    }
    return;
  }
  try {
    if (result.match) {
      await api.reportBoarding(gate.bagTag, { matched: true });
      boarded(`The fingerprint matched (score ${scoreText(result)}).`);
      return;
    }
    const answer = await api.reportBoarding(gate.bagTag, { matched: false });
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
    toManual(`The fingerprint did not match ${MAX_ATTEMPTS} times.`);
  } else {
    $("attempt").textContent = String(gate.failures + 1);
    say($("capture-status"), `Not a match (score ${scoreText(result)}). Please scan the same finger again (attempt ${gate.failures + 1} of ${MAX_ATTEMPTS}).`, "error");
    panel?.reset();
  }
});

$("cancel").addEventListener("click", () => nextPassenger());

// ------------------------------------------------------------ outcomes

/** @param {{ score: number, threshold: number }} r */
function scoreText(r) {
  return `${r.score.toFixed(3)}, threshold ${r.threshold.toFixed(3)}`;
}

/** @param {string} why */
function toManual(why) {
  $("manual-why").textContent = why;
  $("manual-bag").textContent = gate.bagTag;
  say($("manual-status"), "");
  showStep("step-manual");
}

/** @param {string} how */
function boarded(how) {
  $("boarded-bag").textContent = gate.bagTag;
  $("boarded-how").textContent = how;
  showStep("step-boarded");
}

$("manual-confirm").addEventListener("click", async () => {
  try {
    await api.reportBoarding(gate.bagTag, { manual: true });
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
  await engine.freeAll();
  panel?.reset();
  Object.assign(gate, { key: "", bagTag: "", token: "", flight: "", failures: 0, current: null });
  $("passenger-key").value = "";
  $("bag-tag").value = "";
  say($("key-status"), "");
  showStep("step-key");
}

// a key typed or scanned and left on screen, or a capture left in the worker
resetWhenIdle(["step-manual"], () => {
  if (document.body.dataset.step === "step-key" && !$("passenger-key").value && !$("bag-tag").value) return;
  cameraStop?.abort();
  nextPassenger();
});

showStep("step-key");
