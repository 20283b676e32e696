// @actions/core writes workflow commands (::add-mask::, ::warning::) and log lines straight to
// process.stdout. Unit tests capture them, so the terminal stays free of them and the test can
// assert on what the runner would have read.

type Write = typeof process.stdout.write;

function intercept(chunks: string[]): () => void {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => (chunks.push(String(chunk)), true)) as Write;
  return () => (process.stdout.write = write);
}

/** What `work` writes to stdout (workflow commands such as ::add-mask:: and ::error::). */
export function captureStdout(work: () => void): string {
  const chunks: string[] = [];
  const restore = intercept(chunks);
  try {
    work();
  } finally {
    restore();
  }
  return chunks.join('');
}

/** The same for async work: its result and what it wrote to stdout until it settled. */
export async function captureStdoutAsync<T>(work: () => Promise<T>): Promise<{ value: T; stdout: string }> {
  const chunks: string[] = [];
  const restore = intercept(chunks);
  try {
    const value = await work();
    return { value, stdout: chunks.join('') };
  } finally {
    restore();
  }
}
