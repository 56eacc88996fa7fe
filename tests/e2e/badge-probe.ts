/**
 * The tests' badge reader: one implementation with the benchmarks, which read badges from outside the page too
 * (scripts/lib/badge-probe.mjs).
 */
export { BadgeProbe, type BadgeView } from '../../scripts/lib/badge-probe.mjs';
