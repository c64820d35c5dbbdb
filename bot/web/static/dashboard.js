// Manager dashboard: load the figures for the chosen filters from summary.json and
// draw them with Chart.js (served locally; the page's CSP allows only our own scripts).
// The campaign report page uses only the print button.
(function () {
  "use strict";
  var printButton = document.getElementById("print-report");
  if (printButton) {
    printButton.addEventListener("click", function () { window.print(); });
  }
  var form = document.getElementById("filters");
  if (!form) { return; }
  var statusBox = document.getElementById("status");
  var charts = {};
  var numbers = new Intl.NumberFormat("zh-CN");
  var RATES = { unanswered_rate: true, average_score: true };
  var COLOURS = ["#0b4f8a", "#d9822b", "#0a8a3d", "#8a3ab9", "#a40000"];

  function count(value) { return value === null || value === undefined ? "–" : numbers.format(value); }
  function percent(value) { return value === null || value === undefined ? "–" : (value * 100).toFixed(1) + "%"; }

  function setStatus(text, isError) {
    statusBox.textContent = text;
    statusBox.className = isError ? "error" : "small";
  }

  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (String(value).trim()) { params.append(key, String(value).trim()); }
    });
    var text = params.toString();
    return text ? "?" + text : "";
  }

  function fillTable(id, rows, columns) {
    var body = document.getElementById(id);
    body.textContent = "";
    if (!rows.length) {
      var empty = document.createElement("tr");
      var td = document.createElement("td");
      td.colSpan = columns.length;
      td.textContent = "暂无数据";
      empty.appendChild(td);
      body.appendChild(empty);
      return;
    }
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      columns.forEach(function (column) {
        var cell = document.createElement("td");
        cell.textContent = column.format(row);
        if (column.numeric) { cell.className = "num"; }
        tr.appendChild(cell);
      });
      body.appendChild(tr);
    });
  }

  function draw(id, config) {
    if (typeof Chart === "undefined") { return; }  // the vendored library failed to load: tables still work
    if (charts[id]) { charts[id].destroy(); }
    config.options = Object.assign({ maintainAspectRatio: false, animation: false }, config.options || {});
    charts[id] = new Chart(document.getElementById(id), config);
  }

  function dataset(label, data, i) {
    return { label: label, data: data, backgroundColor: COLOURS[i], borderColor: COLOURS[i] };
  }

  function pick(rows, key) { return rows.map(function (r) { return r[key]; }); }

  function render(data) {
    Object.keys(data.headline).forEach(function (key) {
      var el = document.getElementById("h-" + key);
      if (el) { el.textContent = RATES[key] ? percent(data.headline[key]) : count(data.headline[key]); }
    });
    draw("chart-activity", {
      type: "line",
      data: { labels: pick(data.activity, "day"), datasets: [
        dataset("线上会话", pick(data.activity, "conversations"), 0),
        dataset("提问条数", pick(data.activity, "turns"), 1),
        dataset("答题人次", pick(data.activity, "quiz_attempts"), 2)] },
      options: { interaction: { mode: "index", intersect: false } }
    });
    draw("chart-topics", {
      type: "bar",
      data: { labels: pick(data.topics, "label"), datasets: [
        dataset("已解答", data.topics.map(function (t) { return t.turns - t.unanswered; }), 0),
        dataset("未解答", pick(data.topics, "unanswered"), 4)] },
      options: { indexAxis: "y", scales: { x: { stacked: true }, y: { stacked: true, ticks: { autoSkip: false } } } }
    });
    draw("chart-audiences", {
      type: "bar",
      data: { labels: pick(data.audiences, "label"), datasets: [
        dataset("线上会话", pick(data.audiences, "online"), 0),
        dataset("现场受众", pick(data.audiences, "offline"), 1)] }
    });
    draw("chart-quiz", {
      type: "bar",
      data: { labels: pick(data.quiz_topics, "label"), datasets: [
        dataset("正确率 %", data.quiz_topics.map(function (t) { return Math.round(t.rate * 1000) / 10; }), 2)] },
      options: { indexAxis: "y", scales: { x: { min: 0, max: 100 }, y: { ticks: { autoSkip: false } } } }
    });
    fillTable("t-hardest", data.hardest, [
      { format: function (q) { return q.question; } },
      { numeric: true, format: function (q) { return count(q.answers); } },
      { numeric: true, format: function (q) { return percent(q.rate); } }]);
    fillTable("t-unanswered", data.unanswered, [
      { format: function (g) { return g.example; } },
      { numeric: true, format: function (g) { return count(g.count); } },
      { format: function (g) {
        var more = g.variants - 1 - g.samples.length;
        return g.samples.join("；") + (more > 0 ? "（另有 " + more + " 种说法）" : "");
      } }]);
    fillTable("t-events", data.events, [
      { format: function (e) { return e.name; } },
      { format: function (e) { return e.held_on; } },
      { format: function (e) { return e.branch; } },
      { format: function (e) { return e.venue_type; } },
      { numeric: true, format: function (e) { return count(e.conversations); } },
      { numeric: true, format: function (e) { return count(e.quiz_attempts); } },
      { numeric: true, format: function (e) { return percent(e.average_score); } },
      { numeric: true, format: function (e) { return count(e.leaflets); } },
      { numeric: true, format: function (e) { return count(e.attendance); } }]);
  }

  function load() {
    var qs = query();
    document.getElementById("link-csv").href = "/dashboard/export.csv" + qs;
    document.getElementById("link-xlsx").href = "/dashboard/export.xlsx" + qs;
    document.getElementById("link-report").href = "/dashboard/report" + qs;
    window.history.replaceState(null, "", "/dashboard" + qs);
    setStatus("正在加载数据…", false);
    fetch("/dashboard/api/summary.json" + qs, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (result) {
        if (!result.ok) { setStatus(result.body.error || "数据加载失败。", true); return; }
        render(result.body);
        setStatus("当前筛选：" + result.body.filters_text, false);
      })
      .catch(function () { setStatus("数据加载失败，请检查网络后重试。", true); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    load();
  });
  // The server already said what is wrong with the filters in the address: keep that message.
  if (statusBox.className !== "error") { load(); }
})();
