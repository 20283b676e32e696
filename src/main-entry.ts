// The main step. It listens for a cancel first and only then loads the action, so a cancel that
// arrives while the action is still loading is not lost.
import { Cancellation } from './cancellation.js';
import { mark } from './timings.js';

mark('main-start');

const cancellation = new Cancellation();
const main = await import('./main.js');
mark('main-loaded');
await main.run(cancellation);
mark('main-end');
// A token request a cancel or script-timeout left waiting would hold the process until its own
// timeout: the step has reported, and nothing else is pending.
// Once stdout has taken everything written before (a pipe is asynchronous on Linux and macOS).
if (main.abandonedRequests) process.stdout.write('', () => process.exit());
