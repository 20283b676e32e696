// The post step. When main tore everything down it says so and loads nothing else:
// this path runs on every job, so it starts no PowerShell and parses almost no code.
import { CLEAN_STATE_VARIABLE, recordedConnection } from './state-keys.js';
import { mark } from './timings.js';

mark('post-start');

if (process.env[CLEAN_STATE_VARIABLE] === 'true') {
  const what = recordedConnection(process.env) ? 'disconnected' : 'recorded no connection';
  process.stdout.write(`The main step ${what} and removed its files; nothing to clean up.\n`);
} else {
  const { cleanup } = await import('./cleanup.js');
  await cleanup();
}
mark('post-end');
