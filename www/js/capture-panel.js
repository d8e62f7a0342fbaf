// @ts-check
/**
 * The capture panel used at bag drop and at the gate: pick a scanner adapter,
 * take an impression, process it in the worker, and show live quality
 * feedback with the found features drawn over the normalised image.
 *
 * "Look for scanners" probes the vendor services on the kiosk
 * (`findKioskScanners`) and lists the ones found beside the sample and file
 * options; `?scanners=find` in the page's URL looks at once, and
 * `?secugen=URL` / `?suprema=URL` point at services elsewhere than the
 * vendors' defaults.
 */

import { fileScanner, sampleScanner, loadSamples, findKioskScanners } from "./scanners.js";
import { el, feedbackText, errorText, say, sayError, sayKey } from "./ui.js";
import { has, safeFragment, setText, t } from "./i18n.js";

/**
 * @typedef {import("./engine.js").CaptureInfo} CaptureInfo
 * @typedef {import("./scanners.js").ScannerAdapter} ScannerAdapter
 */

/**
 * Builds the panel inside `container`.
 *
 * @param {HTMLElement} container
 * @param {import("./engine.js").Engine} engine
 * @param {{ onCapture: (info: CaptureInfo) => void, extraScanners?: ScannerAdapter[], digitalPersonaReader?: any }} options
 *   `onCapture` gets every processed impression (good or not); the panel
 *   frees the previous one unless the caller keeps it with `keep()`;
 *   `digitalPersonaReader`: a `FingerprintReader` from @digitalpersona/devices,
 *   when the kiosk has one, so "Look for scanners" also finds it.
 * @returns {Promise<{ reset: () => void, keep: (handle: number) => void }>}
 */
export async function createCapturePanel(container, engine, options) {
  const manifest = await loadSamples();
  const fileInput = /** @type {HTMLInputElement} */ (el("input", { type: "file", accept: "image/*", "data-role": "file" }));
  const dpiInput = /** @type {HTMLInputElement} */ (el("input", { type: "number", min: "250", max: "1000", step: "1", value: "500", "data-role": "dpi" }));
  const fingerSelect = /** @type {HTMLSelectElement} */ (el("select", { "data-role": "finger" }));
  const impressionSelect = /** @type {HTMLSelectElement} */ (el("select", { "data-role": "impression" }));
  const scanButton = el("button", { type: "button", "data-role": "scan-sample", class: "primary", "data-i18n": "common.capture_scan" }, t("common.capture_scan"));
  const canvas = /** @type {HTMLCanvasElement} */ (el("canvas", { "data-role": "preview", width: "1", height: "1", role: "img", "aria-label": t("common.capture_preview"), "data-i18n-attr": "aria-label:common.capture_preview" }));
  const meter = /** @type {HTMLMeterElement} */ (el("meter", { min: "0", max: "100", low: "40", high: "70", optimum: "100", value: "0", "data-role": "quality", "aria-labelledby": "capture-quality-label" }));
  const qualityText = el("span", { "data-role": "quality-text", "data-i18n": "common.capture_no_scan" }, t("common.capture_no_scan"));
  const feedbackList = el("ul", { "data-role": "feedback", class: "feedback" });
  const message = el("p", { role: "status", "data-role": "capture-message", hidden: "" });

  const findButton = el("button", { type: "button", "data-role": "find-scanners", "data-i18n": "common.capture_find_scanners" }, t("common.capture_find_scanners"));
  const servicesText = el("span", { "data-role": "scanner-services", class: "muted", role: "status" }, "");
  const serviceScan = el("button", { type: "button", "data-role": "scan-service", class: "primary", "data-i18n": "common.capture_scan" }, t("common.capture_scan"));
  const serviceCancel = el("button", { type: "button", "data-role": "cancel-scan", disabled: "", "data-i18n": "common.capture_cancel" }, t("common.capture_cancel"));
  const serviceBox = el("div", { "data-scanner": "service", hidden: "" }, serviceScan, " ", serviceCancel);
  /** @type {ScannerAdapter | null} the kiosk scanner chosen */
  let service = null;
  /** @type {AbortController | null} the scan in progress on a kiosk scanner */
  let scanning = null;

  const sample = manifest ? sampleScanner(manifest) : null;
  const file = fileScanner(fileInput, () => Number(dpiInput.value) || 500);

  const sampleBox = el("div", { "data-scanner": "sample" });
  if (manifest) {
    manifest.fingers.forEach((f, i) => {
      const option = el("option", { value: String(i) });
      setText(option, "common.capture_finger_n", { id: f.id });
      fingerSelect.append(option);
    });
    const fillImpressions = () => {
      const f = manifest.fingers[Number(fingerSelect.value)];
      impressionSelect.replaceChildren(...f.impressions.map((_, i) => {
        const option = el("option", { value: String(i) });
        setText(option, "common.capture_impression_n", { n: i + 1 });
        return option;
      }));
    };
    fingerSelect.addEventListener("change", fillImpressions);
    fillImpressions();
    sampleBox.append(
      el("label", {}, el("span", { "data-i18n": "common.capture_sample_finger" }, t("common.capture_sample_finger")), " ", fingerSelect),
      el("label", {}, el("span", { "data-i18n": "common.capture_impression" }, t("common.capture_impression")), " ", impressionSelect),
      scanButton,
    );
  } else {
    sampleBox.append(el("p", { class: "muted", "data-i18n-html": "common.capture_no_samples" }, safeFragment(t("common.capture_no_samples"))));
  }
  const fileBox = el("div", { "data-scanner": "file" },
    el("label", {}, el("span", { "data-i18n": "common.capture_file" }, t("common.capture_file")), " ", fileInput),
    el("label", {}, el("span", { "data-i18n": "common.capture_dpi" }, t("common.capture_dpi")), " ", dpiInput),
  );

  const choice = el("fieldset", { class: "scanner-choice" }, el("legend", { "data-i18n": "common.capture_scanner" }, t("common.capture_scanner")));
  const servicesRow = el("p", { class: "kiosk-scanners" }, findButton, " ", servicesText);
  /** @type {Array<[string, string | Node]>} a mode's value and its label (a translated span, or a device's own name) */
  const modes = [
    ["sample", el("span", { "data-i18n": "common.capture_mode_sample" }, t("common.capture_mode_sample"))],
    ["file", el("span", { "data-i18n": "common.capture_mode_file" }, t("common.capture_mode_file"))],
    ...(options.extraScanners ?? []).map((s, i) => /** @type {[string, string]} */ ([`extra${i}`, s.name])),
  ];
  const addMode = (/** @type {string} */ value, /** @type {string | Node} */ label) => {
    const radio = el("input", { type: "radio", name: "scanner", value, "data-role": `scanner-${value}` });
    radio.addEventListener("change", () => select(value));
    choice.insertBefore(el("label", { class: "radio" }, radio, " ", label), servicesRow);
  };
  choice.append(servicesRow);
  for (const [value, label] of modes) addMode(value, label);
  /** @type {Map<string, ScannerAdapter>} kiosk scanners found, by mode value */
  const services = new Map();
  const select = (/** @type {string} */ value) => {
    sampleBox.hidden = value !== "sample";
    fileBox.hidden = value !== "file";
    serviceBox.hidden = !services.has(value);
    service = services.get(value) ?? null;
    const radio = /** @type {HTMLInputElement} */ (choice.querySelector(`input[value="${value}"]`));
    radio.checked = true;
    const extra = value.startsWith("extra") ? options.extraScanners?.[Number(value.slice(5))] : null;
    if (extra) run(extra);
  };

  container.replaceChildren(
    choice,
    sampleBox,
    fileBox,
    serviceBox,
    el("div", { class: "preview" },
      canvas,
      el("div", { class: "quality" },
        el("span", { id: "capture-quality-label", "data-i18n": "common.capture_quality" }, t("common.capture_quality")), " ", meter, " ",
        // one polite announcement per processed scan: the verdict and the advice
        el("div", { role: "status", "aria-atomic": "true", "data-role": "quality-live" }, qualityText, feedbackList),
        message),
    ),
  );
  select(manifest ? "sample" : "file");

  /** handle of the impression on screen, freed when replaced unless kept */
  let shown = 0;
  /** @type {Set<number>} */
  const kept = new Set();

  /** @param {ScannerAdapter} scanner @param {{ signal?: AbortSignal, onProgress?: (p: { stage: string }) => void }} [scanOptions] */
  async function run(scanner, scanOptions) {
    try {
      await scanAndShow(scanner, scanOptions);
    } finally {
      // a counter tests (and kiosk integrations) can wait on
      container.dataset.captures = String(Number(container.dataset.captures ?? 0) + 1);
    }
  }

  /** @param {ScannerAdapter} scanner @param {{ signal?: AbortSignal, onProgress?: (p: { stage: string }) => void }} [scanOptions] */
  async function scanAndShow(scanner, scanOptions) {
    say(message, "");
    let image;
    try {
      image = await scanner.scan(scanOptions);
    } catch (e) {
      sayError(message, e);
      return;
    }
    try {
      const info = await engine.capture(image);
      if (shown && !kept.has(shown)) engine.free(shown);
      shown = info.handle;
      draw(info);
      options.onCapture(info);
    } catch (e) {
      meter.value = 0;
      setText(qualityText, "common.capture_unusable");
      feedbackList.replaceChildren();
      sayError(message, e);
    }
  }

  /** @param {CaptureInfo} info */
  function draw(info) {
    const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
    if (info.overlay) {
      canvas.width = info.overlay.width;
      canvas.height = info.overlay.height;
      ctx.putImageData(new ImageData(info.overlay.data, info.overlay.width, info.overlay.height), 0, 0);
    } else {
      canvas.width = 300;
      canvas.height = 60;
      ctx.fillStyle = "#eee";
      ctx.fillRect(0, 0, 300, 60);
      ctx.fillStyle = "#555";
      ctx.fillText(t("common.capture_no_overlay"), 10, 35);
    }
    meter.value = info.quality;
    const good = info.feedback.length === 0;
    const summary = { quality: info.quality, features: info.minutiaeCount };
    if (good) setText(qualityText, "common.capture_summary_good", summary);
    else setText(qualityText, "common.capture_summary_poor", summary);
    container.dataset.quality = good ? "good" : "poor";
    feedbackList.replaceChildren(...info.feedback.map((code) => el("li", { "data-code": code, ...(has(`lib.feedback.${code}`) ? { "data-i18n": `lib.feedback.${code}` } : {}) }, feedbackText(code))));
  }

  scanButton.addEventListener("click", () => {
    if (!sample) return;
    sample.pick(Number(fingerSelect.value), Number(impressionSelect.value));
    run(sample);
  });
  fileInput.addEventListener("change", () => {
    if (fileInput.files?.length) run(file);
  });

  const params = new URLSearchParams(location.search);
  /** Probes the kiosk's scanner services and adds the ones found as choices. */
  async function findScanners() {
    findButton.setAttribute("disabled", "");
    setText(servicesText, "common.capture_looking");
    try {
      const found = await findKioskScanners({
        secugenUrl: params.get("secugen") ?? undefined,
        supremaUrl: params.get("suprema") ?? undefined,
        digitalPersonaReader: options.digitalPersonaReader,
      });
      for (const { adapter, devices } of found) {
        const value = `service-${adapter.vendor}`;
        if (!services.has(value)) addMode(value, `${adapter.name}: ${devices.join(", ")}`); // device names: not translated
        services.set(value, adapter);
      }
      if (found.length) setText(servicesText, "common.capture_found", { names: found.map((f) => f.adapter.name).join(", ") });
      else setText(servicesText, "common.capture_none_found");
      container.dataset.scannerServices = String(found.length);
    } catch (e) {
      setText(servicesText, "common.capture_find_failed", { error: errorText(e) });
      container.dataset.scannerServices = "0";
    } finally {
      findButton.removeAttribute("disabled");
    }
  }
  findButton.addEventListener("click", () => void findScanners());
  if (params.get("scanners") === "find") void findScanners();

  serviceScan.addEventListener("click", async () => {
    if (!service || scanning) return;
    scanning = new AbortController();
    serviceScan.setAttribute("disabled", "");
    serviceCancel.removeAttribute("disabled");
    const stageText = /** @type {Record<string, string>} */ ({
      connecting: "common.capture_connecting",
      "waiting-for-finger": "common.capture_place_finger",
      "reading-image": "common.capture_reading",
    });
    try {
      await run(service, {
        signal: scanning.signal,
        onProgress: (p) => {
          if (stageText[p.stage]) sayKey(message, stageText[p.stage]);
        },
      });
    } finally {
      scanning = null;
      serviceScan.removeAttribute("disabled");
      serviceCancel.setAttribute("disabled", "");
    }
  });
  serviceCancel.addEventListener("click", () => scanning?.abort());

  return {
    reset() {
      if (shown && !kept.has(shown)) engine.free(shown);
      shown = 0;
      fileInput.value = "";
      meter.value = 0;
      setText(qualityText, "common.capture_no_scan");
      feedbackList.replaceChildren();
      delete container.dataset.quality;
      say(message, "");
      const ctx = canvas.getContext("2d");
      ctx?.clearRect(0, 0, canvas.width, canvas.height);
    },
    keep(handle) {
      kept.add(handle);
    },
  };
}
