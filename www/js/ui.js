// @ts-check
/**
 * Small helpers shared by the three pages: the kiosk key, the busy indicator,
 * section switching, and human text for the library's codes (in the page's
 * language: see i18n.js).
 */

import { has, lang, resetLanguage, setText, t } from "./i18n.js";

const KEY_STORAGE = "sealmatch.kioskKey";

/**
 * Until {@link markReady}, a form's submit does nothing instead of the
 * browser's own submission, which would reload the page and lose what the
 * traveller typed (a slow phone may show the form before the page's module
 * has fetched its language file and attached its handlers). Each page with
 * forms calls it first, before anything it awaits.
 *
 * @example
 * holdFormsUntilReady();
 * await initI18n();
 */
export function holdFormsUntilReady() {
  document.addEventListener(
    "submit",
    (event) => {
      if (document.documentElement.dataset.ready !== "true") event.preventDefault();
    },
    true,
  );
}

/**
 * Marks the page ready: `<html data-ready="true">`. Each page's module calls it
 * last, once every control has its handler. The modules first wait for the
 * language file, and the browser's `load` event does not wait for that, so a
 * click before this mark does nothing; scripts that drive a page (the tests,
 * a kiosk's own automation) wait for `html[data-ready]` after loading it.
 *
 * @example
 * await initI18n();
 * $("start").addEventListener("click", start);
 * markReady();
 */
export function markReady() {
  document.documentElement.dataset.ready = "true";
}

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
        const span = el("span", { class: "muted", "data-i18n": "common.kiosk_signed_in" }, t("common.kiosk_signed_in"));
        const out = el("button", { type: "button", class: "link", "data-i18n": "common.sign_out" }, t("common.sign_out"));
        out.addEventListener("click", () => {
          sessionStorage.removeItem(KEY_STORAGE);
          render();
        });
        bar.append(span, " ", out);
      } else {
        const input = /** @type {HTMLInputElement} */ (el("input", { type: "password", id: "kiosk-key", autocomplete: "off", placeholder: t("common.kiosk_key_placeholder"), "data-i18n-attr": "placeholder:common.kiosk_key_placeholder" }));
        const form = el("form", { class: "inline" }, el("label", { for: "kiosk-key", "data-i18n": "common.kiosk_key" }, t("common.kiosk_key")), input, el("button", { type: "submit", "data-i18n": "common.sign_in" }, t("common.sign_in")));
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
      // worker.js sends stage codes; each has a text `common.busy_<code>`
      const key = stage && has(`common.busy_${stage}`) ? `common.busy_${stage}` : "common.working";
      setText(label, key);
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

/**
 * Human text for a fingerprint capture feedback code, in the page's language
 * (`lib.feedback.*` in www/i18n/; the code itself when unknown).
 * @param {string} code
 */
export function feedbackText(code) {
  return has(`lib.feedback.${code}`) ? t(`lib.feedback.${code}`) : code;
}

/** An error's stable code: its `code`, else (a DOMException) its `name`. @param {any} err */
function errorCode(err) {
  return typeof err?.code === "string" ? err.code : err?.name;
}

/**
 * The translation key for an error from the engine, the library, a scanner
 * adapter or the server: `lib.error.CODE` for the library's codes,
 * `lib.scanner.CODE` for the scanner adapters', `common.error.code` for the
 * page's and the server's (a DOMException by its name),
 * `common.scanner_error.CODE` for the demo's own adapters (scanners.js);
 * null when unknown.
 * @param {any} err
 */
export function errorKey(err) {
  const code = errorCode(err);
  if (typeof code !== "string") return null;
  for (const key of [`lib.error.${code}`, `lib.scanner.${code}`, `common.error.${code}`, `common.scanner_error.${code}`]) {
    if (has(key)) return key;
  }
  return null;
}

/**
 * A message for an error from the engine or the API, in the page's language,
 * with the stable code in brackets for staff.
 * @param {any} err
 */
export function errorText(err) {
  const key = errorKey(err);
  return key ? `${t(key)} (${errorCode(err)})` : t("common.error.unknown");
}

/**
 * Shows a message in a status box, as an alert (`role="alert"`) when `kind`
 * is `"error"`, else as a polite status; an empty text hides the box.
 * @param {HTMLElement} box @param {string} text @param {"info" | "ok" | "error"} [kind]
 */
export function say(box, text, kind = "info") {
  box.removeAttribute("data-i18n");
  box.removeAttribute("data-i18n-params");
  box.textContent = text;
  mark(box, text, kind);
}

/** @param {HTMLElement} box @param {string} text @param {"info" | "ok" | "error"} kind */
function mark(box, text, kind) {
  box.dataset.kind = kind;
  box.setAttribute("role", kind === "error" ? "alert" : "status");
  box.hidden = !text;
}

/**
 * Like {@link say}, with a translation key: the message follows later
 * language changes.
 * @example sayKey($("capture-status"), "bagdrop.scan_added", {}, "ok");
 * @param {HTMLElement} box @param {string} key @param {Record<string, string | number>} [params]
 * @param {"info" | "ok" | "error"} [kind]
 */
export function sayKey(box, key, params, kind = "info") {
  setText(box, key, params);
  mark(box, box.textContent ?? "", kind);
}

/**
 * Shows an error (see {@link errorText}) as an alert, its text following
 * later language changes; the stable code stays in brackets for staff.
 * `prefix`, a translation key, goes before it (e.g. "Camera:").
 * @example sayError($("capture-status"), err);
 * @param {HTMLElement} box @param {any} err @param {string} [prefix]
 */
export function sayError(box, err, prefix) {
  const known = errorKey(err);
  const key = known ?? "common.error.unknown";
  box.removeAttribute("data-i18n");
  box.removeAttribute("data-i18n-params");
  const parts = [];
  if (prefix) parts.push(el("span", { "data-i18n": prefix }, t(prefix)), " ");
  parts.push(el("span", { "data-i18n": key }, t(key)));
  if (known) parts.push(` (${errorCode(err)})`);
  box.replaceChildren(...parts);
  mark(box, box.textContent ?? "", "error");
}

/** Formats Unix seconds as local time, in the page's language. @param {number} seconds */
export function timeText(seconds) {
  return new Date(seconds * 1000).toLocaleString(lang(), { dateStyle: "short", timeStyle: "short" });
}

/** Bag tag bounds (docs/api.md). */
export const BAG_TAG_PATTERN = "[A-Za-z0-9]{1,20}";
/** Flight bounds (docs/api.md). */
export const FLIGHT_PATTERN = "[A-Z0-9]{2,8}";

/**
 * The kiosk's time limit (WCAG 2.2.1): when nobody has touched the kiosk for
 * a while (default 120 s; `?idle=N` in the URL sets N, 1..3600) and the
 * current step (`document.body.dataset.step`) is not one of `restingSteps`
 * and no work is running, a warning asks "Are you still there?" with a
 * countdown (min(N, 30) s) and an "I need more time" button that starts the
 * wait afresh (so does any touch or key). Only when the countdown ends is the
 * kiosk reset: `reset()`, and the language back to the default for the next
 * passenger. The warning takes the focus (its button) when it appears, so a
 * screen reader reads it; a polite status says the time left once more 10 s
 * before the end, not every second.
 * @example resetWhenIdle(["step-consent"], () => nextPassenger());
 * @param {string[]} restingSteps steps that need no reset
 * @param {() => void | Promise<void>} reset
 */
export function resetWhenIdle(restingSteps, reset) {
  const n = Number(new URLSearchParams(location.search).get("idle"));
  const seconds = Number.isInteger(n) && n >= 1 && n <= 3600 ? n : 120;
  const warnFor = Math.min(seconds, 30);
  const warning = idleWarning();
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let ticker;
  /** @type {Element | null} where the focus was before the warning took it */
  let focusBefore = null;

  const hideWarning = () => {
    clearInterval(ticker);
    ticker = undefined;
    if (warning.box.hidden) return;
    warning.box.hidden = true;
    delete document.body.dataset.idleWarning;
    if (focusBefore instanceof HTMLElement && document.contains(focusBefore) && warning.box.contains(document.activeElement)) focusBefore.focus();
  };
  const arm = () => {
    clearTimeout(timer);
    hideWarning();
    timer = setTimeout(() => {
      if (document.body.dataset.busy || restingSteps.includes(document.body.dataset.step ?? "")) arm();
      else warn();
    }, seconds * 1000);
  };
  const warn = () => {
    let left = warnFor;
    setText(warning.count, "common.idle_countdown", { seconds: left });
    focusBefore = document.activeElement;
    warning.box.hidden = false;
    document.body.dataset.idleWarning = "1";
    warning.more.focus();
    ticker = setInterval(async () => {
      left--;
      if (left > 0) {
        setText(warning.count, "common.idle_countdown", { seconds: left });
        if (left === 10 && warnFor > 10) setText(warning.live, "common.idle_announce", { seconds: left });
        return;
      }
      clearInterval(ticker);
      focusBefore = null;
      hideWarning();
      warning.live.removeAttribute("data-i18n");
      warning.live.textContent = "";
      await reset();
      await resetLanguage();
      arm();
    }, 1000);
  };
  warning.more.addEventListener("click", arm);
  // any touch or key is activity, except inside the warning: there its button
  // decides (a key that hid the warning at once would land elsewhere)
  const activity = (/** @type {Event} */ e) => {
    if (!(e.target instanceof Node && warning.box.contains(e.target))) arm();
  };
  for (const type of ["pointerdown", "keydown", "input"]) document.addEventListener(type, activity, { passive: true });
  arm();
}

/**
 * The idle warning's elements (made once, at the end of `<body>`): a
 * non-modal alert dialog with a visible countdown (not a live region) and a
 * separate polite live region, always present, for the 10-second reminder.
 */
function idleWarning() {
  const title = el("h2", { id: "idle-warning-title", "data-i18n": "common.idle_title" }, t("common.idle_title"));
  const text = el("p", { id: "idle-warning-text", "data-i18n": "common.idle_text" }, t("common.idle_text"));
  const count = el("p", { class: "idle-count", "data-role": "idle-countdown" });
  const more = el("button", { type: "button", class: "primary", id: "idle-more", "data-i18n": "common.idle_more" }, t("common.idle_more"));
  const box = el("div", { class: "idle-warning", id: "idle-warning", role: "alertdialog", "aria-labelledby": "idle-warning-title", "aria-describedby": "idle-warning-text", hidden: "" },
    title, text, count, el("div", { class: "actions" }, more));
  const live = el("p", { class: "visually-hidden", "data-role": "idle-announce", role: "status" });
  document.body.append(box, live);
  return { box, count, more, live };
}
