// Test certificates made with the openssl CLI: a real PKCS#12 file, as an admin would export it.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TestCertificate {
  base64: string;
  password: string;
  thumbprint: string;
}

const cache = new Map<string, TestCertificate>();

export function makePfx(password = 'P@ss w0rd; $(whoami) `"\'', options: { withKey?: boolean } = {}): TestCertificate {
  const key = `${password}|${options.withKey !== false}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-pfx-'));
  try {
    const run = (args: string[]): void => {
      execFileSync('openssl', args, { cwd: dir, stdio: 'pipe', env: { ...process.env, PFX_PASSWORD: password } });
    };
    run([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'key.pem',
      '-out',
      'cert.pem',
      '-subj',
      '/CN=exo-connect-action test',
      '-days',
      '2',
    ]);
    const exportArgs = ['pkcs12', '-export', '-in', 'cert.pem', '-out', 'cert.pfx', '-passout', 'env:PFX_PASSWORD'];
    run(options.withKey === false ? [...exportArgs, '-nokeys'] : [...exportArgs, '-inkey', 'key.pem']);
    const fingerprint = execFileSync('openssl', ['x509', '-in', 'cert.pem', '-noout', '-fingerprint', '-sha1'], {
      cwd: dir,
      encoding: 'utf8',
    });
    const certificate = {
      base64: fs.readFileSync(path.join(dir, 'cert.pfx')).toString('base64'),
      password,
      thumbprint: fingerprint.split('=')[1]!.replace(/:/g, '').trim(),
    };
    cache.set(key, certificate);
    return certificate;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
