// @ts-check
/**
 * Reconciliation: the flight's bags and their state (waiting, boarded,
 * expired), and the ones to offload (every bag whose owner did not board).
 * The flight may be given in the URL fragment: `reconciliation.html#flight=SK1415`.
 */

import { Api } from "./api.js";
import { $, el, initKioskKey, say, errorText } from "./ui.js";
import { initI18n } from "./i18n.js";

await initI18n();

const api = new Api(initKioskKey());

/** Labels for the server's bag states. */
const STATE_TEXT = /** @type {Record<string, string>} */ ({
  waiting: "waiting: owner not boarded",
  boarded: "boarded",
  expired: "expired: owner not boarded",
});

/** @type {ReturnType<typeof setInterval> | undefined} */
let timer;

async function load() {
  const flight = $("flight").value.trim().toUpperCase();
  if (!flight) return;
  let data;
  try {
    data = await api.reconciliation(flight);
  } catch (e) {
    say($("status"), errorText(e), "error");
    return;
  }
  say($("status"), "");
  $("result").hidden = false;
  $("result-flight").textContent = data.flight;
  $("updated").textContent = new Date().toLocaleTimeString();
  const boardedCount = data.bags.filter((b) => b.state === "boarded").length;
  $("summary").textContent = `${data.bags.length} bags, ${boardedCount} boarded, ${data.offload.length} to offload`;
  $("offload").replaceChildren(...data.offload.map((tag) => el("li", { "data-bag": tag }, tag)));
  $("offload-none").hidden = data.offload.length > 0;
  $("offload-none").textContent = data.bags.length ? "Nothing to offload: every bag's owner has boarded." : "No bags are recorded for this flight.";
  $("bags").tBodies[0].replaceChildren(
    ...data.bags.map((b) =>
      el("tr", { "data-bag": b.bagTag, "data-state": b.state },
        el("td", {}, b.bagTag),
        el("td", {}, el("span", { class: `state state-${b.state}` }, STATE_TEXT[b.state] ?? b.state)),
      ),
    ),
  );
  document.body.dataset.loaded = flight;
}

function schedule() {
  clearInterval(timer);
  if ($("auto-refresh").checked) timer = setInterval(load, 10_000);
}

$("flight").addEventListener("input", (/** @type {Event} */ e) => {
  const input = /** @type {HTMLInputElement} */ (e.target);
  input.value = input.value.toUpperCase();
});
$("flight-form").addEventListener("submit", (/** @type {Event} */ e) => {
  e.preventDefault();
  history.replaceState(null, "", `#flight=${encodeURIComponent($("flight").value.trim().toUpperCase())}`);
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
