// Turns one action run's timing marks (Node) and runner events (PowerShell) into phases.
import * as fs from 'node:fs';
import type { StepResult } from '../test/support/action.js';

export interface Timings {
  /** Node marks by name: ms since the epoch. */
  marks: Record<string, number>;
  /** Runner events with their `at` time in ms since the epoch. */
  events: Array<{ event: string; name?: string; status?: string; ms?: number; t: number }>;
}

/** 2026-11-25T15:00:00.1234567Z (.NET's round-trip format) in ms since the epoch, keeping the fraction. */
export function parseAt(at: string): number {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z$/.exec(at);
  if (m === null) throw new Error(`not a UTC round-trip time: ${at}`);
  return Date.parse(`${m[1]}Z`) + Number(m[2] ?? 0) * 1000;
}

export function readTimings(file: string): Timings {
  const timings: Timings = { marks: {}, events: [] };
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    // The runner's event lines start with their MAC (src/events.ts); the bench only reads the JSON.
    const entry = JSON.parse(line.replace(/^[0-9a-f]{64} /, '')) as {
      mark?: string;
      t?: number;
      event?: string;
      at?: string;
    };
    if (entry.mark !== undefined) timings.marks[entry.mark] = entry.t!;
    else if (entry.event !== undefined && entry.at !== undefined)
      timings.events.push({ ...(entry as { event: string }), t: parseAt(entry.at) });
  }
  return timings;
}

export interface PhaseRow {
  name: string;
  span: string;
  ms: number;
}

/** The rows of the breakdown, in order; each from the previous boundary to its own. */
export function phaseRows(timings: Timings, main: StepResult, post: StepResult): PhaseRow[] {
  const mark = (name: string): number => {
    const t = timings.marks[name];
    if (t === undefined) throw new Error(`no '${name}' timing mark: was dist/ rebuilt?`);
    return t;
  };
  const phase = (name: string, status: 'start' | 'end'): number =>
    timings.events.find((e) => e.event === 'phase' && e.name === name && e.status === status)?.t ?? NaN;
  const disconnected = timings.events.find((e) => e.event === 'disconnected')?.t ?? NaN;
  const mainStart = main.startedAt!;
  const postStart = post.startedAt!;
  const boundaries: Array<[string, string, number]> = [
    ['Node start', 'spawn → main entry runs', mark('main-start')],
    ['bundle load', '→ main.js and its imports loaded', mark('main-loaded')],
    ['settings', '→ inputs read, checked and logged', mark('settings')],
    ['provision, credentials', '→ pwsh found, credential ready, run directory made', mark('pwsh-spawn')],
    [
      'pwsh start',
      '→ Module phase starts (process start, ExoConnectRunner import, config read)',
      phase('module', 'start'),
    ],
    ['module', '→ Module phase ends (the pinned version found and imported)', phase('module', 'end')],
    ['command names', '→ Connect phase starts', phase('connect', 'start')],
    ['connect', '→ Connect phase ends', phase('connect', 'end')],
    ['(between)', '→ Script phase starts', phase('script', 'start')],
    ['script', '→ Script phase ends (result kept, result.json written)', phase('script', 'end')],
    ['teardown', '→ disconnected event', disconnected],
    ['pwsh exit', '→ Node has read the outcome', mark('pwsh-exit')],
    ['report', '→ outputs, annotations, summary, run directory removed', mark('main-end')],
    ['main exit', '→ main process exits', mainStart + main.ms],
    ['post: Node start', 'post spawn → post entry runs', mark('post-start')],
    ['post: work', '→ clean-path message written', mark('post-end')],
    ['post: exit', '→ post process exits', postStart + post.ms],
  ];
  let previous = mainStart;
  return boundaries.map(([name, span, t]) => {
    // The post step starts its own clock: its first row counts from its spawn.
    if (name === 'post: Node start') previous = postStart;
    const row = { name, span, ms: t - previous };
    previous = t;
    return row;
  });
}
