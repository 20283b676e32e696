// The main step. It listens for a cancel first and only then loads the action, so a cancel that
// arrives while the action is still loading is not lost.
import { Cancellation } from './cancellation.js';
import { mark } from './timings.js';

mark('main-start');

const cancellation = new Cancellation();
const { run } = await import('./main.js');
mark('main-loaded');
await run(cancellation);
mark('main-end');
