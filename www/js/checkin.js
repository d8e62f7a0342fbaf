// @ts-check
/**
 * Web check-in on the passenger's phone: booking reference and flight →
 * consent (or the manual path) → live camera with guidance, the best three
 * frames taken automatically → the passenger chooses where the sealed token
 * lives:
 *
 * - on the airline's server: `enroll` of the three captures (bagTag = the
 *   booking reference, 24 hours), `PUT /api/checkins/{ref}/token`; the
 *   passenger key is shown as a QR code and as text, and never sent;
 * - only on this phone: nothing is sent; `enroll` of the best capture (one
 *   capture keeps the QR code readable: version 26), token and key kept in
 *   localStorage for this site, one QR code with both (passqr.js).
 *
 * Accessibility: the booking form shows its own errors (linked to the fields,
 * focus on the first wrong one); the manual path is offered on the first
 * screen and beside the camera; the photos have no time limit (the camera
 * waits for as long as the passenger needs) and each one taken is announced
 * ("Photo 2 of 3 taken"); the QR code's text alternative is the passenger
 * key shown as selectable text with a "Copy the key" button.
 */

import { Api } from "./api.js";
import { Engine } from "./engine.js";
import { createFaceCamera } from "./facecam.js";
import { packPass } from "./passqr.js";
import { encodeQr } from "./qr.js";
import { drawQr, clearCanvas } from "./qr-canvas.js";
import { $, el, initKioskKey, busyIndicator, showStep, say, errorText, timeText, markReady, holdFormsUntilReady } from "./ui.js";
import { initI18n, onLanguageChange, setText, t } from "./i18n.js";

holdFormsUntilReady();
await initI18n();

const PHOTOS = 3;
/** A check-in token lives a day at most (the server's limit). */
const TTL_SECONDS = 86400;
/** localStorage: the check-ins kept on this phone, by booking reference. */
const SAVED = "sealmatch.checkins";

const api = new Api(initKioskKey());
const engine = new Engine(busyIndicator());
const camera = createFaceCamera($("face-cam"), engine);

const trip = {
  bookingRef: "",
  flight: "",
  /** @type {import("./engine.js").FaceInfo[]} the photos taken, captures in the worker */
  photos: [],
};

/**
 * @typedef {{ bookingRef: string, flight: string, token: string, passengerKey: string, expiresAt: number }} SavedCheckin
 * @returns {Record<string, SavedCheckin>} the unexpired check-ins kept on this phone
 */
function savedCheckins() {
  /** @type {Record<string, SavedCheckin>} */
  let all = {};
  try {
    all = JSON.parse(localStorage.getItem(SAVED) ?? "{}") ?? {};
  } catch {
    /* damaged: start again */
  }
  const now = Date.now() / 1000;
  for (const [ref, c] of Object.entries(all)) if (!(c.expiresAt > now)) delete all[ref];
  localStorage.setItem(SAVED, JSON.stringify(all));
  return all;
}

/** @param {Record<string, SavedCheckin>} all */
function storeCheckins(all) {
  localStorage.setItem(SAVED, JSON.stringify(all));
}

function listSaved() {
  const all = Object.values(savedCheckins());
  $("saved").hidden = all.length === 0;
  $("saved-list").replaceChildren(
    ...all.map((c) => {
      const show = el("button", { type: "button", class: "link", "data-ref": c.bookingRef });
      setText(show, "checkin.saved_show", { ref: c.bookingRef, flight: c.flight });
      show.addEventListener("click", () => showPhoneCheckin(c));
      return el("li", {}, show);
    }),
  );
}

/**
 * Shows or clears a field's error (the browser's own bubbles are off: they
 * would not follow the page's language). Returns whether the field is valid.
 * @param {HTMLInputElement} input @param {string | null} key the message, null when valid
 */
function fieldError(input, key) {
  const box = $(`${input.id}-error`);
  input.setAttribute("aria-invalid", String(key !== null));
  if (key) setText(box, key);
  else box.textContent = "";
  box.hidden = key === null;
  return key === null;
}

/** The booking form's checks; the first wrong field gets the focus. */
function validBooking() {
  /** @type {HTMLInputElement} */
  const ref = $("booking-ref");
  /** @type {HTMLInputElement} */
  const flight = $("flight");
  const refOk = fieldError(ref, ref.validity.valueMissing ? "checkin.booking_ref_missing" : ref.validity.valid ? null : "checkin.booking_ref_invalid");
  const flightOk = fieldError(flight, flight.validity.valueMissing ? "checkin.flight_missing" : flight.validity.valid ? null : "checkin.flight_invalid");
  if (!refOk) ref.focus();
  else if (!flightOk) flight.focus();
  return refOk && flightOk;
}

for (const id of ["booking-ref", "flight"]) {
  // upper case as typed; a shown error goes away as soon as the field is right
  $(id).addEventListener("input", (/** @type {Event} */ e) => {
    const input = /** @type {HTMLInputElement} */ (e.target);
    input.value = input.value.toUpperCase();
    if (input.getAttribute("aria-invalid") === "true" && input.validity.valid) fieldError(input, null);
  });
}

$("booking-form").addEventListener("submit", (/** @type {Event} */ e) => {
  e.preventDefault();
  if (!validBooking()) return;
  trip.bookingRef = $("booking-ref").value.trim();
  trip.flight = $("flight").value.trim();
  showStep("step-consent");
});

/** The step "Back" on the manual path returns to. */
let beforeManual = "step-booking";

/** The manual path: no photo, staff check the ID at the airport. */
function chooseManual() {
  const from = document.body.dataset.step ?? "step-booking";
  beforeManual = from === "step-camera" ? "step-consent" : from;
  if (from === "step-camera") stopCamera();
  showStep("step-manual");
}

$("booking-manual").addEventListener("click", chooseManual);
$("consent-no").addEventListener("click", chooseManual);
$("camera-manual").addEventListener("click", chooseManual);
$("manual-back").addEventListener("click", () => showStep(beforeManual));

/** Whether the photos are being taken (the button then does nothing, but keeps its focus). */
let taking = false;

function setTakeEnabled(/** @type {boolean} */ enabled) {
  $("take-photo").disabled = !enabled;
  $("take-photo").removeAttribute("aria-disabled");
}

$("consent-yes").addEventListener("click", async () => {
  showStep("step-camera");
  setTakeEnabled(false);
  $("photo-count").textContent = "";
  say($("camera-status"), "");
  try {
    await camera.start();
    setTakeEnabled(true);
  } catch (e) {
    say($("camera-status"), t("checkin.camera_error", { error: errorText(e) }), "error");
  }
});

/** performance.now() when "Take my photo" was pressed (the check-in time is measured from it) */
let photoAt = 0;

$("take-photo").addEventListener("click", async () => {
  if (taking) return;
  // not disabled: a disabled button would drop the keyboard focus
  taking = true;
  $("take-photo").setAttribute("aria-disabled", "true");
  photoAt = performance.now();
  setText($("photo-count"), "checkin.taking");
  // no time limit: the camera waits as long as the passenger needs
  const photos = await camera.take(PHOTOS, {
    onProgress: (got, n) => setText($("photo-count"), "checkin.photo_progress", { n: got, total: n }),
  });
  taking = false;
  $("take-photo").removeAttribute("aria-disabled");
  if (photos.length < PHOTOS) return; // cancelled
  camera.stop();
  trip.photos = photos;
  setText($("photos-taken"), "checkin.photos_taken", { n: photos.length });
  say($("storage-status"), "");
  showStep("step-storage");
});

/** Stops the camera and forgets any photo taken so far. */
function stopCamera() {
  camera.stop();
  taking = false;
  $("photo-count").textContent = "";
}

$("camera-cancel").addEventListener("click", () => startOver());

/** The photos to seal, best first. */
function bestPhotos() {
  return [...trip.photos].sort((a, b) => b.quality - a.quality).map((p) => p.handle);
}

$("store-server").addEventListener("click", async () => {
  $("store-server").disabled = $("store-phone").disabled = true;
  try {
    const out = await engine.enroll({ handles: bestPhotos(), bagTag: trip.bookingRef, flight: trip.flight, ttlSeconds: TTL_SECONDS });
    await api.putCheckinToken(trip.bookingRef, out.token);
    await engine.freeAll();
    trip.photos = [];
    setText($("done-where"), "checkin.done_where_server");
    showDone(out.passengerKey, out.header, out.passengerKey, false);
  } catch (e) {
    say($("storage-status"), errorText(e), "error");
  } finally {
    $("store-server").disabled = $("store-phone").disabled = false;
  }
});

$("store-phone").addEventListener("click", async () => {
  $("store-server").disabled = $("store-phone").disabled = true;
  try {
    const out = await engine.enroll({ handles: bestPhotos().slice(0, 1), bagTag: trip.bookingRef, flight: trip.flight, ttlSeconds: TTL_SECONDS });
    await engine.freeAll();
    trip.photos = [];
    /** @type {SavedCheckin} */
    const saved = { bookingRef: trip.bookingRef, flight: trip.flight, token: out.token, passengerKey: out.passengerKey, expiresAt: out.header.expiresAt };
    const all = savedCheckins();
    all[saved.bookingRef] = saved;
    storeCheckins(all);
    showPhoneCheckin(saved);
  } catch (e) {
    say($("storage-status"), errorText(e), "error");
  } finally {
    $("store-server").disabled = $("store-phone").disabled = false;
  }
});

/** @param {SavedCheckin} c */
function showPhoneCheckin(c) {
  setText($("done-where"), "checkin.done_where_phone");
  showDone(packPass(c.token, c.passengerKey), { bagTag: c.bookingRef, flight: c.flight, expiresAt: c.expiresAt }, c.passengerKey, true);
}

/**
 * @param {string} qrText what the QR code carries
 * @param {{ bagTag: string, flight: string, expiresAt: number }} header
 * @param {string} key the passenger key, shown as text
 * @param {boolean} onPhone
 */
function showDone(qrText, header, key, onPhone) {
  const qr = encodeQr(qrText);
  drawQr($("pass-qr"), qrText, onPhone ? 3 : 6);
  $("pass-qr").dataset.chars = String(qrText.length);
  $("pass-qr").dataset.version = String(qr.version);
  setText($("done-qr-size"), "checkin.qr_size", { chars: qrText.length, version: qr.version, size: qr.size });
  // the QR code's text alternative: what it holds, and where the key is as text
  $("pass-qr").setAttribute("data-i18n-attr", onPhone ? "aria-label:checkin.qr_label_phone" : "aria-label:checkin.qr_label_server");
  $("pass-qr").setAttribute("aria-label", onPhone ? t("checkin.qr_label_phone") : t("checkin.qr_label_server"));
  $("passenger-key").textContent = key;
  $("copy-status").textContent = "";
  $("done-ref").textContent = header.bagTag;
  $("done-flight").textContent = header.flight;
  expiresAt = header.expiresAt;
  $("done-expiry").textContent = timeText(header.expiresAt);
  $("forget").hidden = !onPhone;
  $("forget").dataset.ref = header.bagTag;
  document.body.dataset.storage = onPhone ? "phone" : "server";
  if (photoAt) document.body.dataset.checkinMs = String(Math.round(performance.now() - photoAt));
  photoAt = 0;
  showStep("step-done");
}

/** The shown check-in's expiry (Unix seconds), re-formatted when the language changes. */
let expiresAt = 0;
onLanguageChange(() => {
  if (expiresAt) $("done-expiry").textContent = timeText(expiresAt);
});

/**
 * Copies the passenger key to the clipboard; the key is selected as well,
 * so the phone's own copy command works where the clipboard is refused.
 */
$("copy-key").addEventListener("click", async () => {
  const code = $("passenger-key");
  const selection = getSelection();
  if (selection) {
    const range = document.createRange();
    range.selectNodeContents(code);
    selection.removeAllRanges();
    selection.addRange(range);
  }
  try {
    await navigator.clipboard.writeText(code.textContent ?? "");
    setText($("copy-status"), "checkin.key_copied");
  } catch {
    setText($("copy-status"), "checkin.key_selected");
  }
});

$("forget").addEventListener("click", () => {
  const all = savedCheckins();
  delete all[$("forget").dataset.ref ?? ""];
  storeCheckins(all);
  startOver();
});

$("done").addEventListener("click", () => startOver());

/** Forgets this check-in's photos, key and QR code on screen. */
async function startOver() {
  stopCamera();
  await engine.freeAll();
  trip.photos = [];
  clearCanvas($("pass-qr"));
  $("passenger-key").textContent = "";
  $("copy-status").textContent = "";
  expiresAt = 0;
  delete document.body.dataset.storage;
  listSaved();
  showStep("step-booking");
}

listSaved();
showStep("step-booking");
markReady();
