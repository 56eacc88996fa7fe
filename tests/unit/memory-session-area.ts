import type { SessionArea } from '../../lib/background/results-store';

/** `storage.session` in memory, for tests of the results store and what drives it (values cloned as the browser does). */
export function memoryArea(): SessionArea {
  const data = new Map<string, unknown>();
  return {
    get: async (key) => (data.has(key) ? { [key]: structuredClone(data.get(key)) } : {}),
    set: async (items) => {
      for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v));
    },
    remove: async (key) => {
      data.delete(key);
    },
  };
}
