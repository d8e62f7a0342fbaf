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
import { el, feedbackText, errorText, say } from "./ui.js";

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
  const scanButton = el("button", { type: "button", "data-role": "scan-sample", class: "primary" }, "Scan finger");
  const canvas = /** @type {HTMLCanvasElement} */ (el("canvas", { "data-role": "preview", width: "1", height: "1", "aria-label": "The scan with the found features marked" }));
  const meter = /** @type {HTMLMeterElement} */ (el("meter", { min: "0", max: "100", low: "40", high: "70", optimum: "100", value: "0", "data-role": "quality" }));
  const qualityText = el("span", { "data-role": "quality-text" }, "No scan yet");
  const feedbackList = el("ul", { "data-role": "feedback", class: "feedback" });
  const message = el("p", { role: "status", "data-role": "capture-message", hidden: "" });

  const findButton = el("button", { type: "button", "data-role": "find-scanners" }, "Look for scanners");
  const servicesText = el("span", { "data-role": "scanner-services", class: "muted" }, "");
  const serviceScan = el("button", { type: "button", "data-role": "scan-service", class: "primary" }, "Scan finger");
  const serviceCancel = el("button", { type: "button", "data-role": "cancel-scan", disabled: "" }, "Cancel");
  const serviceBox = el("div", { "data-scanner": "service", hidden: "" }, serviceScan, " ", serviceCancel);
  /** @type {ScannerAdapter | null} the kiosk scanner chosen */
  let service = null;
  /** @type {AbortController | null} the scan in progress on a kiosk scanner */
  let scanning = null;

  const sample = manifest ? sampleScanner(manifest) : null;
  const file = fileScanner(fileInput, () => Number(dpiInput.value) || 500);

  const sampleBox = el("div", { "data-scanner": "sample" });
  if (manifest) {
    manifest.fingers.forEach((f, i) => fingerSelect.append(el("option", { value: String(i) }, `Finger ${f.id}`)));
    const fillImpressions = () => {
      const f = manifest.fingers[Number(fingerSelect.value)];
      impressionSelect.replaceChildren(...f.impressions.map((_, i) => el("option", { value: String(i) }, `Impression ${i + 1}`)));
    };
    fingerSelect.addEventListener("change", fillImpressions);
    fillImpressions();
    sampleBox.append(
      el("label", {}, "Sample finger ", fingerSelect),
      el("label", {}, "Impression ", impressionSelect),
      scanButton,
    );
  } else {
    sampleBox.append(el("p", { class: "muted" }, "No sample fingers are installed (run `make demo`). Use a scanner image file."));
  }
  const fileBox = el("div", { "data-scanner": "file" },
    el("label", {}, "Scanner image ", fileInput),
    el("label", {}, "Resolution (dpi, if the file does not say) ", dpiInput),
  );

  const choice = el("fieldset", { class: "scanner-choice" }, el("legend", {}, "Scanner"));
  const servicesRow = el("p", { class: "kiosk-scanners" }, findButton, " ", servicesText);
  /** @type {Array<[string, string, HTMLElement | null]>} */
  const modes = [
    ["sample", "Sample finger (synthetic)", sampleBox],
    ["file", "Scanner image file", fileBox],
    ...(options.extraScanners ?? []).map((s, i) => /** @type {[string, string, null]} */ ([`extra${i}`, s.name, null])),
  ];
  const addMode = (/** @type {string} */ value, /** @type {string} */ label) => {
    const radio = el("input", { type: "radio", name: "scanner", value, "data-role": `scanner-${value}` });
    radio.addEventListener("change", () => select(value));
    choice.insertBefore(el("label", { class: "radio" }, radio, ` ${label}`), servicesRow);
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
      el("div", { class: "quality" }, el("span", {}, "Quality "), meter, " ", qualityText, feedbackList, message),
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
      say(message, errorText(e), "error");
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
      qualityText.textContent = "Unusable scan";
      feedbackList.replaceChildren();
      say(message, errorText(e), "error");
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
      ctx.fillText("(this package build cannot draw features)", 10, 35);
    }
    meter.value = info.quality;
    const good = info.feedback.length === 0;
    qualityText.textContent = `${info.quality}/100 · ${info.minutiaeCount} features · ${good ? "good" : "not good enough yet"}`;
    container.dataset.quality = good ? "good" : "poor";
    feedbackList.replaceChildren(...info.feedback.map((code) => el("li", { "data-code": code }, feedbackText(code))));
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
    servicesText.textContent = "Looking for scanner services on this kiosk…";
    try {
      const found = await findKioskScanners({
        secugenUrl: params.get("secugen") ?? undefined,
        supremaUrl: params.get("suprema") ?? undefined,
        digitalPersonaReader: options.digitalPersonaReader,
      });
      for (const { adapter, devices } of found) {
        const value = `service-${adapter.vendor}`;
        if (!services.has(value)) addMode(value, `${adapter.name}: ${devices.join(", ")}`);
        services.set(value, adapter);
      }
      servicesText.textContent = found.length
        ? `Found: ${found.map((f) => f.adapter.name).join(", ")}.`
        : "No scanner service found on this kiosk (SecuGen WebAPI, Suprema BioMini Web Agent). Use a sample finger or a scanner image file.";
      container.dataset.scannerServices = String(found.length);
    } catch (e) {
      servicesText.textContent = `Could not look for scanners: ${errorText(e)}`;
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
      connecting: "Connecting to the scanner…",
      "waiting-for-finger": "Place the finger on the scanner.",
      "reading-image": "Reading the scan…",
    });
    try {
      await run(service, {
        signal: scanning.signal,
        onProgress: (p) => {
          if (stageText[p.stage]) say(message, stageText[p.stage]);
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
      qualityText.textContent = "No scan yet";
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
