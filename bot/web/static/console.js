// Volunteer console: refresh the event's live figures every few seconds.
(function () {
  "use strict";
  var box = document.getElementById("stats");
  if (!box) { return; }
  var url = box.getAttribute("data-url");

  function setText(id, value) {
    var el = document.getElementById(id);
    if (el) { el.textContent = String(value); }
  }

  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = String(text);
    row.appendChild(td);
  }

  function render(stats) {
    setText("s-participants", stats.participants);
    setText("s-completions", stats.completions);
    setText("s-issued", stats.prizes.issued);
    setText("s-redeemed", stats.prizes.redeemed);
    if (stats.joins) {
      setText("s-recent-joins", stats.joins.recent_joins);
      setText("s-busiest", stats.joins.busiest_source);
      var flood = document.getElementById("s-flood");
      if (flood) { flood.hidden = !stats.joins.flood; }
      var line = document.getElementById("joins");
      if (line) { line.className = stats.joins.flood ? "error" : ""; }
    }
    var body = document.getElementById("leaderboard");
    body.textContent = "";
    stats.leaderboard.forEach(function (r) {
      var tr = document.createElement("tr");
      cell(tr, r.rank); cell(tr, r.nickname); cell(tr, r.score); cell(tr, r.seconds);
      body.appendChild(tr);
    });
    var dist = document.getElementById("distribution");
    dist.textContent = "";
    stats.questions.forEach(function (q) {
      var wrap = document.createElement("div");
      wrap.className = "dist-q";
      var title = document.createElement("strong");
      title.textContent = q.question;
      wrap.appendChild(title);
      var total = q.counts.reduce(function (a, b) { return a + b; }, 0) || 1;
      q.choices.forEach(function (choice, i) {
        var line = document.createElement("div");
        var bar = document.createElement("span");
        bar.className = "bar" + (i === q.correct ? " correct" : "");
        bar.style.width = Math.round(200 * q.counts[i] / total) + "px";
        line.appendChild(bar);
        line.appendChild(document.createTextNode(" " + choice + "：" + q.counts[i] + (i === q.correct ? "（正确）" : "")));
        wrap.appendChild(line);
      });
      dist.appendChild(wrap);
    });
  }

  function refresh() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (stats) { if (stats) { render(stats); } })
      .catch(function () { /* keep the last figures; try again next tick */ });
  }

  refresh();
  setInterval(refresh, 4000);
})();
