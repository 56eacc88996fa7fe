/** Reads a blob into a data URL without blocking on a large base64 loop in script. */
export function blobToDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('could not read image data'));
    reader.readAsDataURL(blob);
  });
}

/** Decodes a data URL (or any URL the context may fetch) into a blob. */
export async function dataUrlToBlob(url: string): Promise<Blob> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not decode image (${response.status})`);
  return response.blob();
}

/** Byte length of the data a data URL carries, without decoding it. */
export function dataUrlByteLength(url: string): number {
  const comma = url.indexOf(',');
  return comma < 0 ? url.length : url.length - comma - 1;
}
