// Text the action prints that it did not write itself: server errors, retry causes, file names,
// values from the state or the events file. The Actions runner reads every line of the log for
// workflow commands: a line that starts with `::` (after leading spaces), and `##[` anywhere in a
// line (the runner's older command syntax). Such text is printed as one line with neither, so it
// can neither issue a command nor split a masked secret across lines. The user's script's own
// output is the user's, and is never rewritten.

/** A count and its noun, in the number's English form: "1 cmdlet", "1,200 objects". */
export function counted(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

/** Line breaks and other control characters (C0, DEL, C1, Unicode line and paragraph separators). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** The text on one line: control characters become one space each run, and commands are neutralised. */
export function oneLine(text: string): string {
  return neutralise(text.replace(CONTROL, ' ').trim());
}

/** A line that cannot be read as a workflow command. */
export function neutralise(line: string): string {
  return line.replace(/##\[/g, '# #[').replace(/^(\s*)::/, '$1: :');
}

/** Whether a value holds a control character (a line break, a tab, an escape…). */
export function hasControlCharacter(value: string): boolean {
  CONTROL.lastIndex = 0;
  return CONTROL.test(value);
}

/** Control characters as spaces, one each (for HTML, where line breaks are handled first). */
export function spaceControls(text: string): string {
  return text.replace(CONTROL, (run) => ' '.repeat(run.length));
}
