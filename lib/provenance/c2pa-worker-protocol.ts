/** What to read: a whole file, or a stream's init segment and one media segment, with the reader's settings. */
export type C2paReadBody = { settings: string; mimeType: string } & (
  | { op: 'file'; blob: Blob }
  | { op: 'fragment'; init: Blob; fragment: Blob }
);

/** A request to the C2PA worker. */
export type C2paWorkerRequest = C2paReadBody & { id: number; wasmUrl: string };

/** The worker's answer: the manifest store (null when there is none) or an error message. */
export type C2paWorkerResponse = { id: number; store: unknown | null } | { id: number; error: string };
