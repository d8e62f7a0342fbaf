// The line protocol between run.mjs and its runtime processes, so the
// runtimes take turns group by group (native, Node, Chromium, next group):
// on a shared machine whose load drifts, each group's figures in the three
// runtimes are then taken close together in time.
//
// run.mjs writes one command a line: `hello`, `group N`, `churn`, `end`;
// the runtime answers each with one line of JSON on stdout.

import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

/**
 * Serves commands from stdin (runtime side).
 * @param {{ [command: string]: (arg?: number) => unknown | Promise<unknown> }} handlers
 */
export async function serveCommands(handlers) {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const [cmd, arg] = line.trim().split(/\s+/);
    if (!cmd) continue;
    const handler = handlers[cmd];
    if (!handler) throw new Error(`unknown command ${cmd}`);
    const answer = await handler(arg === undefined ? undefined : Number(arg));
    process.stdout.write(JSON.stringify(answer ?? {}) + "\n");
    if (cmd === "end") break;
  }
  lines.close();
}

/** A runtime process driven by commands (run.mjs side). */
export class Runtime {
  /**
   * @param {string} name shown in progress lines
   * @param {string} cmd
   * @param {string[]} args
   * @param {string} cwd
   */
  constructor(name, cmd, args, cwd) {
    this.name = name;
    this.proc = spawn(cmd, args, { cwd, stdio: ["pipe", "pipe", "inherit"] });
    this.waiting = [];
    this.exited = new Promise((resolve) => this.proc.on("exit", (code) => resolve(code)));
    this.exitCode = undefined;
    this.proc.on("exit", (code) => {
      this.exitCode = code;
      for (const w of this.waiting.splice(0)) w.reject(new Error(`${name} exited (${code}) before answering`));
    });
    const lines = createInterface({ input: this.proc.stdout });
    lines.on("line", (line) => {
      if (!line.startsWith("{")) return; // not an answer (e.g. a tool's own output)
      const w = this.waiting.shift();
      if (w) w.resolve(JSON.parse(line));
    });
  }

  /**
   * Sends one command and resolves with the answer.
   * @param {string} command
   * @returns {Promise<any>}
   */
  ask(command) {
    return new Promise((resolve, reject) => {
      if (this.exitCode !== undefined) {
        reject(new Error(`${this.name} exited (${this.exitCode}) before answering`));
        return;
      }
      this.waiting.push({ resolve, reject });
      this.proc.stdin.write(command + "\n");
    });
  }

  /** Sends `end`, waits for the answer and the exit. */
  async end() {
    const answer = await this.ask("end");
    this.proc.stdin.end();
    await this.exited;
    return answer;
  }
}
