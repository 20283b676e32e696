// The main step. It listens for a cancel first and only then loads the action, so a cancel that
// arrives while the action is still loading is not lost.
import { Cancellation } from './cancellation.js';

const cancellation = new Cancellation();
const { run } = await import('./main.js');
await run(cancellation);
