/** What `work` writes to stdout (workflow commands such as ::add-mask:: and ::error::). */
export function captureStdout(work: () => void): string {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => (
    chunks.push(String(chunk)),
    true
  )) as typeof process.stdout.write;
  try {
    work();
  } finally {
    process.stdout.write = write;
  }
  return chunks.join('');
}
