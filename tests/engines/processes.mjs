// Child processes (Xvfb, WebKitWebDriver) started in their own process groups
// and ended with everything they started, on close, on exit and on SIGINT or
// SIGTERM, so a failing test leaves nothing behind.

import { spawn } from "node:child_process";
import { createServer } from "node:net";

const live = new Set();
let hooked = false;

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function hookExit() {
  if (hooked) return;
  hooked = true;
  process.on("exit", () => {
    for (const child of live) killGroup(child, "SIGKILL");
  });
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => {
      for (const child of live) killGroup(child, "SIGKILL");
      process.exit(128 + (signal === "SIGINT" ? 2 : 15));
    });
  }
}

/**
 * Spawns `command` in a new process group that `stopGroup` ends as a whole.
 *
 * ```js
 * const child = spawnGroup("/usr/bin/Xvfb", ["-displayfd", "3"], { stdio: ["ignore", "ignore", "pipe", "pipe"] });
 * await stopGroup(child);
 * ```
 */
export function spawnGroup(command, args, options = {}) {
  hookExit();
  const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"], ...options, detached: true });
  live.add(child);
  child.once("exit", () => live.delete(child));
  return child;
}

/** Ends `child`'s process group: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopGroup(child, graceMs = 3000) {
  if (!live.has(child)) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  killGroup(child, "SIGTERM");
  const timer = setTimeout(() => killGroup(child, "SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
  // Whatever the group leader left behind.
  killGroup(child, "SIGKILL");
}

/** A TCP port free on 127.0.0.1 a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts Xvfb on a free display (it picks one and reports it on fd 3).
 * Returns `{ display: ":N", child }`.
 */
export async function startXvfb(xvfb) {
  const child = spawnGroup(xvfb, ["-displayfd", "3", "-screen", "0", "1920x1200x24", "-nolisten", "tcp"], {
    stdio: ["ignore", "ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const display = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`Xvfb did not start within 30 s: ${stderr.slice(-500)}`)), 30_000);
    child.stdio[3].on("data", (d) => {
      out += d;
      if (out.includes("\n")) {
        clearTimeout(timer);
        resolve(`:${out.trim()}`);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited (${code}): ${stderr.slice(-500)}`));
    });
  });
  return { display, child };
}
