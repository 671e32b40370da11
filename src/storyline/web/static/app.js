// storyline: highlight and scroll to the statement or event named in the URL.
// Served from this server only (Content-Security-Policy: script-src 'self').
(function () {
  "use strict";

  function targetId() {
    var hash = decodeURIComponent((location.hash || "").slice(1));
    if (/^[se]-\d+-\d+$/.test(hash)) return hash;
    var reader = document.getElementById("reader");
    var hl = reader && reader.getAttribute("data-highlight");
    return hl && /^[se]-\d+-\d+$/.test(hl) ? hl : null;
  }

  function highlight(id, scroll) {
    var reader = document.getElementById("reader");
    if (!reader || !id) return;
    var attr = id.charAt(0) === "e" ? "data-ev" : "data-st";
    var old = reader.querySelectorAll(".hl");
    for (var i = 0; i < old.length; i++) old[i].classList.remove("hl", "hl-ev");
    var labels = reader.querySelectorAll(".hl-label");
    for (var l = 0; l < labels.length; l++) labels[l].classList.remove("hl-label");
    var pieces = reader.querySelectorAll("[" + attr + '~="' + id + '"]');
    if (!pieces.length) {
      // A range with no stored item: fall back to the server-side marks, if any.
      pieces = reader.querySelectorAll("[data-o]");
      var m = /^[se]-(\d+)-(\d+)$/.exec(id), found = [];
      for (var j = 0; m && j < pieces.length; j++) {
        var o = +pieces[j].getAttribute("data-o");
        if (o >= +m[1] && o < +m[2]) found.push(pieces[j]);
      }
      pieces = found;
    }
    for (var k = 0; k < pieces.length; k++) {
      pieces[k].classList.add("hl");
      if (attr === "data-ev") pieces[k].classList.add("hl-ev");
    }
    var label = document.getElementById(id);
    if (label) label.classList.add("hl-label");
    var first = label || pieces[0];
    if (first && scroll) first.scrollIntoView({ block: "center" });
  }

  function onReady() {
    highlight(targetId(), true);
    var links = document.querySelectorAll("a[data-target]");
    for (var i = 0; i < links.length; i++) {
      links[i].addEventListener("click", function (ev) {
        var id = this.getAttribute("data-target");
        ev.preventDefault();
        history.replaceState(null, "", "#" + id);
        highlight(id, true);
      });
    }
  }

  window.addEventListener("hashchange", function () { highlight(targetId(), true); });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onReady);
  else onReady();
})();
