// storyline workbench: keyboard navigation, actor-name suggestions, histogram ranges.
// Served from this server only (Content-Security-Policy: script-src 'self').
(function () {
  "use strict";

  // --- keyboard: "/" focuses search, j/k move through the list, Enter opens ---------------
  function items() {
    var rows = document.querySelectorAll("table.statements tbody tr, table.corrections tbody tr, main table tbody tr, article.card");
    var out = [];
    for (var i = 0; i < rows.length; i++) if (rows[i].querySelector("a")) out.push(rows[i]);
    return out;
  }
  var current = -1;

  function move(step) {
    var list = items();
    if (!list.length) return;
    if (current >= 0 && list[current]) list[current].classList.remove("kb-on");
    current = Math.max(0, Math.min(list.length - 1, current + step));
    list[current].classList.add("kb-on");
    list[current].scrollIntoView({ block: "nearest" });
  }

  function open() {
    var list = items();
    var item = list[current];
    if (!item) return false;
    var link = item.querySelector("a.open") || item.querySelector("a.quote-link") || item.querySelector("a");
    if (link) { location.href = link.href; return true; }
    return false;
  }

  function typing(el) {
    var tag = el && el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (el && el.isContentEditable);
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (typing(document.activeElement)) {
      if (ev.key === "Escape") document.activeElement.blur();
      return;
    }
    if (ev.key === "/") {
      var box = document.querySelector("input[type=search], form[role=search] input, input[name=q]");
      if (box) { ev.preventDefault(); box.focus(); box.select(); }
    } else if (ev.key === "j") { ev.preventDefault(); move(1); }
    else if (ev.key === "k") { ev.preventDefault(); move(-1); }
    else if (ev.key === "Enter" && current >= 0) { if (open()) ev.preventDefault(); }
  });

  // --- suggestions as you type: /api/v1/actors?prefix= fills the input's datalist ---------
  function suggest(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    var timer = null, last = "";
    input.addEventListener("input", function () {
      var value = input.value.trim();
      if (value === last || value.length < 1) return;
      last = value;
      clearTimeout(timer);
      timer = setTimeout(function () {
        fetch("/api/v1/actors?prefix=" + encodeURIComponent(value) + "&limit=10", { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (body) {
            while (list.firstChild) list.removeChild(list.firstChild);
            (body.items || []).forEach(function (a) {
              var opt = document.createElement("option");
              opt.value = a.name;
              opt.textContent = a.name + (a.affiliation ? " (" + a.affiliation + ")" : "") + " · " + a.statements;
              list.appendChild(opt);
            });
            list.setAttribute("data-filled", value);
          })
          .catch(function () {});
      }, 120);
    });
  }

  // --- histogram: drag across bars to filter by the range (a click keeps the bar's link) ----
  function histogram(fig) {
    var bars = fig.querySelectorAll("a[data-since]");
    if (!bars.length) return;
    var start = null, end = null, moved = false;
    function mark() {
      var lo = Math.min(start, end), hi = Math.max(start, end);
      for (var i = 0; i < bars.length; i++) bars[i].classList.toggle("in-range", i >= lo && i <= hi);
    }
    for (var i = 0; i < bars.length; i++) {
      (function (i) {
        bars[i].addEventListener("mousedown", function (ev) { ev.preventDefault(); start = end = i; moved = false; mark(); });
        bars[i].addEventListener("mouseenter", function () { if (start !== null) { end = i; moved = moved || i !== start; mark(); } });
        bars[i].addEventListener("click", function (ev) { if (moved) ev.preventDefault(); });
      })(i);
    }
    document.addEventListener("mouseup", function () {
      if (start === null) return;
      var lo = Math.min(start, end), hi = Math.max(start, end), wasMoved = moved;
      start = null;
      if (!wasMoved) return;
      var url = new URL(bars[lo].getAttribute("href"), location.href);
      url.searchParams.set("since", bars[lo].getAttribute("data-since"));
      url.searchParams.set("until", bars[hi].getAttribute("data-until"));
      url.searchParams.delete("page");
      location.href = url.pathname + url.search;
    });
  }

  function onReady() {
    var inputs = document.querySelectorAll("input[data-suggest]");
    for (var i = 0; i < inputs.length; i++) suggest(inputs[i]);
    var figs = document.querySelectorAll("figure.histogram, .chart-box");
    for (var j = 0; j < figs.length; j++) histogram(figs[j]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onReady);
  else onReady();
})();
