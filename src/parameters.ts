// The `parameters` input: checked here for shape, and handed to PowerShell as the very text the
// workflow wrote. Parsing and re-serialising it in JavaScript would round every integer beyond
// 2^53; PowerShell reads the text itself (src/ps/ExoConnectRunner/Private/Json.ps1), and refuses
// keys the script's param() block does not declare.

import { SettingsError } from './errors.js';

export interface ScriptParameters {
  /** The JSON object exactly as written ('{}' when the input is empty). */
  json: string;
  /** Its top-level keys, for the log. */
  names: string[];
}

/** Deeper nesting is refused: no script parameter needs it, and PowerShell's binder recurses. */
export const MAX_PARAMETER_DEPTH = 100;

// A parameter's name as people write one: a letter or _, then letters, digits and _, of any script
// (Unicode's L* and Nd categories, as PowerShell's char.IsLetter and char.IsDigit). PowerShell itself
// also takes a leading digit ($9lives), which this refuses.
const PARAMETER_NAME = /^[\p{L}_][\p{L}\p{Nd}_]{0,127}$/u;
const EXAMPLE = 'a JSON object such as {"Identity": "alice@contoso.com", "Days": 30}';

/**
 * PowerShell's common parameters and their aliases: the action sets these from its own inputs,
 * and a key of that name would override them (ErrorAction) or the runner's own variables
 * (OutVariable). https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_commonparameters
 */
export const COMMON_PARAMETERS: ReadonlyMap<string, string> = new Map(
  [
    ['Verbose', 'vb'],
    ['Debug', 'db'],
    ['ErrorAction', 'ea'],
    ['WarningAction', 'wa'],
    ['InformationAction', 'infa'],
    ['ProgressAction', 'proga'],
    ['ErrorVariable', 'ev'],
    ['WarningVariable', 'wv'],
    ['InformationVariable', 'iv'],
    ['OutVariable', 'ov'],
    ['OutBuffer', 'ob'],
    ['PipelineVariable', 'pv'],
    ['WhatIf', 'wi'],
    ['Confirm', 'cf'],
  ].flatMap(([name, alias]) => [
    [name!.toLowerCase(), name!],
    [alias!, name!],
  ]),
);

export function readParameters(value: string): ScriptParameters {
  if (value.trim() === '') return { json: '{}', names: [] };
  const depth = nestingDepth(value);
  if (depth > MAX_PARAMETER_DEPTH) {
    throw new SettingsError(
      'parameters',
      `nests objects and arrays ${depth} levels deep`,
      `${EXAMPLE}, nested at most ${MAX_PARAMETER_DEPTH} levels`,
    );
  }
  let parsed: unknown;
  let outOfRange: string | null = null;
  try {
    parsed = JSON.parse(value, (_key, item: unknown, context?: { source?: string }) => {
      // An integer of any size reaches the script whole (a BigInteger); only a fraction or an
      // exponent beyond a double's range has no PowerShell type to land in.
      const integer = context?.source !== undefined && /^-?\d+$/.test(context.source);
      if (typeof item === 'number' && !Number.isFinite(item) && !integer)
        outOfRange ??= context?.source ?? String(item);
      return item;
    });
  } catch (error) {
    throw new SettingsError('parameters', `is not valid JSON (${(error as Error).message})`, EXAMPLE);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SettingsError('parameters', 'is JSON but not an object', EXAMPLE);
  }
  if (outOfRange !== null) {
    throw new SettingsError('parameters', `holds the number ${outOfRange}, beyond the range of a double`, EXAMPLE);
  }
  const names = checkKeys(value);
  for (const name of names) {
    if (!PARAMETER_NAME.test(name)) {
      throw new SettingsError(
        'parameters',
        `key '${name}' is not a PowerShell parameter name`,
        "keys of letters, digits and _ that match the names in the script's param() block",
      );
    }
    const common = COMMON_PARAMETERS.get(name.toLowerCase());
    if (common !== undefined) {
      throw new SettingsError(
        'parameters',
        `key '${name}' is PowerShell's common parameter ${common}, which the action sets itself`,
        "the script's own parameters; the error-action-preference and what-if inputs set those preferences",
      );
    }
  }
  return { json: value, names };
}

/** The deepest nesting of objects and arrays, strings skipped. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') deepest = Math.max(deepest, ++depth);
    else if (c === '}' || c === ']') depth--;
  }
  return deepest;
}

/**
 * The top-level keys, in order. Refuses a key that appears twice in any object, in any spelling:
 * JSON.parse would keep only the last, and PowerShell's names are case-insensitive.
 * `text` is valid JSON here, so a string right after `{` or `,` inside an object is a key.
 */
function checkKeys(text: string): string[] {
  const objects: Array<{ keys: Map<string, string>; isObject: boolean; path: string; lastKey: string }> = [];
  const topLevel: string[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
      const top = objects.at(-1);
      if (!expectKey || top === undefined) continue;
      const key = JSON.parse(text.slice(start, i + 1)) as string;
      const earlier = top.keys.get(key.toLowerCase());
      if (earlier !== undefined) {
        const where = top.path === '' ? '' : ` in ${top.path}`;
        const problem =
          earlier === key
            ? `key '${key}' appears twice${where}`
            : `keys '${earlier}' and '${key}'${where} differ only in case, and PowerShell's names are case-insensitive`;
        throw new SettingsError('parameters', problem, 'each key once, in one spelling');
      }
      top.keys.set(key.toLowerCase(), key);
      top.lastKey = key;
      if (objects.length === 1) topLevel.push(key);
      expectKey = false;
    } else if (c === '{' || c === '[') {
      const parent = objects.at(-1);
      const path =
        parent === undefined
          ? ''
          : parent.isObject
            ? [parent.path, parent.lastKey].filter((p) => p !== '').join('.')
            : `${parent.path}[]`;
      objects.push({ keys: new Map(), isObject: c === '{', path, lastKey: '' });
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      objects.pop();
    } else if (c === ',') {
      expectKey = objects.at(-1)?.isObject ?? false;
    }
  }
  return topLevel;
}
