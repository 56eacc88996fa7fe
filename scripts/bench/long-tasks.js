/* global window, PerformanceObserver */
// The feed pages' long tasks (feed.html, feed-bench.html), recorded from the start for the whole page, whoever caused
// them: when each began and how long it ran, in milliseconds.
window.longTasks = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.longTasks.push({ start: e.startTime, duration: e.duration });
}).observe({ type: 'longtask', buffered: true });
