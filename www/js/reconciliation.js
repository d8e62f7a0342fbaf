// @ts-check
/**
 * Reconciliation: the flight's bags and their state (waiting, boarded,
 * expired), and the ones to offload (every bag whose owner did not board).
 * The flight may be given in the URL fragment: `reconciliation.html#flight=SK1415`.
 *
 * Texts are in the page's language (section `reconciliation` of
 * www/i18n/). A bag's state is said in words (the colour only repeats it).
 * The list refreshes every 10 s unless staff turn that off; a refresh does
 * not announce anything, and an error is announced once, not at every
 * refresh.
 */

import { Api } from "./api.js";
import { $, el, initKioskKey, errorText, timeText, markReady, holdFormsUntilReady } from "./ui.js";
import { initI18n, t } from "./i18n.js";
import { bindSlots, bindText, sayText } from "./live-text.js";

holdFormsUntilReady();
await initI18n();

const api = new Api(initKioskKey());

/**
 * A bag state in words (marked with its key, so a language change redraws it).
 * @param {string} state
 */
function stateBadge(state) {
  const cls = `state state-${state}`;
  if (state === "waiting") return el("span", { class: cls, "data-i18n": "reconciliation.state_waiting" }, t("reconciliation.state_waiting"));
  if (state === "boarded") return el("span", { class: cls, "data-i18n": "reconciliation.state_boarded" }, t("reconciliation.state_boarded"));
  if (state === "expired") return el("span", { class: cls, "data-i18n": "reconciliation.state_expired" }, t("reconciliation.state_expired"));
  return el("span", { class: cls }, state);
}

/** @type {ReturnType<typeof setInterval> | undefined} */
let timer;
/** the error on screen (its code), so a refresh that fails the same way says nothing new */
let shownError = "";

async function load() {
  const flight = $("flight").value.trim().toUpperCase();
  if (!flight) return;
  let data;
  try {
    data = await api.reconciliation(flight);
  } catch (e) {
    const code = String(/** @type {any} */ (e)?.code ?? /** @type {any} */ (e)?.name ?? "unknown");
    if (code !== shownError) sayText($("status"), () => errorText(e), "error");
    shownError = code;
    return;
  }
  shownError = "";
  sayText($("status"), null);
  $("result").hidden = false;
  $("result-flight").textContent = data.flight;
  const now = Date.now() / 1000;
  bindText($("updated"), () => timeText(now));
  const counts = {
    bags: data.bags.length,
    boarded: data.bags.filter((b) => b.state === "boarded").length,
    offload: data.offload.length,
  };
  bindText($("summary"), () => t("reconciliation.summary", counts));
  $("offload").replaceChildren(...data.offload.map((tag) => el("li", { "data-bag": tag }, tag)));
  $("offload-none").hidden = data.offload.length > 0;
  const empty = data.bags.length === 0;
  bindText($("offload-none"), () => (empty ? t("reconciliation.no_bags") : t("reconciliation.offload_none")));
  $("bags").tBodies[0].replaceChildren(
    ...data.bags.map((b) => el("tr", { "data-bag": b.bagTag, "data-state": b.state }, el("td", {}, el("bdi", {}, b.bagTag)), el("td", {}, stateBadge(b.state)))),
  );
  document.body.dataset.loaded = flight;
}

function schedule() {
  clearInterval(timer);
  if ($("auto-refresh").checked) timer = setInterval(load, 10_000);
}

bindSlots($("result-title"), "reconciliation.result_title", { flight: $("result-flight") });
bindSlots($("result-meta"), "reconciliation.result_meta", { time: $("updated"), summary: $("summary") });

$("flight").addEventListener("input", (/** @type {Event} */ e) => {
  const input = /** @type {HTMLInputElement} */ (e.target);
  input.value = input.value.toUpperCase();
});
$("flight-form").addEventListener("submit", (/** @type {Event} */ e) => {
  e.preventDefault();
  const input = /** @type {HTMLInputElement} */ ($("flight"));
  input.value = input.value.trim().toUpperCase();
  if (!input.value || !input.checkValidity()) {
    // the form has `novalidate`: the browser's own bubble would speak the browser's language
    input.setAttribute("aria-invalid", "true");
    shownError = "";
    sayText($("status"), () => t("reconciliation.invalid_flight"), "error");
    input.focus();
    return;
  }
  input.removeAttribute("aria-invalid");
  history.replaceState(null, "", `#flight=${encodeURIComponent(input.value)}`);
  shownError = "";
  load();
  schedule();
});
$("auto-refresh").addEventListener("change", schedule);

const initial = new URLSearchParams(location.hash.slice(1)).get("flight");
if (initial) {
  $("flight").value = initial;
  load();
  schedule();
}
markReady();
