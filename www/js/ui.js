// @ts-check
/**
 * Small helpers shared by the three pages: the kiosk key, the busy indicator,
 * section switching, and human text for the library's codes.
 */

const KEY_STORAGE = "sealmatch.kioskKey";

/**
 * The kiosk key: taken from the URL fragment (`#key=...`, as `make demo`
 * prints it) and then removed from the address bar, or from sessionStorage,
 * or asked for once in the page's key bar (`#kiosk-key-bar`).
 * @returns {() => string | null} the current key
 */
export function initKioskKey() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const fromUrl = fragment.get("key");
  if (fromUrl) {
    sessionStorage.setItem(KEY_STORAGE, fromUrl);
    fragment.delete("key");
    const rest = fragment.toString();
    history.replaceState(null, "", location.pathname + location.search + (rest ? `#${rest}` : ""));
  }
  const bar = document.getElementById("kiosk-key-bar");
  if (bar) {
    const render = () => {
      const key = sessionStorage.getItem(KEY_STORAGE);
      bar.replaceChildren();
      if (key) {
        const span = el("span", { class: "muted" }, "Kiosk signed in. ");
        const out = el("button", { type: "button", class: "link" }, "Sign out");
        out.addEventListener("click", () => {
          sessionStorage.removeItem(KEY_STORAGE);
          render();
        });
        bar.append(span, out);
      } else {
        const input = /** @type {HTMLInputElement} */ (el("input", { type: "password", id: "kiosk-key", autocomplete: "off", placeholder: "kiosk key" }));
        const form = el("form", { class: "inline" }, el("label", { for: "kiosk-key" }, "Kiosk key "), input, el("button", { type: "submit" }, "Sign in"));
        form.addEventListener("submit", (e) => {
          e.preventDefault();
          if (input.value.trim()) sessionStorage.setItem(KEY_STORAGE, input.value.trim());
          render();
        });
        bar.append(form);
      }
    };
    render();
  }
  return () => sessionStorage.getItem(KEY_STORAGE);
}

/**
 * Creates an element. @param {string} tag @param {Record<string, string>} [attrs]
 * @param {...(Node | string)} children
 * @returns {HTMLElement}
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

/** @param {string} id @returns {any} */
export function $(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} missing`);
  return node;
}

/**
 * Shows one step (`<section class="step">`) and hides the others.
 * @param {string} id
 */
export function showStep(id) {
  for (const s of document.querySelectorAll("section.step")) {
    /** @type {HTMLElement} */ (s).hidden = s.id !== id;
  }
  document.body.dataset.step = id;
  const heading = document.querySelector(`#${id} h2`);
  if (heading instanceof HTMLElement) {
    heading.tabIndex = -1;
    heading.focus();
  }
}

/**
 * The busy indicator (`#busy`): an animated bar and the current stage, shown
 * while the worker runs. Returns the callback for {@link import("./engine.js").Engine}.
 * @returns {(busy: boolean, stage: string) => void}
 */
export function busyIndicator() {
  const box = $("busy");
  const label = box.querySelector(".stage");
  let shownAt = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let hideTimer;
  return (busy, stage) => {
    clearTimeout(hideTimer);
    if (busy) {
      if (box.hidden) shownAt = performance.now();
      box.hidden = false;
      label.textContent = stage || "Working";
      document.body.dataset.busy = "1";
    } else {
      // keep it on screen long enough to be seen, without delaying the work
      const wait = Math.max(0, 250 - (performance.now() - shownAt));
      hideTimer = setTimeout(() => {
        box.hidden = true;
        delete document.body.dataset.busy;
      }, wait);
    }
  };
}

/** Human text for capture feedback codes. */
export const FEEDBACK_TEXT = /** @type {Record<string, string>} */ ({
  blank: "No finger found on the scanner.",
  too_dark: "Too dark: press more lightly, or wipe the scanner glass.",
  too_light: "Too light: press a little harder.",
  low_contrast: "Ridges unclear: dry or slightly moisten the finger and try again.",
  too_small: "Too little of the finger: lay more of it flat on the glass.",
  off_center: "Move the finger to the centre of the scanner.",
  few_features: "Few features found: press the whole fingertip flat and still.",
  no_ridges: "No ridges found: place a finger on the scanner glass.",
});

/** The live face camera's guide line, per feedback code ("good" when there is none). */
export const FACE_FEEDBACK_TEXT = /** @type {Record<string, string>} */ ({
  good: "Good: hold still.",
  no_face: "No face found: look straight into the camera.",
  several_faces: "More than one face: make sure only you are in the picture.",
  too_small: "Come closer to the camera.",
  off_centre: "Centre your face in the oval.",
  turned: "Look straight into the camera, head level.",
  too_dark: "Too dark: find more light, or face a window.",
  too_bright: "Too bright: move out of direct light.",
  blurred: "Hold still: the picture is blurred.",
});

/** Human text for the library's and the server's error codes. */
export const ERROR_TEXT = /** @type {Record<string, string>} */ ({
  INVALID_IMAGE: "That image cannot be used as a fingerprint scan.",
  INVALID_ARGUMENT: "Check the flight and bag tag.",
  LOW_QUALITY: "The scan is not good enough. Please scan again.",
  TOKEN_MALFORMED: "The bag's record is damaged.",
  TOKEN_UNSUPPORTED: "The bag's record was made by a newer version.",
  TOKEN_EXPIRED: "The bag's record has expired.",
  WRONG_BAG: "This record belongs to another bag or flight.",
  TOKEN_REJECTED: "This passenger key does not open this bag's record.",
  KEY_MALFORMED: "The passenger key is not valid. Check it and try again.",
  unauthorized: "The kiosk key is missing or wrong. Sign the kiosk in again.",
  not_found: "No record for this bag (already boarded, expired, or never dropped).",
  conflict: "This bag already has a record.",
  network: "The token service cannot be reached.",
  bad_proof: "The server refused this gate's signed result. Check \"This gate device\" below: it must be registered.",
  GATE_KEY_UNAVAILABLE: "This browser cannot keep a gate signing key (WebCrypto and IndexedDB need a secure context: https or localhost).",
  ENGINE_UNAVAILABLE: "The fingerprint engine could not be loaded on this kiosk.",
  MODALITY_MISMATCH: "This record was made with the other biometric (face or fingerprint).",
  NOT_READY: "The face models are still loading.",
  NotAllowedError: "The camera was not allowed. Allow it in the browser, or choose the manual check.",
  NotFoundError: "No camera was found.",
  // scanner adapters (sealmatch/scanners)
  SCANNER_UNAVAILABLE: "The scanner service is not running on this kiosk.",
  NO_DEVICE: "No fingerprint scanner is connected.",
  DEVICE_BUSY: "The scanner is busy. Try again in a moment.",
  TIMEOUT: "No finger was placed in time. Please scan again.",
  DEVICE_DISCONNECTED: "The scanner was unplugged. Plug it in and scan again.",
  BAD_REPLY: "The scanner service gave an answer this kiosk cannot read.",
  CANCELLED: "The scan was cancelled.",
  SCANNER_ERROR: "The scanner reported an error. Please scan again.",
});

/**
 * A message for an error from the engine or the API.
 * @param {any} err
 */
export function errorText(err) {
  const code = typeof err?.code === "string" ? err.code : err?.name; // DOMException: the name
  const known = ERROR_TEXT[code];
  return known ? `${known} (${code})` : String(err?.message ?? err);
}

/**
 * Shows a message in a status box (`role="status"` or `role="alert"`).
 * @param {HTMLElement} box @param {string} text @param {"info" | "ok" | "error"} [kind]
 */
export function say(box, text, kind = "info") {
  box.textContent = text;
  box.dataset.kind = kind;
  box.hidden = !text;
}

/** Formats Unix seconds as local time. @param {number} t */
export function timeText(t) {
  return new Date(t * 1000).toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" });
}

/** Bag tag bounds (docs/api.md). */
export const BAG_TAG_PATTERN = "[A-Za-z0-9]{1,20}";
/** Flight bounds (docs/api.md). */
export const FLIGHT_PATTERN = "[A-Z0-9]{2,8}";

/**
 * Calls `reset` when nobody has touched the kiosk for a while (default
 * 120 s; `?idle=N` in the URL sets N, 1..3600), unless the current step
 * (`document.body.dataset.step`) is one of `restingSteps` or work is running;
 * then it waits another round.
 * @param {string[]} restingSteps steps that need no reset
 * @param {() => void} reset
 */
export function resetWhenIdle(restingSteps, reset) {
  const n = Number(new URLSearchParams(location.search).get("idle"));
  const seconds = Number.isInteger(n) && n >= 1 && n <= 3600 ? n : 120;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!document.body.dataset.busy && !restingSteps.includes(document.body.dataset.step ?? "")) reset();
      arm();
    }, seconds * 1000);
  };
  for (const type of ["pointerdown", "keydown", "input"]) document.addEventListener(type, arm, { passive: true });
  arm();
}
