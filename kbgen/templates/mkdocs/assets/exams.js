/* kbgen: filters of the exam question index (📝 기출문제). Without this script every
   question is shown; with it, a round and a session (1교시 / 2–4교시) can be picked. */
(function () {
  "use strict";

  function setup() {
    var box = document.querySelector("[data-kb-exam-filter]");
    if (!box || box.getAttribute("data-ready")) return;
    box.setAttribute("data-ready", "1");
    var items = Array.prototype.slice.call(document.querySelectorAll(".kb-exam-q"));
    var heads = Array.prototype.slice.call(document.querySelectorAll(".kb-exam-round"));

    function select(label, name, options) {
      var wrap = document.createElement("label");
      wrap.textContent = label + " ";
      var sel = document.createElement("select");
      sel.name = name;
      options.forEach(function (o) {
        var opt = document.createElement("option");
        opt.value = o[0];
        opt.textContent = o[1];
        sel.appendChild(opt);
      });
      wrap.appendChild(sel);
      box.appendChild(wrap);
      return sel;
    }

    var round = select("회차", "round", [["", "전체"]].concat(heads.map(function (h) {
      var r = h.getAttribute("data-round");
      return [r, r + "회"];
    })));
    var session = select("교시", "session", [["", "전체"], ["1", "1교시 (단답형)"], ["2-4", "2–4교시 (서술형)"]]);
    var count = document.createElement("output");
    count.setAttribute("aria-live", "polite");
    box.appendChild(count);

    // A filter can be shared as a link: ?round=137&session=2-4
    var params = new URLSearchParams(location.search);
    round.value = params.get("round") || "";
    if (round.selectedIndex < 0) round.value = "";
    session.value = params.get("session") || "";
    if (session.selectedIndex < 0) session.value = "";

    function apply() {
      var shown = 0, perRound = {};
      items.forEach(function (li) {
        var s = li.getAttribute("data-session");
        var ok = (!round.value || li.getAttribute("data-round") === round.value) &&
          (!session.value || (session.value === "1" ? s === "1" : s !== "1"));
        li.hidden = !ok;
        if (ok) {
          shown += 1;
          perRound[li.getAttribute("data-round")] = true;
        }
      });
      heads.forEach(function (h) {
        var visible = !!perRound[h.getAttribute("data-round")];
        h.hidden = !visible;
        var list = h.nextElementSibling;
        if (list && list.tagName === "UL") list.hidden = !visible;
      });
      count.textContent = shown + " / " + items.length + "문제";
      var query = new URLSearchParams();
      if (round.value) query.set("round", round.value);
      if (session.value) query.set("session", session.value);
      var search = query.toString();
      history.replaceState(null, "", location.pathname + (search ? "?" + search : "") + location.hash);
    }

    round.addEventListener("change", apply);
    session.addEventListener("change", apply);
    apply();
  }

  // Material's instant loading swaps pages without a load event; `document$` tells.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
