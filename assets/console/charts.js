// Draws each dashboard chart with Chart.js from the table beside it (the numbers people read
// are the chart's data): a `table[data-chart]` names what to draw, each cell keeps its value in
// `data-value` (JSON). Chart.js styles its canvas through element.style (the CSSOM), which the
// Content-Security-Policy allows. Without script the tables stand alone.
/* global Chart */
(() => {
  if (typeof Chart === 'undefined') return;
  const css = getComputedStyle(document.documentElement);
  const colour = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  const palette = [colour('--accent', '#2457a6'), '#9aa4ae', '#c2571a', '#2e7d4f', '#7b3fa0', '#a33b5b'];

  for (const table of document.querySelectorAll('table[data-chart]')) {
    const spec = JSON.parse(table.dataset.chart);
    const headers = Object.fromEntries([...table.querySelectorAll('thead th')].map((th) => [th.dataset.key, th.textContent.trim()]));
    const rows = [...table.querySelectorAll('tbody tr')].map((tr) =>
      Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.dataset.key, JSON.parse(td.dataset.value)])),
    );
    const name = (row, keys) => keys.map((k) => (row[k] === null ? '(none)' : String(row[k]))).join(' · ');
    let data;
    if (spec.type === 'bar') {
      const datasets = spec.values.map((key, i) => ({
        type: 'bar',
        label: headers[key],
        data: rows.map((r) => r[key]),
        backgroundColor: palette[i % palette.length],
      }));
      data = { labels: rows.map((r) => name(r, spec.label)), datasets };
    } else {
      const xs = [...new Set(rows.map((r) => r[spec.x]))].sort();
      const series = new Map();
      for (const r of rows) {
        const key = name(r, spec.series);
        if (!series.has(key)) series.set(key, new Map());
        series.get(key).set(r[spec.x], r[spec.value]);
      }
      data = {
        labels: xs,
        datasets: [...series].map(([label, points], i) => ({
          label,
          data: xs.map((x) => (points.has(x) ? points.get(x) : null)),
          borderColor: palette[i % palette.length],
          backgroundColor: palette[i % palette.length],
          spanGaps: true,
        })),
      };
    }
    const figure = table.closest('section').querySelector('figure.chart');
    const canvas = figure.querySelector('canvas');
    new Chart(canvas, {
      type: spec.type,
      data,
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, ...(spec.percent && { max: 100, ticks: { callback: (v) => `${v}%` } }) } },
        plugins: { legend: { position: 'bottom' } },
      },
    });
    figure.dataset.drawn = 'true';
  }
})();
