import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import type { ReportBundle } from './schema';

/** A report as the history keeps it: the bundle and its frames' bytes, in manifest order. */
export interface ReportFiles {
  bundle: ReportBundle;
  frames: Uint8Array[];
}

function addReport(tree: Zippable, prefix: string, report: ReportFiles): void {
  tree[`${prefix}manifest.json`] = strToU8(JSON.stringify(report.bundle, null, 2));
  report.bundle.frames.forEach((frame, i) => {
    const bytes = report.frames[i];
    if (!bytes) throw new Error(`report ${report.bundle.id} lacks the bytes of ${frame.file}`);
    // JPEGs do not shrink: store them, deflate only the JSON.
    tree[`${prefix}${frame.file}`] = [bytes, { level: 0 }];
  });
}

/** One report as a .zip: `manifest.json` (the bundle) and `frames/NN.jpg`. */
export function zipReport(report: ReportFiles): Uint8Array {
  const tree: Zippable = {};
  addReport(tree, '', report);
  return zipSync(tree, { level: 6 });
}

/** Several reports as one .zip: `manifest.json` lists them, each in a folder named by its id. */
export function zipReports(reports: readonly ReportFiles[], now: () => Date = () => new Date()): Uint8Array {
  const tree: Zippable = {};
  const index = {
    schema: 'provenance-lens/report-export',
    version: 1,
    exportedAt: now().toISOString(),
    reports: reports.map((r) => ({
      id: r.bundle.id,
      createdAt: r.bundle.createdAt,
      reason: r.bundle.reason,
      page: r.bundle.page.url,
      manifest: `${r.bundle.id}/manifest.json`,
    })),
  };
  tree['manifest.json'] = strToU8(JSON.stringify(index, null, 2));
  for (const report of reports) addReport(tree, `${report.bundle.id}/`, report);
  return zipSync(tree, { level: 6 });
}

/** Reads a .zip into its files (tests and the receiver use it). */
export function unzip(bytes: Uint8Array): Record<string, Uint8Array> {
  return unzipSync(bytes);
}
