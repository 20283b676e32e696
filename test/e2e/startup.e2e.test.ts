// What each step loads before it does its work. Every job pays the post step and every run pays
// main's start, so a static import that drags a large package in (say @actions/core's OIDC client,
// which loads undici) is a regression even when nothing else changes: these tests name it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Job, ROOT, runMain, runPost, type StepResult } from '../support/action.js';
import { validInputs } from '../support/invalid-inputs.js';

const PRELOAD = path.join(ROOT, 'test', 'support', 'record-loads.mjs');
const DIST = path.join(ROOT, 'dist');
/** Node's network stack: what undici and the HTTP clients load. The PFX check needs node:tls alone. */
const NETWORK = ['node:dns', 'node:http', 'node:http2', 'node:https', 'node:net'];

interface Loads {
  /** The bundle files the step loaded, relative to dist/. */
  files: string[];
  /** The node: built-in modules the step asked for. */
  builtins: string[];
}

/** Runs one step with record-loads.mjs preloaded; returns the step and what its process loaded. */
async function recordLoads(job: Job, step: (env: Record<string, string>) => Promise<StepResult>) {
  const log = path.join(job.root, 'loads.log');
  const result = await step({ NODE_OPTIONS: `--import=${PRELOAD}`, EXO_TEST_LOADS_LOG: log });
  const urls = [...new Set(fs.readFileSync(log, 'utf8').trim().split('\n'))];
  const loads: Loads = {
    files: urls.filter((u) => u.startsWith('file:')).map((u) => path.relative(DIST, fileURLToPath(u))),
    builtins: urls.filter((u) => u.startsWith('node:')).sort(),
  };
  return { step: result, loads };
}

test("post's clean path loads its small entry file and nothing else", async () => {
  const job = new Job();
  try {
    job.state = { clean: 'true' };
    const { step, loads } = await recordLoads(job, (env) => runPost(job, { env }));
    expect(step.code).toBe(0);
    expect(step.log).toMatch(/nothing to clean up/);
    expect(loads.files).toEqual([path.join('post', 'index.js')]);
    // The bundler's chunk loader (node:module) and the opt-in timing marks (node:fs); no network stack.
    expect(loads.builtins).toEqual(['node:fs', 'node:module']);
    // The chunk loader and two small modules; @actions/core alone would add about 1 MB.
    expect(fs.statSync(path.join(DIST, 'post', 'index.js')).size).toBeLessThan(32 * 1024);
  } finally {
    job.cleanup();
  }
});

/** The bytes of the bundle files a step loaded. */
const size = (loads: Loads): number =>
  loads.files.reduce((sum, file) => sum + fs.statSync(path.join(DIST, file)).size, 0);

test('main with a certificate and the module cache (no cache service here) loads no HTTP client', async () => {
  const job = new Job();
  try {
    const { step, loads } = await recordLoads(job, (env) => runMain(job, { inputs: validInputs(), env }));
    expect(step.code).toBe(0);
    expect(step.log).toMatch(/The Actions cache is not available here/);
    expect(step.summary).toMatch(/succeeded/);
    expect(loads.files[0]).toBe(path.join('main', 'index.js'));
    expect(loads.builtins.filter((b) => NETWORK.includes(b))).toEqual([]);
    // About 330 KB today (the bundles leave out the sources' comments); MSAL alone is 750 KB,
    // @actions/core 1 MB, the cache client 2.3 MB.
    expect(size(loads)).toBeLessThan(400 * 1024);
  } finally {
    job.cleanup();
  }
});

test("post's cleanup path loads no HTTP client", async () => {
  const job = new Job();
  try {
    const { step, loads } = await recordLoads(job, (env) => runPost(job, { env }));
    expect(step.code).toBe(0);
    expect(step.log).toMatch(/started no session/);
    expect(loads.builtins.filter((b) => NETWORK.includes(b))).toEqual([]);
    expect(size(loads)).toBeLessThan(400 * 1024);
  } finally {
    job.cleanup();
  }
});
