/* The public results dashboard: a line chart of the headline measures over waves with 95%
   confidence bands, a bar chart by sector, and a tile map of the 33 boroughs, each with an
   accessible table of the same figures. Data come from the page (json_script); text is set
   with textContent only. */
(function () {
  "use strict";
  const COLOURS = ["#00468b", "#c8102e", "#007a5e", "#8a5a00", "#6b3fa0", "#00797f"];
  const SUPPRESSED = "[c]";
  const source = document.getElementById("results-data");
  if (!source) return; // nothing published yet: the page says so
  const data = JSON.parse(source.textContent);
  const charts = {};
  const state = { measure: null, wave: null };

  const pct = (v) => (v === null || v === undefined ? null : Math.round(v * 1000) / 10);
  const fmt = (v) => (v === null || v === undefined ? SUPPRESSED : pct(v).toFixed(1));
  const rowsFor = (wave, measure, breakdown) => data.rows.filter(
    (r) => r.wave === wave && r.measure === measure && r.breakdown === breakdown);
  const labelOf = (name) => (data.measures.find((m) => m.name === name) || { label: name }).label;

  function el(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    return node;
  }

  function fillTable(table, caption, headers, rows) {
    table.replaceChildren(el("caption", caption));
    const head = el("thead");
    const tr = el("tr");
    headers.forEach((h) => tr.appendChild(el("th", h, { scope: "col" })));
    head.appendChild(tr);
    const body = el("tbody");
    rows.forEach((cells) => {
      const row = el("tr");
      cells.forEach((cell, i) => row.appendChild(i === 0 ? el("th", cell, { scope: "row" })
        : el("td", cell, /^[-+\d.[]/.test(cell) ? { class: "num" } : {})));
      body.appendChild(row);
    });
    table.append(head, body);
  }

  function option(select, value, text) {
    select.appendChild(el("option", text, { value: String(value) }));
  }

  function setUp() {
    const measureSelect = document.getElementById("measure-select");
    const waveSelect = document.getElementById("wave-select");
    data.measures.forEach((m) => option(measureSelect, m.name, m.label));
    data.waves.forEach((w) => option(waveSelect, w.id, w.name));
    state.measure = data.headline[0] || (data.measures[0] || {}).name;
    state.wave = data.waves[data.waves.length - 1].id;
    measureSelect.value = state.measure;
    waveSelect.value = String(state.wave);
    measureSelect.addEventListener("change", () => { state.measure = measureSelect.value; update(); });
    waveSelect.addEventListener("change", () => { state.wave = Number(waveSelect.value); update(); });
    drawTrend();
    update();
  }

  function update() {
    drawChange();
    drawSectors();
    drawBoroughs();
  }

  const points = (v) => (v === null || v === undefined ? null : Math.round(v * 1000) / 10);
  const signed = (v) => (v === null || v === undefined ? SUPPRESSED
    : (v > 0 ? "+" : "") + points(v).toFixed(1));

  function drawChange() {
    const rows = data.changes.filter((r) => r.wave === state.wave);
    const wave = data.waves.find((w) => w.id === state.wave);
    const previous = rows.length ? data.waves.find((w) => w.id === rows[0].previous_wave) : null;
    const note = document.getElementById("change-note");
    const caption = previous ? "Change from " + previous.name + " to " + wave.name
      + " (percentage points, 95% CI)" : "Change since the previous wave";
    note.textContent = previous ? "Bars show the 95% confidence interval of each change; "
      + "darker bars are changes significant at the 5% level (marked * in the table)."
      : "No earlier published wave to compare " + wave.name + " with.";
    const order = data.measures.map((m) => m.name);
    rows.sort((a, b) => order.indexOf(a.measure) - order.indexOf(b.measure));
    if (charts.change) charts.change.destroy();
    charts.change = new Chart(document.getElementById("change-chart"), {
      type: "bar",
      data: { labels: rows.map((r) => labelOf(r.measure)),
        datasets: [{ label: "Change, 95% CI (percentage points)",
          data: rows.map((r) => (r.suppressed ? null : [points(r.change_ci_low), points(r.change_ci_high)])),
          backgroundColor: rows.map((r) => (r.significant ? COLOURS[0] : "#9aa5b1")) }] },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, indexAxis: "y",
        scales: { x: { title: { display: true, text: "Change (percentage points)" },
          grid: { color: (c) => (c.tick && c.tick.value === 0 ? "#1b1b1b" : "#e5e7ea") } },
        y: { ticks: { autoSkip: false } } },
        plugins: { legend: { display: false } },
      },
    });
    fillTable(document.getElementById("change-table"), caption,
      ["Measure", "Before %", "Now %", "Change", "95% CI", "Sig."],
      rows.map((r) => (r.suppressed
        ? [labelOf(r.measure), SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED]
        : [labelOf(r.measure), fmt(r.previous_estimate), fmt(r.estimate), signed(r.change),
          signed(r.change_ci_low) + " to " + signed(r.change_ci_high),
          r.significant ? "Yes *" : "No"])));
  }

  function drawTrend() {
    const labels = data.waves.map((w) => w.name);
    const datasets = [];
    const tableRows = [];
    data.headline.forEach((measure, i) => {
      const colour = COLOURS[i % COLOURS.length];
      const series = data.waves.map((w) => rowsFor(w.id, measure, "all")[0] || {});
      datasets.push(
        { label: labelOf(measure) + " (upper)", data: series.map((r) => pct(r.ci_high)),
          band: true, borderWidth: 0, pointRadius: 0, backgroundColor: colour + "26", fill: "+1" },
        { label: labelOf(measure) + " (lower)", data: series.map((r) => pct(r.ci_low)),
          band: true, borderWidth: 0, pointRadius: 0, fill: false },
        { label: labelOf(measure), data: series.map((r) => pct(r.estimate)),
          borderColor: colour, backgroundColor: colour, pointRadius: 4, fill: false });
      data.waves.forEach((w, j) => tableRows.push([labelOf(measure), w.name, fmt(series[j].estimate),
        series[j].suppressed ? SUPPRESSED : fmt(series[j].ci_low) + " to " + fmt(series[j].ci_high),
        series[j].unweighted_base == null ? SUPPRESSED : String(series[j].unweighted_base)]));
    });
    charts.trend = new Chart(document.getElementById("trend-chart"), {
      type: "line", data: { labels, datasets },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, spanGaps: false,
        scales: { y: { min: 0, max: 100, title: { display: true, text: "% of businesses" } } },
        plugins: {
          legend: { labels: { filter: (item, chart) => !chart.datasets[item.datasetIndex].band } },
          tooltip: { filter: (item) => !item.dataset.band },
        },
      },
    });
    fillTable(document.getElementById("trend-table"), "Headline measures by wave (%, 95% CI)",
      ["Measure", "Wave", "%", "95% CI", "Base"], tableRows);
  }

  function drawSectors() {
    const rows = rowsFor(state.wave, state.measure, "sector_group");
    const byCode = Object.fromEntries(rows.map((r) => [r.domain, r]));
    const codes = Object.keys(data.sectors);
    const values = codes.map((c) => pct((byCode[c] || {}).estimate));
    const caption = labelOf(state.measure) + " by sector (%)";
    if (charts.sector) charts.sector.destroy();
    charts.sector = new Chart(document.getElementById("sector-chart"), {
      type: "bar",
      data: { labels: codes.map((c) => data.sectors[c]),
        datasets: [{ label: labelOf(state.measure), data: values, backgroundColor: COLOURS[0] }] },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, indexAxis: "y",
        scales: { x: { min: 0, max: 100, title: { display: true, text: "% of businesses" } } },
        plugins: { legend: { display: false } },
      },
    });
    fillTable(document.getElementById("sector-table"), caption, ["Sector", "%", "95% CI", "Base"],
      codes.map((c) => tableRow(data.sectors[c], byCode[c])));
  }

  function tableRow(label, row) {
    if (!row || row.suppressed) return [label, SUPPRESSED, SUPPRESSED, SUPPRESSED];
    return [label, fmt(row.estimate), fmt(row.ci_low) + " to " + fmt(row.ci_high),
      String(row.unweighted_base)];
  }

  function shade(value, low, high) {
    const t = high > low ? (value - low) / (high - low) : 0.5;
    const from = [222, 235, 247], to = [8, 48, 107];
    const mix = from.map((f, i) => Math.round(f + (to[i] - f) * t));
    return { fill: "rgb(" + mix.join(",") + ")", ink: t > 0.55 ? "#fff" : "#1b1b1b" };
  }

  function drawBoroughs() {
    const svg = document.getElementById("borough-map");
    const rows = rowsFor(state.wave, state.measure, "borough");
    const byCode = Object.fromEntries(rows.map((r) => [r.domain, r]));
    const shown = rows.filter((r) => !r.suppressed).map((r) => r.estimate);
    const low = shown.length ? Math.min(...shown) : 0, high = shown.length ? Math.max(...shown) : 1;
    svg.querySelectorAll("g.tile").forEach((g) => g.remove());
    const ns = "http://www.w3.org/2000/svg", size = 58;
    const first = Math.min(...data.tiles.map((t) => t.column));
    const columns = Math.max(...data.tiles.map((t) => t.column)) - first + 1;
    const rowsUsed = Math.max(...data.tiles.map((t) => t.row)) + 1;
    svg.setAttribute("viewBox", "0 0 " + (columns * (size + 4) + 4) + " " + (rowsUsed * (size + 4) + 4));
    data.tiles.forEach((tile) => {
      const row = byCode[tile.code];
      const hidden = !row || row.suppressed;
      const colour = hidden ? { fill: "#d0d4d9", ink: "#1b1b1b" } : shade(row.estimate, low, high);
      const g = document.createElementNS(ns, "g");
      g.setAttribute("class", "tile");
      const x = (tile.column - first) * (size + 4) + 4, y = tile.row * (size + 4) + 4;
      const rect = document.createElementNS(ns, "rect");
      Object.entries({ x, y, width: size, height: size, rx: 4, fill: colour.fill,
        "data-code": tile.code }).forEach(([k, v]) => rect.setAttribute(k, v));
      const title = document.createElementNS(ns, "title");
      title.textContent = tile.name + ": " + (hidden ? "withheld [c]" : fmt(row.estimate) + "%");
      rect.appendChild(title);
      g.appendChild(rect);
      [[tile.abbreviation, 24], [hidden ? SUPPRESSED : fmt(row.estimate), 42]].forEach(([text, dy]) => {
        const t = document.createElementNS(ns, "text");
        t.setAttribute("x", x + size / 2);
        t.setAttribute("y", y + dy);
        t.setAttribute("fill", colour.ink);
        t.textContent = text;
        g.appendChild(t);
      });
      svg.appendChild(g);
    });
    legend(low, high, shown.length > 0);
    const sorted = [...data.tiles].sort((a, b) => a.name.localeCompare(b.name));
    fillTable(document.getElementById("borough-table"), labelOf(state.measure) + " by borough (%)",
      ["Borough", "%", "95% CI", "Base"], sorted.map((t) => tableRow(t.name, byCode[t.code])));
  }

  function legend(low, high, any) {
    const box = document.getElementById("borough-legend");
    box.replaceChildren();
    if (any) {
      box.appendChild(el("span", fmt(low) + "%"));
      [0, 0.25, 0.5, 0.75, 1].forEach((t) => box.appendChild(
        el("span", "", { class: "swatch", style: "background:" + shade(low + t * (high - low), low, high).fill })));
      box.appendChild(el("span", fmt(high) + "%"));
    }
    box.appendChild(el("span", "", { class: "swatch", style: "background:#d0d4d9" }));
    box.appendChild(el("span", "withheld " + SUPPRESSED));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
