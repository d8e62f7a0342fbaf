// Starts the real reference server (server/) for a test: a free port, a temp
// SQLite file, a known kiosk key, the demo pages and the package; its stdout
// and stderr go to a log file the privacy check reads afterwards.

import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { openSync, closeSync } from "node:fs";

/** A TCP port nothing listens on right now. @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/**
 * @param {{ bin: string, db: string, kioskKey: string, www: string, pkg: string, log: string, port?: number, mounts?: Record<string, string>, adminKey?: string, gateSigning?: string }} o
 *   `mounts`: more folders to serve, e.g. `{ "/samples": dir }` (SEALMATCH_MOUNTS);
 *   `adminKey`: SEALMATCH_ADMIN_KEY (gate registration); `gateSigning`: SEALMATCH_GATE_SIGNING
 * @returns {Promise<{ url: string, port: number, stop: () => Promise<void> }>}
 */
export async function startServer(o) {
  const port = o.port ?? (await freePort());
  const logFd = openSync(o.log, "a");
  const child = spawn(o.bin, [], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      SEALMATCH_BIND: "127.0.0.1",
      SEALMATCH_DB: o.db,
      SEALMATCH_KIOSK_KEYS: o.kioskKey,
      SEALMATCH_WWW: o.www,
      SEALMATCH_PKG: o.pkg,
      SEALMATCH_MOUNTS: Object.entries(o.mounts ?? {}).map(([prefix, dir]) => `${prefix}=${dir}`).join(","),
      ...(o.adminKey ? { SEALMATCH_ADMIN_KEY: o.adminKey } : {}),
      ...(o.gateSigning ? { SEALMATCH_GATE_SIGNING: o.gateSigning } : {}),
    },
    stdio: ["ignore", logFd, logFd],
  });
  closeSync(logFd);
  let exited = false;
  const exit = new Promise((resolve) => child.on("exit", (code, signal) => {
    exited = true;
    resolve({ code, signal });
  }));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`the server exited at start; see ${o.log}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the server did not answer /api/health within 30 s; see ${o.log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    async stop() {
      if (exited) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
