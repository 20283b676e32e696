// Test certificates made with the openssl CLI: a real PKCS#12 file, as an admin would export it.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TestCertificate {
  base64: string;
  password: string;
  thumbprint: string;
  /** The certificate alone, DER, base64: what a `.cer` export holds (no private key). */
  cerBase64: string;
  /** The certificate and its unencrypted private key as PEM text, as openssl writes them. */
  pem: string;
}

export interface PfxOptions {
  withKey?: boolean;
  /** Validity other than from now for a year; `openssl req -x509` only counts days from now. */
  notBefore?: Date;
  notAfter?: Date;
}

const cache = new Map<string, TestCertificate>();

/** openssl ca's -startdate/-enddate form, YYYYMMDDHHMMSSZ. */
const asn1Time = (date: Date): string =>
  date
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d+Z$/, 'Z');

export function makePfx(password = 'P@ss w0rd; $(whoami) `"\'', options: PfxOptions = {}): TestCertificate {
  const key = `${password}|${options.withKey !== false}|${options.notBefore?.toISOString()}|${options.notAfter?.toISOString()}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exo-pfx-'));
  try {
    const run = (args: string[]): void => {
      execFileSync('openssl', args, { cwd: dir, stdio: 'pipe', env: { ...process.env, PFX_PASSWORD: password } });
    };
    const subject = '/CN=exo-connect-action test';
    if (options.notBefore === undefined && options.notAfter === undefined) {
      // A year: the action warns about a certificate that expires within 30 days.
      run(
        ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem'].concat([
          '-subj',
          subject,
          '-days',
          '365',
        ]),
      );
    } else {
      // A self-signed certificate with chosen dates, in the past or the future: openssl ca can set both.
      fs.writeFileSync(path.join(dir, 'index.txt'), '');
      fs.writeFileSync(path.join(dir, 'serial'), '01\n');
      fs.writeFileSync(
        path.join(dir, 'ca.cnf'),
        '[ca]\ndefault_ca = d\n[d]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\ndefault_md = sha256\npolicy = p\nunique_subject = no\n[p]\ncommonName = supplied\n',
      );
      run(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'req.csr', '-subj', subject]);
      const from = options.notBefore ?? new Date(Date.now() - 86_400_000);
      const to = options.notAfter ?? new Date(from.getTime() + 365 * 86_400_000);
      run(
        [
          'ca',
          '-batch',
          '-config',
          'ca.cnf',
          '-selfsign',
          '-keyfile',
          'key.pem',
          '-in',
          'req.csr',
          '-out',
          'cert.pem',
        ].concat(['-notext', '-startdate', asn1Time(from), '-enddate', asn1Time(to)]),
      );
    }
    const exportArgs = ['pkcs12', '-export', '-in', 'cert.pem', '-out', 'cert.pfx', '-passout', 'env:PFX_PASSWORD'];
    run(options.withKey === false ? [...exportArgs, '-nokeys'] : [...exportArgs, '-inkey', 'key.pem']);
    run(['x509', '-in', 'cert.pem', '-outform', 'DER', '-out', 'cert.cer']);
    const fingerprint = execFileSync('openssl', ['x509', '-in', 'cert.pem', '-noout', '-fingerprint', '-sha1'], {
      cwd: dir,
      encoding: 'utf8',
    });
    const read = (name: string): Buffer => fs.readFileSync(path.join(dir, name));
    const certificate = {
      base64: read('cert.pfx').toString('base64'),
      password,
      thumbprint: fingerprint.split('=')[1]!.replace(/:/g, '').trim(),
      cerBase64: read('cert.cer').toString('base64'),
      pem: read('cert.pem').toString('utf8') + read('key.pem').toString('utf8'),
    };
    cache.set(key, certificate);
    return certificate;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
