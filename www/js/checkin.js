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
 */

import { Api } from "./api.js";
import { Engine } from "./engine.js";
import { createFaceCamera } from "./facecam.js";
import { packPass } from "./passqr.js";
import { encodeQr } from "./qr.js";
import { drawQr, clearCanvas } from "./qr-canvas.js";
import { $, el, initKioskKey, busyIndicator, showStep, say, errorText, timeText } from "./ui.js";
import { initI18n } from "./i18n.js";

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
      const show = el("button", { type: "button", class: "link", "data-ref": c.bookingRef }, `Booking ${c.bookingRef}, flight ${c.flight}: show the QR code`);
      show.addEventListener("click", () => showPhoneCheckin(c));
      return el("li", {}, show);
    }),
  );
}

for (const id of ["booking-ref", "flight"]) {
  $(id).addEventListener("input", (/** @type {Event} */ e) => {
    const input = /** @type {HTMLInputElement} */ (e.target);
    input.value = input.value.toUpperCase();
  });
}

$("booking-form").addEventListener("submit", (/** @type {Event} */ e) => {
  e.preventDefault();
  trip.bookingRef = $("booking-ref").value.trim();
  trip.flight = $("flight").value.trim();
  showStep("step-consent");
});

$("consent-no").addEventListener("click", () => showStep("step-manual"));
$("manual-back").addEventListener("click", () => showStep("step-consent"));

$("consent-yes").addEventListener("click", async () => {
  showStep("step-camera");
  $("take-photo").disabled = true;
  $("photo-count").textContent = "";
  say($("camera-status"), "");
  try {
    await camera.start();
    $("take-photo").disabled = false;
  } catch (e) {
    say($("camera-status"), `Camera: ${errorText(e)}`, "error");
  }
});

/** performance.now() when "Take my photo" was pressed (the check-in time is measured from it) */
let photoAt = 0;

$("take-photo").addEventListener("click", async () => {
  $("take-photo").disabled = true;
  photoAt = performance.now();
  $("photo-count").textContent = "Taking photos: hold still…";
  const photos = await camera.take(PHOTOS);
  if (photos.length < PHOTOS) return; // cancelled
  camera.stop();
  trip.photos = photos;
  $("photos-taken").textContent = `${photos.length} photos taken.`;
  say($("storage-status"), "");
  showStep("step-storage");
});

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
    $("done-where").textContent = "Your sealed record is on the airline's server. At the bag drop kiosk, show this QR code (your passenger key) and look into the camera.";
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
  $("done-where").textContent = "Your sealed record and your passenger key are kept only in this browser on this phone. At the bag drop kiosk, show this QR code to its camera and look into the camera.";
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
  $("done-qr-size").textContent = `QR code: ${qrText.length} characters, version ${qr.version} (${qr.size}×${qr.size} modules).`;
  $("passenger-key").textContent = key;
  $("done-ref").textContent = header.bagTag;
  $("done-flight").textContent = header.flight;
  $("done-expiry").textContent = timeText(header.expiresAt);
  $("forget").hidden = !onPhone;
  $("forget").dataset.ref = header.bagTag;
  document.body.dataset.storage = onPhone ? "phone" : "server";
  if (photoAt) document.body.dataset.checkinMs = String(Math.round(performance.now() - photoAt));
  photoAt = 0;
  showStep("step-done");
}

$("forget").addEventListener("click", () => {
  const all = savedCheckins();
  delete all[$("forget").dataset.ref ?? ""];
  storeCheckins(all);
  startOver();
});

$("done").addEventListener("click", () => startOver());

/** Forgets this check-in's photos, key and QR code on screen. */
async function startOver() {
  camera.stop();
  await engine.freeAll();
  trip.photos = [];
  clearCanvas($("pass-qr"));
  $("passenger-key").textContent = "";
  delete document.body.dataset.storage;
  listSaved();
  showStep("step-booking");
}

listSaved();
showStep("step-booking");
