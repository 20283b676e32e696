// Each jest worker gives the PowerShell processes its tests start with process.env (Job.env() and
// the tests' helpers pass it on) a cache folder of its own; tests that start several at once give
// each its own folder as well. PowerShell
// keeps its JIT start-up profile there and rewrites it as each process exits; written by the
// processes of two workers at once, the file can be left damaged, and every later PowerShell of
// the account then aborts as it starts (https://github.com/PowerShell/PowerShell/issues/26528).
// The folder stays between runs, so each worker's PowerShell still starts from a warm profile.
import * as os from 'node:os';
import * as path from 'node:path';

process.env.XDG_CACHE_HOME = path.join(
  os.tmpdir(),
  'exo-connect-action-tests',
  `powershell-cache-${process.env.JEST_WORKER_ID ?? '1'}`,
);
