// Preloaded into a step's Node process (NODE_OPTIONS=--import) by test/e2e/startup.e2e.test.ts:
// appends each module the step's process resolves, its bundle files and the node: built-ins it
// asks for, to the file EXO_TEST_LOADS_LOG names. Other Node processes (the pwsh shim) log nothing.
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { sep } from 'node:path';

const log = process.env.EXO_TEST_LOADS_LOG;
if (log && process.argv[1]?.includes(`${sep}dist${sep}`)) {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context);
      appendFileSync(log, `${resolved.url}\n`);
      return resolved;
    },
  });
}
