import { directoryRoles, directoryRoleWarning } from '../../src/directory-roles.js';
import { judge } from '../../src/report.js';
import type { Settings } from '../../src/inputs.js';
import type { SessionOutcome } from '../../src/outcome.js';

const EXCHANGE_ADMIN = '29232cdf-9323-42fd-ade2-1d097af3e4de';
const COMPLIANCE_ADMIN = '17315797-102d-40b4-93e0-432062caca18';
const DIRECTORY_READERS = '88d8e3e3-8f55-4a1e-953a-9b9898b8876b';
const UNKNOWN = '00000000-1111-2222-3333-444444444444';

describe('directory roles in the token (wids)', () => {
  test('names the roles, keeping IDs it does not know', () => {
    expect(directoryRoles({ wids: [EXCHANGE_ADMIN, UNKNOWN] })).toEqual(['Exchange Administrator', UNKNOWN]);
    expect(directoryRoles({ roles: [] })).toEqual([]);
    expect(directoryRoles(null)).toBeNull();
  });

  test('warns per workload, naming the roles and the one to assign', () => {
    expect(directoryRoleWarning({ wids: [DIRECTORY_READERS] }, 'exchange-online')).toMatch(
      /carries the directory roles Directory Readers, and none of them lets an app administer exchange-online.*Assign the app Exchange Administrator/,
    );
    expect(directoryRoleWarning({ wids: [EXCHANGE_ADMIN] }, 'exchange-online')).toBeNull();
    // Exchange Administrator does not open Security & Compliance; Compliance Administrator opens both.
    expect(directoryRoleWarning({ wids: [EXCHANGE_ADMIN] }, 'security-compliance')).toMatch(
      /Assign the app Compliance Administrator/,
    );
    expect(directoryRoleWarning({ wids: [COMPLIANCE_ADMIN] }, 'security-compliance')).toBeNull();
    expect(directoryRoleWarning({ wids: [COMPLIANCE_ADMIN] }, 'exchange-online')).toBeNull();
  });

  test('no claim, or an empty one, is no warning: the app may hold a role group through a service principal', () => {
    expect(directoryRoleWarning({}, 'exchange-online')).toBeNull();
    expect(directoryRoleWarning({ wids: [] }, 'exchange-online')).toBeNull();
  });

  test('the "role … isn\'t supported" hint lists the roles the token carried', () => {
    const outcome = {
      processExitCode: 1,
      signal: null,
      stopReason: null,
      phases: {},
      failedPhase: null,
      module: null,
      organization: null,
      connected: true,
      connecting: false,
      serverSessionClosed: null,
      connections: [],
      disconnected: true,
      connectAttempted: true,
      teardown: 'ended',
      errors: [
        {
          phase: 'script',
          message: "The role assigned to application 1111 isn't supported in this scenario.",
          terminating: true,
        },
      ],
      script: { event: 'script', exitCode: 1, errors: 0, terminated: true, objects: 0, truncated: false },
      resultJson: '[]',
      plan: null,
      resultFile: null,
    } as SessionOutcome;
    const settings = {
      target: 'exchange-online',
      targets: ['exchange-online'],
      auth: 'client-secret',
      failOnError: true,
    } as Settings;
    expect(judge(settings, outcome, { directoryRoles: ['Directory Readers'] }).hint).toMatch(
      /assign it "Exchange Administrator".*The access token carried these directory roles: Directory Readers\./,
    );
    expect(judge(settings, outcome, { directoryRoles: [] }).hint).toMatch(/carried no directory role\./);
    expect(judge(settings, outcome).hint).not.toMatch(/carried/);
  });
});
