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

  const BOUNDARY = "korn_graubard_n"; // interval at 0% or 100% (see the methodology note)
  const missing = (v) => v === null || v === undefined;
  const pct = (v) => (missing(v) ? null : Math.round(v * 1000) / 10);
  const fmt = (v) => (missing(v) ? SUPPRESSED : pct(v).toFixed(1));
  // [c] only for a withheld figure; a bound that cannot be computed says so.
  const interval = (r) => {
    if (!r || r.suppressed) return SUPPRESSED;
    if (missing(r.ci_low) || missing(r.ci_high)) return "not available";
    return pct(r.ci_low).toFixed(1) + " to " + pct(r.ci_high).toFixed(1)
      + (r.ci_method === BOUNDARY ? " \u2020" : "");
  };
  const single = () => data.waves.length < 2;
  // Which estimate a borough's figure is (exports.borough_sources): words and tile marks.
  const SOURCE_WORDS = { direct: "direct", pooled: "pooled", "model-based": "model-based" };
  const TILE_MARKS = { pooled: "pooled", "model-based": "model" };
  const LEGEND_WORDS = {
    direct: "plain: direct survey estimate",
    pooled: "dotted edge, 'pooled': survey estimate of several waves",
    "model-based": "dashed edge, 'model': model-based (Fay-Herriot) estimate",
  };

  /* Whiskers: each bar's 95% interval (dataset.intervals, in %) drawn as a line with caps. */
  const whiskers = {
    id: "whiskers",
    afterDatasetsDraw(chart) {
      const { ctx } = chart;
      chart.data.datasets.forEach((dataset, d) => {
        if (!dataset.intervals) return;
        const meta = chart.getDatasetMeta(d);
        const horizontal = chart.options.indexAxis === "y";
        const scale = horizontal ? chart.scales.x : chart.scales.y;
        meta.data.forEach((bar, i) => {
          const bounds = dataset.intervals[i];
          if (!bounds || missing(bounds[0]) || missing(bounds[1])) return;
          const a = scale.getPixelForValue(bounds[0]), b = scale.getPixelForValue(bounds[1]);
          const at = horizontal ? bar.y : bar.x, cap = 5;
          ctx.save();
          ctx.strokeStyle = "#1b1b1b";
          ctx.lineWidth = 1.5;
          ctx.beginPath();
          if (horizontal) {
            ctx.moveTo(a, at); ctx.lineTo(b, at);
            ctx.moveTo(a, at - cap); ctx.lineTo(a, at + cap);
            ctx.moveTo(b, at - cap); ctx.lineTo(b, at + cap);
          } else {
            ctx.moveTo(at, a); ctx.lineTo(at, b);
            ctx.moveTo(at - cap, a); ctx.lineTo(at + cap, a);
            ctx.moveTo(at - cap, b); ctx.lineTo(at + cap, b);
          }
          ctx.stroke();
          ctx.restore();
        });
      });
    },
  };
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
      : (single() ? "Change needs two published waves: " + wave.name + " is the first, so "
        + "there is nothing to compare it with yet. The next wave's results will show the "
        + "change since this one."
        : "No earlier published wave to compare " + wave.name + " with.");
    const section = document.getElementById("change-title").closest("section");
    section.querySelector(".chart-and-table").hidden = !previous;
    section.classList.toggle("empty", !previous);
    if (!previous) {
      if (charts.change) { charts.change.destroy(); charts.change = null; }
      fillTable(document.getElementById("change-table"), caption,
        ["Measure", "Before %", "Now %", "Change", "95% CI", "Sig."], []);
      return;
    }
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
        interval(series[j]),
        series[j].unweighted_base == null ? SUPPRESSED : String(series[j].unweighted_base)]));
    });
    document.getElementById("trend-note").textContent = single()
      ? "One wave is published so far: the bars show its headline estimates with their 95% "
        + "confidence intervals. Trends over time appear once a second wave is published."
      : "Lines join each wave's estimate; the shaded bands are 95% confidence intervals.";
    if (single()) {
      const rows = data.headline.map((m) => rowsFor(data.waves[0].id, m, "all")[0] || {});
      charts.trend = new Chart(document.getElementById("trend-chart"), {
        type: "bar",
        data: { labels: data.headline.map(labelOf),
          datasets: [{ label: data.waves[0].name, data: rows.map((r) => pct(r.estimate)),
            intervals: rows.map((r) => [pct(r.ci_low), pct(r.ci_high)]),
            backgroundColor: data.headline.map((m, i) => COLOURS[i % COLOURS.length]) }] },
        options: { animation: false, responsive: true, maintainAspectRatio: false, indexAxis: "y",
          scales: { x: { min: 0, max: 100, title: { display: true, text: "% of businesses" } } },
          plugins: { legend: { display: false } } },
        plugins: [whiskers],
      });
      fillTable(document.getElementById("trend-table"), "Headline measures, " + data.waves[0].name
        + " (%, 95% CI)", ["Measure", "Wave", "%", "95% CI", "Base"], tableRows);
      return;
    }
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
        datasets: [{ label: labelOf(state.measure), data: values, backgroundColor: "#6d9ac4",
          intervals: codes.map((c) => (byCode[c] && !byCode[c].suppressed
            ? [pct(byCode[c].ci_low), pct(byCode[c].ci_high)] : null)) }] },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, indexAxis: "y",
        scales: { x: { min: 0, max: 100, title: { display: true, text: "% of businesses (bars: "
          + "estimate; whiskers: 95% CI)" } } },
        plugins: { legend: { display: false } },
      },
      plugins: [whiskers],
    });
    fillTable(document.getElementById("sector-table"), caption, ["Sector", "%", "95% CI", "Base"],
      codes.map((c) => tableRow(data.sectors[c], byCode[c])));
  }

  function tableRow(label, row) {
    if (!row || row.suppressed) return [label, SUPPRESSED, SUPPRESSED, SUPPRESSED];
    return [label, fmt(row.estimate), interval(row), String(row.unweighted_base)];
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
      const kind = hidden ? "" : (row.source || "direct");
      const colour = hidden ? { fill: "#d0d4d9", ink: "#1b1b1b" } : shade(row.estimate, low, high);
      const g = document.createElementNS(ns, "g");
      g.setAttribute("class", "tile");
      const x = (tile.column - first) * (size + 4) + 4, y = tile.row * (size + 4) + 4;
      const rect = document.createElementNS(ns, "rect");
      Object.entries({ x, y, width: size, height: size, rx: 4, fill: colour.fill,
        "data-code": tile.code, "data-source": kind || "suppressed",
        class: kind ? "source-" + kind : "withheld" }).forEach(([k, v]) => rect.setAttribute(k, v));
      const title = document.createElementNS(ns, "title");
      title.textContent = tile.name + ": " + (hidden ? "withheld [c]" : fmt(row.estimate) + "% ("
        + (SOURCE_WORDS[kind] || kind) + ", 95% CI " + interval(row) + ")");
      rect.appendChild(title);
      g.appendChild(rect);
      const lines = [[tile.abbreviation, 22, ""], [hidden ? SUPPRESSED : fmt(row.estimate), 38, ""]];
      if (TILE_MARKS[kind]) lines.push([TILE_MARKS[kind], 52, "kind"]);
      lines.forEach(([text, dy, cls]) => {
        const t = document.createElementNS(ns, "text");
        t.setAttribute("x", x + size / 2);
        t.setAttribute("y", y + dy);
        t.setAttribute("fill", colour.ink);
        if (cls) t.setAttribute("class", cls);
        t.textContent = text;
        g.appendChild(t);
      });
      svg.appendChild(g);
    });
    const kinds = new Set(rows.filter((r) => !r.suppressed).map((r) => r.source || "direct"));
    legend(low, high, shown.length > 0, kinds);
    boroughNotes();
    const sorted = [...data.tiles].sort((a, b) => a.name.localeCompare(b.name));
    fillTable(document.getElementById("borough-table"), labelOf(state.measure) + " by borough (%)",
      ["Borough", "%", "95% CI", "Base", "Source"], sorted.map((t) => {
        const row = byCode[t.code];
        const cells = tableRow(t.name, row);
        if (row && !row.suppressed && missing(row.unweighted_base)) cells[3] = "-";
        cells.push(!row || row.suppressed ? SUPPRESSED : SOURCE_WORDS[row.source || "direct"]);
        return cells;
      }));
  }

  // How the chosen wave's borough figures were made, from its publication's record.
  function boroughNotes() {
    const box = document.getElementById("borough-notes");
    const wave = data.waves.find((w) => w.id === state.wave) || {};
    const notes = wave.borough_estimates || [];
    box.replaceChildren();
    box.hidden = notes.length === 0;
    if (!notes.length) return;
    box.appendChild(el("summary", "How the borough figures were made"));
    const list = el("ul");
    notes.forEach((note) => list.appendChild(el("li", note)));
    box.appendChild(list);
  }

  // Colours set through the CSSOM: the Content-Security-Policy refuses style attributes.
  function swatch(colour) {
    const node = el("span", "", { class: "swatch" });
    node.style.background = colour;
    return node;
  }

  function legend(low, high, any, kinds) {
    const box = document.getElementById("borough-legend");
    box.replaceChildren(el("strong", "Key: " + labelOf(state.measure) + ", % of businesses"));
    if (any) {
      box.appendChild(el("span", fmt(low) + "%"));
      [0, 0.25, 0.5, 0.75, 1].forEach((t) => box.appendChild(
        swatch(shade(low + t * (high - low), low, high).fill)));
      box.appendChild(el("span", fmt(high) + "%"));
    }
    ["direct", "pooled", "model-based"].filter((k) => kinds.has(k)).forEach((k) => {
      const key = el("span", "", { class: "key key-" + k });
      const mark = swatch(shade(high, low, high).fill);
      mark.classList.add("source-" + k);
      key.append(mark, el("span", LEGEND_WORDS[k]));
      box.appendChild(key);
    });
    box.appendChild(swatch("#d0d4d9"));
    box.appendChild(el("span", "withheld " + SUPPRESSED));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
