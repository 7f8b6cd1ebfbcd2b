// Starts a real `facesort serve` on a free port with a fresh data folder, and Debian's Chromium
// through playwright-core (never a downloaded browser).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
export const repo = resolve(here, '../..');
export const webClient = join(repo, 'clients/web');
export const artifacts = join(webClient, 'test-artifacts');
export const datasets = process.env.FACESORT_DATASETS ?? resolve(repo, '../shared/datasets');
const facesort = process.env.FACESORT_BIN ?? join(repo, '.venv/bin/facesort');
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForHealth(url, child, log, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`facesort serve exited with ${child.exitCode}:\n${log.join('')}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`facesort serve did not answer /healthz within ${timeoutMs / 1000} s:\n${log.join('')}`);
}

/** A running server; `stop()` ends it and removes its data folder. */
export async function startServer({ timeoutMs = 180_000 } = {}) {
  if (!existsSync(facesort)) throw new Error(`${facesort} is missing: install the project first`);
  if (!existsSync(join(webClient, 'dist/index.html'))) throw new Error('clients/web/dist is missing: run `npm run build` first');
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'facesort-e2e-'));
  const log = [];
  const child = spawn(facesort, ['serve', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: repo,
    env: { ...process.env, FACESORT_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => log.push(chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, log, timeoutMs);
  return {
    url,
    dataDir,
    log,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  if (!existsSync(chromium)) throw new Error(`${chromium} is missing: apt-get install -y chromium`);
  // playwright-core is installed with the web client's dev dependencies, not next to this file.
  const { chromium: launcher } = createRequire(join(webClient, 'package.json'))('playwright-core');
  return launcher.launch({
    executablePath: chromium,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function screenshot(page, name) {
  mkdirSync(artifacts, { recursive: true });
  const path = join(artifacts, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The photos of some people of the labelled dev set, as {name, type, base64} for the page. */
export function datasetPhotos(folders) {
  const root = join(datasets, 'faces-dev');
  return folders.flatMap((folder) =>
    readdirSync(join(root, folder))
      .filter((name) => /\.(jpe?g|png|webp)$/i.test(name))
      .sort()
      .map((name) => ({
        name: `${folder}__${basename(name)}`,
        type: name.toLowerCase().endsWith('.png') ? 'image/png' : 'image/jpeg',
        base64: readFileSync(join(root, folder, name)).toString('base64'),
      })),
  );
}

/**
 * Drops files on an element the way a person does from a file manager: a DataTransfer with
 * real File objects, dragenter/dragover/drop on the drop zone.
 */
export async function dropFiles(page, selector, files) {
  await page.evaluate(
    ({ selector, files }) => {
      const transfer = new DataTransfer();
      for (const { name, type, base64 } of files) {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        transfer.items.add(new File([bytes], name, { type }));
      }
      const target = document.querySelector(selector);
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }
    },
    { selector, files },
  );
}
