// Starts `isnad serve` on a temporary store and a free port, and stops it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function startServer({ binary, web, timeoutMs = 30000 }) {
  if (!binary) throw new Error('ISNAD_BINARY is not set (run through tests/browser/run.sh ISNAD_BINARY)');
  const dir = mkdtempSync(path.join(tmpdir(), 'isnad-browser-'));
  const store = path.join(dir, 'store.db');
  const child = spawn(binary, ['serve', '--store', store, '--port', '0', '--web', web], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  child.stdout.on('data', (d) => { stderr += d; });
  child.stderr.on('data', (d) => { stderr += d; });

  const deadline = Date.now() + timeoutMs;
  let base = null;
  while (!base) {
    const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(stderr);
    if (m && m[1] !== '0') base = `http://127.0.0.1:${m[1]}/`;
    else if (exited) throw new Error(`isnad serve exited (${JSON.stringify(exited)}):\n${stderr}`);
    else if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`isnad serve printed no address:\n${stderr}`); }
    else await sleep(50);
  }
  for (;;) {
    try {
      const r = await fetch(new URL('healthz', base));
      if (r.ok) break;
    } catch (e) { /* not listening yet */ }
    if (exited) throw new Error(`isnad serve exited (${JSON.stringify(exited)}):\n${stderr}`);
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`/healthz never answered:\n${stderr}`); }
    await sleep(100);
  }

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      for (let i = 0; i < 100 && !exited; ++i) await sleep(50);
      if (!exited) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A failing or interrupted run must not leave the server behind.
  process.once('exit', () => { if (!exited) child.kill('SIGKILL'); });
  return { base, store, stop, log: () => stderr, exited: () => exited };
}
