import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mediapipeNoLogging, stripMediapipeLogging } from '../../scripts/faces/build-assets';

const BUNDLE = resolve('node_modules/@mediapipe/tasks-vision/vision_bundle.mjs');
const bundle = readFileSync(BUNDLE, 'utf8');

describe('MediaPipe usage logging', () => {
  it('is created for every task in the bundle as installed', () => {
    expect(bundle).toMatch(/\.o=new \w+\(\w\.D\(\),\w,\w\)/);
  });

  it('is removed from the bundle the extension ships, and nothing else changes', () => {
    const stripped = stripMediapipeLogging(bundle);
    expect(stripped).not.toMatch(/\.o=new \w+\(\w\.D\(\),\w,\w\)/);
    expect(stripped).not.toMatch(/\.h\.Ta\(\)/);
    expect(bundle.length - stripped.length).toBeLessThan(60);
    // Every use of the logger is optional, so a task without one runs and logs nothing.
    expect(stripped).toContain('this.o?.za()');
  });

  it('fails the build when the bundle is not the version it was written for', () => {
    expect(() => stripMediapipeLogging('export const x = 1;')).toThrow(/expected one usage-logger creation/);
  });

  it('applies to the tasks-vision module only', () => {
    const plugin = mediapipeNoLogging();
    expect(plugin.transform(bundle, BUNDLE)?.code).toBe(stripMediapipeLogging(bundle));
    expect(plugin.transform('const a = 1;', '/src/other.ts')).toBeNull();
  });
});
