/** Saves bytes as a file through the browser's download flow (a link click on an object URL). */
export function downloadBytes(bytes: Uint8Array, filename: string, type = 'application/zip'): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once started; free the URL shortly after.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name for a report export: `provenance-lens-report-<date>-<id prefix>.zip`. */
export function reportFileName(bundle: { id: string; createdAt: string }): string {
  return `provenance-lens-report-${bundle.createdAt.slice(0, 10)}-${bundle.id.slice(0, 8)}.zip`;
}
