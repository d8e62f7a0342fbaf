// @ts-check
/**
 * A warning before a kiosk clears itself for privacy (WCAG 2.2.1 Timing
 * Adjustable): instead of resetting at once, the page shows "Still there?"
 * with a "More time" button that takes the focus; any key, touch or typing,
 * or the button, keeps everything as it was. Only when nobody answers within
 * the grace period (20 s, or the idle time when that is shorter, e.g. with
 * `?idle=2` in tests) does the page reset.
 *
 * The box is an element with `role="alertdialog"` holding `#idle-text` and a
 * button `#idle-more` (see boarding.html). Texts: `common.idle_warning.*`.
 *
 * @example
 * resetWhenIdle(["step-manual"], warnThenReset($("idle-warning"), () => nextPassenger()));
 */

import { t } from "./i18n.js";

/** Longest grace period, seconds (WCAG asks for at least 20). */
export const GRACE_SECONDS = 20;

/** The grace period for this page: 20 s, or `?idle=N` when shorter. */
function graceSeconds() {
  const n = Number(new URLSearchParams(location.search).get("idle"));
  return Number.isInteger(n) && n >= 1 && n < GRACE_SECONDS ? n : GRACE_SECONDS;
}

/**
 * Returns the function to give `resetWhenIdle` (ui.js): it warns in `box`
 * first and calls `reset` only when nobody answers in time.
 * @param {HTMLElement} box @param {() => void} reset
 * @returns {() => void}
 */
export function warnThenReset(box, reset) {
  const text = /** @type {HTMLElement} */ (box.querySelector("#idle-text"));
  const more = /** @type {HTMLButtonElement} */ (box.querySelector("#idle-more"));
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @type {Element | null} */
  let focusBefore = null;

  const close = (/** @type {boolean} */ restoreFocus) => {
    if (box.hidden) return;
    clearTimeout(timer);
    box.hidden = true;
    for (const type of ["keydown", "pointerdown", "input"]) document.removeEventListener(type, onActivity, true);
    if (restoreFocus && focusBefore instanceof HTMLElement && focusBefore.isConnected) focusBefore.focus();
  };
  // Enter or Space on "More time" is answered by its click (focus goes back to where it was);
  // any other key, touch or typing answers too, and the focus stays where the person put it
  const onActivity = (/** @type {Event} */ e) => {
    const onButton = e.target === more && e instanceof KeyboardEvent && (e.key === "Enter" || e.key === " ");
    if (!onButton) close(false);
  };
  more.addEventListener("click", () => close(true));

  return () => {
    if (!box.hidden) return;
    const seconds = graceSeconds();
    text.textContent = t("common.idle_warning.text", { seconds });
    focusBefore = document.activeElement;
    box.hidden = false;
    more.focus();
    for (const type of ["keydown", "pointerdown", "input"]) document.addEventListener(type, onActivity, true);
    timer = setTimeout(() => {
      close(false);
      reset();
    }, seconds * 1000);
  };
}
