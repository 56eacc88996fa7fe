/**
 * The own enumerable fields of a stored value, in an object without a prototype; anything that is not a plain
 * object (null, an array, a string) reads as no fields at all.
 *
 * Why: a schema reads `value[key]`, which would also find a field inherited from the value's prototype. Values
 * come out of storage that content scripts (and so a compromised page) can write; copying only own fields onto a
 * prototype-less object means a `__proto__` or `constructor` key stays an ignored field, never a prototype and
 * never a source of defaults, even if something polluted `Object.prototype`.
 */
export function ownFields(value: unknown): Record<string, unknown> {
  const fields = Object.create(null) as Record<string, unknown>;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fields;
  for (const [key, field] of Object.entries(value)) fields[key] = field;
  return fields;
}
