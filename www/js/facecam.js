// @ts-check
/**
 * The live face camera used at web check-in, bag drop and the gate: the
 * camera's video with the face box drawn over it and a guide line from the
 * capture's feedback ("Come closer", "Hold still", ...). Every frame is
 * processed in the worker (engine.faceCapture), one at a time; the page only
 * sees quality, feedback codes and the box. `take(n)` keeps the best frames
 * automatically: the first `n` good ones (quality at least GOOD_QUALITY),
 * each taken at least TAKE_GAP_MS after the last. There is no time limit:
 * `take` waits for as long as it takes, until `stop()`.
 *
 * For screen readers the guide line is not live (it may change with every
 * frame); a separate status line (`data-role="face-announce"`) repeats it
 * only when a new guide has held for ANNOUNCE_FRAMES frames, at most once
 * every ANNOUNCE_GAP_MS. `take(n, { onProgress })` reports each frame taken,
 * for a "photo 2 of 3" message.
 *
 * @example
 * const cam = createFaceCamera($("face-cam"), engine);
 * await cam.start();
 * const faces = await cam.take(3);   // FaceInfo[], handles kept in the worker
 * cam.stop();
 */

import { el, errorText } from "./ui.js";
import { has, setText, t } from "./i18n.js";
import { openCamera } from "./fallbacks.js";

/** A frame this good is taken (100 minus one minor problem such as off_centre or several_faces). */
export const GOOD_QUALITY = 80;
/** Frames taken this far apart, so the captures differ a little. */
const TAKE_GAP_MS = 300;
/** A new guide is announced once it held this many frames in a row... */
const ANNOUNCE_FRAMES = 2;
/** ...and at least this long after the last announcement. */
const ANNOUNCE_GAP_MS = 1500;

/**
 * @typedef {import("./engine.js").FaceInfo} FaceInfo
 * @typedef {{ onProgress?: (got: number, n: number) => void }} TakeOptions
 * @typedef {{ start: () => Promise<void>, take: (n: number, options?: TakeOptions) => Promise<FaceInfo[]>, stop: () => void, running: () => boolean }} FaceCamera
 */

/**
 * Builds the camera view inside `container`. `data-feedback` on the
 * container holds the last frame's codes ("good", "no_face", ...), and
 * `data-frames` counts processed frames, `data-announced` holds the code last
 * announced to screen readers, for tests and kiosk integrations.
 * @param {HTMLElement} container
 * @param {import("./engine.js").Engine} engine
 * @returns {FaceCamera}
 */
export function createFaceCamera(container, engine) {
  const video = /** @type {HTMLVideoElement} */ (el("video", { muted: "", playsinline: "", "data-role": "face-video", "aria-label": t("common.facecam_view"), "data-i18n-attr": "aria-label:common.facecam_view" }));
  const overlay = /** @type {HTMLCanvasElement} */ (el("canvas", { "data-role": "face-overlay", "aria-hidden": "true" }));
  const guide = el("p", { class: "face-guide", "data-role": "face-guide" });
  const announcer = el("p", { class: "visually-hidden", role: "status", "data-role": "face-announce" });
  setText(guide, "common.facecam_starting");
  container.replaceChildren(el("div", { class: "face-view" }, video, overlay), guide, announcer);
  const grab = document.createElement("canvas");
  const grabCtx = /** @type {CanvasRenderingContext2D} */ (grab.getContext("2d", { willReadFrequently: true }));

  /** @type {MediaStream | null} */
  let stream = null;
  let generation = 0;
  /** @type {{ n: number, got: FaceInfo[], lastAt: number, resolve: (f: FaceInfo[]) => void, onProgress?: (got: number, n: number) => void } | null} */
  let wanted = null;

  /** @param {FaceInfo | null} info */
  function draw(info) {
    const w = video.videoWidth;
    const h = video.videoHeight;
    overlay.width = w || 1;
    overlay.height = h || 1;
    const ctx = /** @type {CanvasRenderingContext2D} */ (overlay.getContext("2d"));
    ctx.clearRect(0, 0, overlay.width, overlay.height);
    // the oval to aim for
    ctx.strokeStyle = "rgba(255,255,255,0.7)";
    ctx.setLineDash([10, 8]);
    ctx.lineWidth = Math.max(2, w / 200);
    ctx.beginPath();
    ctx.ellipse(w / 2, h / 2, w * 0.2, h * 0.36, 0, 0, 2 * Math.PI);
    ctx.stroke();
    if (!info?.box) return;
    const good = info.quality >= GOOD_QUALITY;
    ctx.setLineDash([]);
    ctx.lineWidth = Math.max(3, w / 160);
    ctx.strokeStyle = good ? "#2fbf5b" : "#f0a020";
    ctx.strokeRect(info.box.x, info.box.y, info.box.width, info.box.height);
  }

  /** the code on the guide line, the one last announced, and a new one waiting to be */
  let shown = "";
  let announced = "";
  let announcedAt = -Infinity;
  let pending = { code: "", frames: 0 };

  /**
   * Shows `code`'s guide (a `lib.face.*` code) in `node`, in the page's
   * language and following later language changes; any other string (an
   * error text already made) as it is.
   * @param {HTMLElement} node @param {string} code
   */
  function showCode(node, code) {
    if (has(`lib.face.${code}`)) setText(node, `lib.face.${code}`);
    else {
      node.removeAttribute("data-i18n");
      node.textContent = code;
    }
  }

  /**
   * Announces `code` once it held ANNOUNCE_FRAMES frames and the last
   * announcement is ANNOUNCE_GAP_MS old: a screen reader hears each new
   * guide once, not every frame.
   * @param {string} code
   */
  function announce(code) {
    if (code === announced) {
      pending = { code: "", frames: 0 };
      return;
    }
    pending = pending.code === code ? { code, frames: pending.frames + 1 } : { code, frames: 1 };
    const now = performance.now();
    if (pending.frames < ANNOUNCE_FRAMES || now - announcedAt < ANNOUNCE_GAP_MS) return;
    announced = code;
    announcedAt = now;
    container.dataset.announced = code;
    showCode(announcer, code);
  }

  /** @param {FaceInfo} info */
  function showGuide(info) {
    const codes = info.feedback.length ? info.feedback : ["good"];
    container.dataset.feedback = codes.join(" ");
    container.dataset.quality = String(info.quality);
    if (codes[0] !== shown) {
      shown = codes[0];
      showCode(guide, shown);
    }
    announce(shown);
  }

  /** Forgets the guide shown and announced (the camera starts afresh). */
  function resetGuide() {
    shown = announced = "";
    announcedAt = -Infinity;
    pending = { code: "", frames: 0 };
    delete container.dataset.announced;
  }

  /** Processes frames one at a time while this generation of the camera runs. */
  async function loop(/** @type {number} */ gen) {
    while (gen === generation) {
      const w = video.videoWidth;
      const h = video.videoHeight;
      if (!w || !h || video.readyState < 2) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      grab.width = w;
      grab.height = h;
      grabCtx.drawImage(video, 0, 0, w, h);
      /** @type {FaceInfo} */
      let info;
      try {
        info = await engine.faceCapture(grabCtx.getImageData(0, 0, w, h));
      } catch (e) {
        shown = errorText(e);
        showCode(guide, shown);
        announce(shown);
        container.dataset.feedback = "error";
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      container.dataset.frames = String(Number(container.dataset.frames ?? 0) + 1);
      if (gen !== generation) {
        engine.free(info.handle);
        return;
      }
      draw(info);
      showGuide(info);
      const now = performance.now();
      if (wanted && info.quality >= GOOD_QUALITY && now - wanted.lastAt >= TAKE_GAP_MS) {
        wanted.got.push(info);
        wanted.lastAt = now;
        container.dataset.taken = String(wanted.got.length);
        wanted.onProgress?.(wanted.got.length, wanted.n);
        if (wanted.got.length >= wanted.n) {
          const done = wanted;
          wanted = null;
          done.resolve(done.got);
        }
      } else {
        engine.free(info.handle);
      }
    }
  }

  return {
    /** Opens the camera and starts the guide; the face models load first. */
    async start() {
      this.stop();
      const gen = ++generation;
      await engine.initFace();
      stream = await openCamera({ facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } });
      if (gen !== generation) {
        for (const track of stream.getTracks()) track.stop();
        return;
      }
      video.srcObject = stream;
      video.muted = true;
      video.playsInline = true;
      await video.play();
      resetGuide();
      setText(guide, "common.facecam_look");
      setText(announcer, "common.facecam_look");
      loop(gen);
    },
    /**
     * Resolves with the next `n` good frames (their captures stay in the
     * worker: free them, or pass them to enroll/verify); [] when the camera
     * stops first. No time limit: it waits until then. `onProgress(got, n)`
     * is called after each frame taken.
     * @param {number} n @param {TakeOptions} [options]
     */
    take(n, { onProgress } = {}) {
      return new Promise((resolve) => {
        if (wanted) {
          for (const f of wanted.got) engine.free(f.handle);
          wanted.resolve([]);
        }
        container.dataset.taken = "0";
        wanted = { n, got: [], lastAt: -Infinity, resolve, onProgress };
      });
    },
    /** Stops processing and the camera. */
    stop() {
      generation++;
      if (wanted) {
        for (const f of wanted.got) engine.free(f.handle);
        wanted.resolve([]);
        wanted = null;
      }
      if (stream) for (const track of stream.getTracks()) track.stop();
      stream = null;
      video.srcObject = null;
      draw(null);
      delete container.dataset.feedback;
      resetGuide();
    },
    running() {
      return stream !== null;
    },
  };
}
