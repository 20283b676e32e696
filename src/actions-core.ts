// The part of @actions/core this action uses, written exactly as the package writes it: the same
// workflow commands on stdout and the same environment-file lines. Importing @actions/core runs
// its OIDC client, which loads @actions/http-client and undici (about 1 MB, some 25 ms at every
// step start), and the package exports nothing without it. Only the OIDC token flow needs that
// client; tokens.ts loads @actions/core for it alone. test/unit/actions-core.test.ts holds every
// function here to the package's own output.
// https://docs.github.com/actions/reference/workflows-and-actions/workflow-commands
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { EOL } from 'node:os';

/** Where an annotation points (the subset of @actions/core's AnnotationProperties the action uses). */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
}

/** INPUT_<NAME> as the runner sets it; trimmed unless trimWhitespace is false. */
export function getInput(name: string, options: { trimWhitespace?: boolean } = {}): string {
  const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
  return options.trimWhitespace === false ? value : value.trim();
}

export function setOutput(name: string, value: string): void {
  if (process.env.GITHUB_OUTPUT) return appendEnvironmentFile('OUTPUT', keyValue(name, value));
  process.stdout.write(EOL);
  command('set-output', { name }, value);
}

export function saveState(name: string, value: string): void {
  if (process.env.GITHUB_STATE) return appendEnvironmentFile('STATE', keyValue(name, value));
  command('save-state', { name }, value);
}

/** The value main saved under `name`: the runner hands it to the post step as STATE_<name>. */
export function getState(name: string): string {
  return process.env[`STATE_${name}`] || '';
}

export function setSecret(secret: string): void {
  command('add-mask', {}, secret);
}

export function info(message: string): void {
  process.stdout.write(message + EOL);
}

export function error(message: string, properties: AnnotationProperties = {}): void {
  command('error', annotation(properties), message);
}

export function warning(message: string, properties: AnnotationProperties = {}): void {
  command('warning', annotation(properties), message);
}

export function notice(message: string, properties: AnnotationProperties = {}): void {
  command('notice', annotation(properties), message);
}

export function startGroup(name: string): void {
  command('group', {}, name);
}

export function endGroup(): void {
  command('endgroup', {}, '');
}

/** Logs the error and makes the step fail when the process exits. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

/** ::name key=value,…::message; as in @actions/core, any property key adds the space, set or not. */
function command(name: string, properties: Record<string, string | number | undefined>, message: string): void {
  const entries = Object.entries(properties);
  const props = entries
    .filter((entry): entry is [string, string | number] => Boolean(entry[1]))
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  process.stdout.write(`::${name}${entries.length === 0 ? '' : ` ${props}`}::${escapeData(message)}${EOL}`);
}

function annotation(properties: AnnotationProperties): Record<string, string | number | undefined> {
  if (Object.keys(properties).length === 0) return {};
  return { title: properties.title, file: properties.file, line: properties.startLine };
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function appendEnvironmentFile(kind: 'OUTPUT' | 'STATE', text: string): void {
  const file = process.env[`GITHUB_${kind}`]!;
  if (!fs.existsSync(file)) throw new Error(`Missing file at path: ${file}`);
  fs.appendFileSync(file, `${text}${EOL}`, { encoding: 'utf8' });
}

/** name<<DELIMITER, the value, DELIMITER: a delimiter the value cannot end early. */
function keyValue(name: string, value: string): string {
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter))
    throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  if (value.includes(delimiter))
    throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}`;
}

export type SummaryTableRow = Array<string | { data: string; header?: boolean }>;

/** The job summary (GITHUB_STEP_SUMMARY), built as HTML and appended by write(). */
class Summary {
  private buffer = '';

  addRaw(text: string, addEOL = false): this {
    this.buffer += text;
    if (addEOL) this.buffer += EOL;
    return this;
  }

  addHeading(text: string, level: 1 | 2 | 3 | 4 | 5 | 6): this {
    return this.addRaw(wrap(`h${level}`, text), true);
  }

  addTable(rows: SummaryTableRow[]): this {
    const cell = (c: SummaryTableRow[number]): string =>
      typeof c === 'string' ? wrap('td', c) : wrap(c.header ? 'th' : 'td', c.data);
    return this.addRaw(wrap('table', rows.map((row) => wrap('tr', row.map(cell).join(''))).join('')), true);
  }

  stringify(): string {
    return this.buffer;
  }

  emptyBuffer(): this {
    this.buffer = '';
    return this;
  }

  async write(): Promise<this> {
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (!file) {
      throw new Error(
        'Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.',
      );
    }
    try {
      await fs.promises.access(file, fs.constants.R_OK | fs.constants.W_OK);
    } catch {
      throw new Error(
        `Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`,
      );
    }
    await fs.promises.appendFile(file, this.buffer, { encoding: 'utf8' });
    return this.emptyBuffer();
  }
}

/** @actions/core's wrap: an empty cell is written as an opening tag alone. */
function wrap(tag: string, content: string): string {
  return content ? `<${tag}>${content}</${tag}>` : `<${tag}>`;
}

export const summary = new Summary();
