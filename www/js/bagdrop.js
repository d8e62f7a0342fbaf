// @ts-check
/**
 * Bag drop: consent (or the manual path) → flight and bag tag → one to three
 * good scans → enroll in the worker → PUT the token → the passenger key as a
 * QR code and as text. "Add another bag" seals the same scans for a second bag
 * under the same key. A passenger who checked in on the phone with the face
 * takes the camera path instead (bagdrop-face.js).
 */

import { Api } from "./api.js";
import { Engine } from "./engine.js";
import { createCapturePanel } from "./capture-panel.js";
import { drawQr, clearCanvas } from "./qr-canvas.js";
import { setupFaceBagdrop } from "./bagdrop-face.js";
import { $, initKioskKey, busyIndicator, showStep, say, sayKey, sayError, timeText, resetWhenIdle, markReady, holdFormsUntilReady } from "./ui.js";
import { initI18n, resetLanguage, setText } from "./i18n.js";

// the buttons are wired before the language files arrive (the load event
// does not wait for them), so an early tap is not lost; the texts follow
holdFormsUntilReady();
const languages = initI18n();

const MAX_SCANS = 3;

const api = new Api(initKioskKey());
const engine = new Engine(busyIndicator());

/** Everything about the passenger at the kiosk; cleared for the next one. */
const passenger = {
  flight: "",
  bagTag: "",
  /** @type {number[]} handles of the scans to enroll */
  scans: [],
  /** @type {import("./engine.js").CaptureInfo | null} */
  current: null,
  /** @type {string | null} held in page memory only, never sent to the server */
  key: null,
  /** @type {string[]} */
  bags: [],
};

/** @type {Awaited<ReturnType<typeof createCapturePanel>> | null} */
let panel = null;

$("consent-yes").addEventListener("click", () => showStep("step-trip"));
$("consent-no").addEventListener("click", () => showStep("step-manual"));
$("manual-back").addEventListener("click", () => showStep("step-consent"));

$("flight").addEventListener("input", (/** @type {Event} */ e) => {
  const input = /** @type {HTMLInputElement} */ (e.target);
  input.value = input.value.toUpperCase();
});

$("trip-form").addEventListener("submit", async (/** @type {Event} */ e) => {
  e.preventDefault();
  passenger.flight = $("flight").value.trim();
  passenger.bagTag = $("bag-tag").value.trim();
  showStep("step-capture");
  if (!panel) panel = await createCapturePanel($("capture-panel"), engine, { onCapture });
  updateScanCount();
});

/** @param {import("./engine.js").CaptureInfo} info */
function onCapture(info) {
  passenger.current = info;
  const good = info.feedback.length === 0;
  $("use-scan").disabled = !good || passenger.scans.length >= MAX_SCANS;
  if (good) say($("capture-status"), "");
  else sayKey($("capture-status"), "bagdrop.scan_again", {}, "info");
}

function updateScanCount() {
  const n = passenger.scans.length;
  setText($("scan-count"), "bagdrop.scan_count", { n, max: MAX_SCANS });
  $("enroll").disabled = n === 0;
}

$("use-scan").addEventListener("click", () => {
  const info = passenger.current;
  if (!info || !panel || passenger.scans.includes(info.handle)) return;
  panel.keep(info.handle);
  passenger.scans.push(info.handle);
  $("use-scan").disabled = true;
  updateScanCount();
  if (passenger.scans.length < MAX_SCANS) sayKey($("capture-status"), "bagdrop.scan_added", {}, "ok");
  else sayKey($("capture-status"), "bagdrop.scans_full", {}, "ok");
  $("enroll").focus(); // the button pressed is disabled now: the next step is to link, or to scan again
});

/**
 * Seals the scans for one bag (one flight segment) and stores the token on the server.
 * @param {string} bagTag
 * @param {string} flight
 * @param {HTMLElement} statusBox
 * @returns {Promise<boolean>}
 */
async function enrollBag(bagTag, flight, statusBox) {
  try {
    const out = await engine.enroll({
      handles: passenger.scans,
      bagTag,
      flight,
      passengerKey: passenger.key ?? undefined,
    });
    await api.putToken(bagTag, out.token);
    passenger.key = out.passengerKey;
    passenger.bags.push(bagTag);
    showReceipt(out.header);
    return true;
  } catch (e) {
    sayError(statusBox, e);
    return false;
  }
}

/** @param {{ bagTag: string, flight: string, expiresAt: number }} header */
function showReceipt(header) {
  const key = /** @type {string} */ (passenger.key);
  $("done-bag").textContent = header.bagTag;
  $("done-flight").textContent = header.flight;
  $("done-expiry").textContent = timeText(header.expiresAt);
  $("done-bags").textContent = passenger.bags.join(", ");
  $("passenger-key").textContent = key;
  drawQr($("key-qr"), key);
  $("another-form").hidden = true;
  say($("done-status"), "");
  showStep("step-done");
}

$("enroll").addEventListener("click", async () => {
  $("enroll").disabled = true;
  const ok = await enrollBag(passenger.bagTag, passenger.flight, $("capture-status"));
  if (!ok) {
    $("enroll").disabled = false;
    $("enroll").focus();
  }
});

$("another-bag").addEventListener("click", () => {
  $("another-form").hidden = false;
  $("another-tag").value = "";
  $("another-flight").value = passenger.flight;
  $("another-tag").focus();
});

$("another-form").addEventListener("submit", async (/** @type {Event} */ e) => {
  e.preventDefault();
  const tag = $("another-tag").value.trim();
  if (passenger.bags.includes(tag)) {
    sayKey($("done-status"), "bagdrop.bag_already_in", {}, "error");
    return;
  }
  await enrollBag(tag, $("another-flight").value.trim().toUpperCase(), $("done-status"));
});

const face = setupFaceBagdrop({ api, engine, done: () => nextPassenger(), handOver: () => handOver() });

/** Clears everything about the passenger (scans in the worker, key, receipt) for the next one. */
async function nextPassenger() {
  face.reset();
  await engine.freeAll();
  panel?.reset();
  Object.assign(passenger, { flight: passenger.flight, bagTag: "", scans: [], current: null, key: null, bags: [] });
  $("passenger-key").textContent = "";
  clearCanvas($("key-qr"));
  $("bag-tag").value = "";
  $("use-scan").disabled = true;
  updateScanCount();
  say($("capture-status"), "");
  showStep("step-consent");
}

/** The passenger is done: the next one starts afresh, in the default language. */
async function handOver() {
  await nextPassenger();
  await resetLanguage();
}

$("next-passenger").addEventListener("click", handOver);

// a passenger who walked away mid-way, or a receipt with the key still on screen
resetWhenIdle(["step-consent", "step-manual"], nextPassenger);

await languages;
if (!document.body.dataset.step) showStep("step-consent");
markReady();
