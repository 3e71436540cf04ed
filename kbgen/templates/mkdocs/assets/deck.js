/* kbgen: the daily deck (🃏). The deck page loads this script and then deck/cards.js
   (the fronts and what the filters need), both plain <script> tags placed before the
   theme's scripts, so the first card is drawn while the page is still loading; the backs
   (deck/answers.js) come after the first card is on screen. Each data file pushes one
   JSON document onto window.kbgenDeckQueue (["cards", {...}], ["answers", {...}]): a
   script tag reads it from a server and from files (file://) alike, and a queue takes it
   whether this script ran first or not (Material's instant navigation runs a page's
   scripts again, in the order they arrive). Review progress stays in this browser's
   localStorage; no dependencies, no network but the site's own files. */
(function () {
  "use strict";
  if (window.kbgenDeck) return;

  var DAY = 86400000;

  // --- the scheduling rule: SM-2 (Wozniak 1990), four buttons as SM-2 qualities -------
  // again=1 (fail), hard=3, good=4, easy=5.
  // Ease: EF' = EF + 0.1 - (5-q)(0.08 + (5-q)0.02), at least 1.3, kept to 2 decimals
  //   (hard -0.14, good ±0, easy +0.1); a fail leaves the ease as it is.
  // Interval: a fail restarts the run (n = 0) and the card comes back today; the n-th
  //   success in a row waits 1 day (n=1), 6 days (n=2), then round(previous × EF').
  var QUALITY = { 1: 1, 2: 3, 3: 4, 4: 5 };
  var GRADE_NAMES = { 1: "다시", 2: "어려움", 3: "알맞음", 4: "쉬움" };

  function schedule(state, grade, today) {
    var q = QUALITY[grade];
    if (q === undefined) throw new Error("grade must be 1, 2, 3 or 4");
    var s = state ? { n: state.n, ef: state.ef, iv: state.iv } : { n: 0, ef: 2.5, iv: 0 };
    if (q < 3) {
      s.n = 0;
      s.iv = 0;
    } else {
      var ef = s.ef + 0.1 - (5 - q) * (0.08 + (5 - q) * 0.02);
      s.ef = Math.max(1.3, Math.round(ef * 100) / 100);
      s.n += 1;
      s.iv = s.n === 1 ? 1 : s.n === 2 ? 6 : Math.round(s.iv * s.ef);
    }
    s.due = today + s.iv;
    return s;
  }

  function dayNumber(date) {  // days since 1970-01-01 in local time
    var d = date || new Date();
    return Math.floor((d.getTime() - d.getTimezoneOffset() * 60000) / DAY);
  }

  function dayText(day) {
    return new Date(day * DAY).toISOString().slice(0, 10);
  }

  // --- progress: {v: 1, cards: {id: {n, ef, iv, due, h: [[day, grade], ...]}}, newPerDay} --
  function storageKey(root) {
    return "kbgen-deck:" + new URL(root.getAttribute("data-root") || "./", location.href).pathname;
  }

  function loadProgress(key) {
    try {
      var data = JSON.parse(localStorage.getItem(key) || "null");
      if (validProgress(data)) return data;
    } catch (e) { /* unreadable: start afresh */ }
    return { v: 1, cards: {}, newPerDay: 20 };
  }

  function validProgress(data) {
    if (!data || data.v !== 1 || typeof data.cards !== "object" || data.cards === null) return false;
    for (var id in data.cards) {
      var s = data.cards[id];
      if (!s || typeof s.n !== "number" || typeof s.ef !== "number" || typeof s.iv !== "number" ||
          typeof s.due !== "number" || !Array.isArray(s.h)) return false;
    }
    return true;
  }

  // --- small DOM helpers: text is always text ----------------------------------------
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  // The backs join their fronts once: card i gets answers.c[i]'s fields (u, a, d, x, k, e).
  function joinAnswers(cards, answers) {
    if (!answers || !Array.isArray(answers.c) || answers.c.length !== cards.length) {
      throw new Error("answers.js does not match cards.js (rebuild the site)");
    }
    for (var i = 0; i < cards.length; i++) {
      var back = answers.c[i];
      for (var key in back) cards[i][key] = back[key];
    }
    cards.joined = true;
  }

  var app = null;  // the deck on the page now

  function Deck(root, data) {
    this.root = root;
    this.data = data;
    this.cards = data.c;
    this.key = storageKey(root);
    this.progress = loadProgress(this.key);
    this.today = dayNumber();
    this.queue = [];
    this.pos = 0;
    this.flipped = false;
    this.haystack = null;
    this.q = function (name) { return root.querySelector('[data-kb="' + name + '"]'); };
    this.setup();
    this.refilter(null);
  }

  Deck.prototype.setup = function () {
    var self = this, q = this.q, root = this.root;
    // A control used with the mouse gives the keyboard back to the deck (space flips).
    root.addEventListener("click", function (e) {
      var t = e.target.closest("button, select, input[type=checkbox]");
      if (t && e.detail > 0) t.blur();
    });
    root.addEventListener("change", function (e) {
      if (e.target.tagName === "SELECT" || e.target.type === "checkbox") e.target.blur();
    });
    var subject = q("subject"), category = q("category");
    this.data.s.forEach(function (s, i) {
      var o = el("option", null, s[1]);
      o.value = String(i);
      subject.appendChild(o);
    });
    subject.addEventListener("change", function () { self.fillCategories(); self.refilter(null); });
    category.addEventListener("change", function () { self.refilter(null); });
    q("exam").addEventListener("change", function () { self.refilter(null); });
    q("all").addEventListener("change", function () { self.refilter(null); });
    q("front").addEventListener("change", function () { self.show(); });
    var timer = null;
    q("search").addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { self.refilter(null); }, 120);
    });
    var limit = q("new-limit");
    limit.value = String(this.progress.newPerDay);
    limit.addEventListener("change", function () {
      var n = parseInt(limit.value, 10);
      self.progress.newPerDay = isNaN(n) || n < 0 ? 0 : n;
      self.save();
      self.refilter(self.current());
    });
    var card = q("card");
    card.addEventListener("click", function (e) {
      if (e.target.closest("a")) return;  // the link to the topic page
      if (self.swiped) { self.swiped = false; return; }
      self.flip();
    });
    var start = null;
    card.addEventListener("touchstart", function (e) {
      var t = e.changedTouches[0];
      start = { x: t.clientX, y: t.clientY };
    }, { passive: true });
    card.addEventListener("touchend", function (e) {
      if (!start) return;
      var t = e.changedTouches[0], dx = t.clientX - start.x, dy = t.clientY - start.y;
      start = null;
      if (Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy)) {
        self.swiped = true;
        self.move(dx < 0 ? 1 : -1);
      }
    });
    root.querySelectorAll("[data-grade]").forEach(function (b) {
      b.addEventListener("click", function () { self.grade(parseInt(b.getAttribute("data-grade"), 10)); });
    });
    q("prev").addEventListener("click", function () { self.move(-1); });
    q("next").addEventListener("click", function () { self.move(1); });
    q("flip").addEventListener("click", function () { self.flip(); });
    q("export").addEventListener("click", function () { self.exportProgress(); });
    q("import").addEventListener("change", function (e) { self.importProgress(e.target); });
    var reset = q("reset");
    reset.addEventListener("click", function () {
      if (reset.getAttribute("data-armed") !== "1") {  // a second click confirms (no dialog)
        reset.setAttribute("data-armed", "1");
        reset.textContent = "정말 초기화할까요? 한 번 더 누르세요";
        setTimeout(function () { reset.removeAttribute("data-armed"); reset.textContent = "진도 초기화"; }, 5000);
        return;
      }
      reset.removeAttribute("data-armed");
      reset.textContent = "진도 초기화";
      self.progress = { v: 1, cards: {}, newPerDay: self.progress.newPerDay };
      self.save();
      self.message("진도를 초기화했습니다.");
      self.refilter(null);
    });
  };

  Deck.prototype.fillCategories = function () {
    var category = this.q("category"), s = this.q("subject").value;
    while (category.options.length > 1) category.remove(1);
    category.value = "";
    if (s === "") { category.disabled = true; return; }
    category.disabled = false;
    this.data.s[+s][2].forEach(function (c, i) {
      var o = el("option", null, c[1]);
      o.value = String(i);
      category.appendChild(o);
    });
  };

  Deck.prototype.text = function (i) {  // what the search box looks in, made on first search
    if (!this.haystack) {
      this.haystack = this.cards.map(function (c) {
        var parts = [c.t, c.d || ""].concat(c.a || []);
        (c.m || []).forEach(function (m) { parts.push(m[0]); parts = parts.concat(m[1] || []); });
        (c.k || []).forEach(function (k) { parts.push(k[0], k[1] || ""); });
        (c.x || []).forEach(function (x) { x[1].forEach(function (r) { parts.push(r[0], r[1] || ""); }); });
        return parts.join("\n").toLowerCase();
      });
    }
    return this.haystack[i];
  };

  Deck.prototype.matches = function () {
    var s = this.q("subject").value, g = this.q("category").value, exam = this.q("exam").checked;
    var terms = this.q("search").value.toLowerCase().split(/\s+/).filter(Boolean);
    var out = [];
    for (var i = 0; i < this.cards.length; i++) {
      var c = this.cards[i];
      if (s !== "" && c.s !== +s) continue;
      if (g !== "" && c.g !== +g) continue;
      if (exam && !c.n) continue;
      if (terms.length) {
        var hay = this.text(i), ok = true;
        for (var k = 0; k < terms.length && ok; k++) ok = hay.indexOf(terms[k]) >= 0;
        if (!ok) continue;
      }
      out.push(i);
    }
    return out;
  };

  Deck.prototype.state = function (i) { return this.progress.cards[this.cards[i].i] || null; };

  Deck.prototype.introducedToday = function () {
    var n = 0, today = this.today, cards = this.progress.cards;
    for (var id in cards) if (cards[id].h.length && cards[id].h[0][0] === today) n++;
    return n;
  };

  // Today's cards: reviews due, then new cards up to the daily limit; or every match.
  Deck.prototype.refilter = function (keep) {
    var matched = this.matches(), due = [], fresh = [];
    var room = Math.max(0, this.progress.newPerDay - this.introducedToday());
    for (var k = 0; k < matched.length; k++) {
      var st = this.state(matched[k]);
      if (st) { if (st.due <= this.today) due.push(matched[k]); }
      else if (fresh.length < room) fresh.push(matched[k]);
    }
    this.counts = { due: due.length, fresh: fresh.length, matched: matched.length };
    this.queue = this.q("all").checked ? matched : due.concat(fresh);
    var at = keep === null ? -1 : this.queue.indexOf(keep);
    this.pos = at >= 0 ? at : Math.min(this.pos, Math.max(0, this.queue.length - 1));
    if (keep === null) this.pos = 0;
    this.flipped = false;
    this.show();
  };

  Deck.prototype.current = function () {
    return this.queue.length ? this.queue[this.pos] : null;
  };

  Deck.prototype.show = function () {
    var q = this.q, i = this.current();
    q("due").textContent = String(this.counts.due + this.counts.fresh);
    q("new").textContent = String(this.counts.fresh);
    q("pos").textContent = this.queue.length ? (this.pos + 1) + " / " + this.queue.length : "0 / 0";
    var front = q("front-face"), back = q("back-face");
    front.textContent = "";
    back.textContent = "";
    back.hidden = true;
    this.root.classList.toggle("kb-deck--flipped", this.flipped);
    if (i === null) {
      front.appendChild(el("p", "kb-card-empty", this.q("all").checked || this.counts.matched === 0
        ? "조건에 맞는 카드가 없습니다."
        : "오늘 할 카드를 모두 마쳤습니다. 내일 다시 오세요. (‘전체 보기’로 모든 카드를 볼 수 있습니다)"));
      this.ready();
      return;
    }
    var c = this.cards[i], s = this.data.s[c.s], st = this.state(i);
    var where = s[1] + (c.g !== undefined ? " › " + s[2][c.g][1] : "");
    front.appendChild(el("p", "kb-card-where", where));
    var byMnemonic = q("front").value === "mnemonic" && c.m && c.m.length;
    if (byMnemonic) {
      var tokens = el("p", "kb-card-mnemonic");
      c.m.forEach(function (m) { tokens.appendChild(el("code", null, m[0])); });
      front.appendChild(tokens);
      front.appendChild(el("p", "kb-card-hint", "이 암기법은 어느 토픽의 무엇일까요?"));
    } else {
      front.appendChild(el("h2", "kb-card-title", c.t));
    }
    var meta = el("p", "kb-card-meta");
    var badge = el("span", "kb-card-due", st ? "다음 복습 " + dayText(st.due) : "새 카드");
    badge.setAttribute("data-kb", "due-date");
    meta.appendChild(badge);
    if (c.n) meta.appendChild(el("span", "kb-card-exam", "기출 " + c.n));
    front.appendChild(meta);
    if (this.flipped) {
      if (this.cards.joined) this.renderBack(back, c, st, byMnemonic);
      else back.appendChild(el("p", "kb-card-empty", "답을 불러오는 중…"));
      back.hidden = false;
    }
    this.intervals(st);
    this.ready();
  };

  Deck.prototype.intervals = function (st) {  // what each button would schedule
    var self = this;
    this.root.querySelectorAll("[data-grade]").forEach(function (b) {
      var next = schedule(st, parseInt(b.getAttribute("data-grade"), 10), self.today);
      var span = b.querySelector(".kb-grade-iv");
      if (span) span.textContent = next.iv === 0 ? "오늘" : next.iv + "일";
    });
  };

  Deck.prototype.renderBack = function (back, c, st, byMnemonic) {
    var link = el("a", "kb-card-link", (byMnemonic ? c.t : "페이지") + " 열기 →");
    // Opened from files (Material's offline build), pages are ai/dl/lstm.html, not ai/dl/lstm/.
    var u = location.protocol === "file:" ? c.u.replace(/\/$/, ".html") || "index.html" : c.u;
    link.href = new URL((this.root.getAttribute("data-root") || "../") + u, location.href).href;
    var head = el("p", "kb-card-open");
    head.appendChild(link);
    back.appendChild(head);
    if (c.d) back.appendChild(el("p", "kb-card-definition", c.d));
    if (c.m && c.m.length) {
      var ul = el("ul", "kb-card-mnemonics");
      c.m.forEach(function (m) {
        var li = el("li");
        li.appendChild(el("code", null, m[0]));
        li.appendChild(document.createTextNode(m[1] && m[1].length ? " " + m[1].join(" · ") : ""));
        if (m[2]) li.appendChild(el("small", null, " (" + m[2] + ")"));
        ul.appendChild(li);
      });
      back.appendChild(ul);
    }
    (c.x || []).forEach(function (x) {
      back.appendChild(el("h3", "kb-card-section", x[0]));
      var marked = x[1].some(function (r) { return r[2]; });
      if (!marked && !x[1].some(function (r) { return r[1]; })) {  // plain sentences: a list
        var list = el("ul", "kb-card-list");
        x[1].forEach(function (r) { list.appendChild(el("li", null, r[0])); });
        back.appendChild(list);
        return;
      }
      var table = el("table", "kb-card-table"), body = el("tbody");
      x[1].forEach(function (r) {
        var tr = el("tr");
        if (marked) tr.appendChild(el("td", "kb-card-syl", r[2] || ""));
        tr.appendChild(el("th", null, r[0]));
        tr.appendChild(el("td", null, r[1] || ""));
        body.appendChild(tr);
      });
      table.appendChild(body);
      back.appendChild(table);
    });
    if (c.k && c.k.length) {
      back.appendChild(el("h3", "kb-card-section", "키워드"));
      var kw = el("ul", "kb-card-keywords");
      c.k.forEach(function (k) {
        var li = el("li");
        li.appendChild(el("strong", null, k[0]));
        if (k[1]) li.appendChild(document.createTextNode(" — " + k[1]));
        kw.appendChild(li);
      });
      back.appendChild(kw);
    }
    if (c.e && c.e.length) {
      back.appendChild(el("h3", "kb-card-section", "기출"));
      var ex = el("ul", "kb-card-exams");
      c.e.forEach(function (e) {
        ex.appendChild(el("li", null, e[0] + "회 " + e[1] + "교시 " + e[2] + "번" + (e[3] ? ": " + e[3] : "")));
      });
      back.appendChild(ex);
    }
    if (st) {
      back.appendChild(el("p", "kb-card-history", "복습 " + st.h.length + "회 · 연속 정답 " + st.n +
        " · 쉬움 정도 " + st.ef.toFixed(2) + " · 간격 " + st.iv + "일"));
    }
  };

  Deck.prototype.ready = function () {
    if (this.root.getAttribute("data-ready") !== "1") {
      this.root.setAttribute("data-ready", "1");
      // Element Timing: the browser reports when the first card was painted (benchmarks/deck.py).
      var shown = this.q("front-face").children;
      for (var k = 0; k < shown.length; k++) shown[k].setAttribute("elementtiming", "kb-first-card");
      if (window.performance && performance.mark) performance.mark("kb-deck-first-card");
    }
  };

  Deck.prototype.flip = function () {
    if (this.current() === null) return;
    this.flipped = !this.flipped;
    this.show();
  };

  Deck.prototype.move = function (step) {
    if (!this.queue.length) return;
    this.pos = (this.pos + step + this.queue.length) % this.queue.length;
    this.flipped = false;
    this.show();
  };

  Deck.prototype.grade = function (grade) {
    var i = this.current();
    if (i === null || !this.flipped) return;  // grade after seeing the answer
    var id = this.cards[i].i, old = this.progress.cards[id] || null;
    var next = schedule(old, grade, this.today);
    next.h = (old ? old.h : []).concat([[this.today, grade]]);
    this.progress.cards[id] = next;
    this.save();
    this.message("‘" + this.cards[i].t + "’ " + GRADE_NAMES[grade] + " → 다음 복습 " + dayText(next.due) +
      (next.iv ? " (" + next.iv + "일 뒤)" : " (오늘 다시)"));
    var after = this.queue[(this.pos + 1) % this.queue.length];
    var stays = this.q("all").checked || next.due <= this.today;
    this.refilter(stays ? after : after === i ? null : after);
    // On a phone the buttons sit below a long answer: bring the next card's front back.
    var box = this.q("card").getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) this.q("card").scrollIntoView({ block: "center" });
  };

  Deck.prototype.save = function () {
    try {
      localStorage.setItem(this.key, JSON.stringify(this.progress));
    } catch (e) {
      this.message("진도를 저장하지 못했습니다 (브라우저 저장소를 쓸 수 없음): " + e.message);
    }
  };

  Deck.prototype.message = function (text) { this.q("message").textContent = text; };

  Deck.prototype.exportProgress = function () {
    var blob = new Blob([JSON.stringify(this.progress, null, 1)], { type: "application/json" });
    var a = el("a");
    a.href = URL.createObjectURL(blob);
    a.download = "kbgen-deck-progress-" + dayText(this.today) + ".json";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  };

  Deck.prototype.importProgress = function (input) {
    var self = this, file = input.files && input.files[0];
    if (!file) return;
    file.text().then(function (text) {
      var data;
      try { data = JSON.parse(text); } catch (e) { data = null; }
      if (!validProgress(data)) {
        self.message(file.name + ": 이 덱의 진도 파일이 아닙니다 (‘진도 내보내기’로 만든 JSON 파일을 고르세요).");
        return;
      }
      if (typeof data.newPerDay !== "number") data.newPerDay = self.progress.newPerDay;
      self.progress = data;
      self.save();
      self.q("new-limit").value = String(data.newPerDay);
      self.message(file.name + ": 카드 " + Object.keys(data.cards).length + "장의 진도를 가져왔습니다.");
      self.refilter(null);
    }).finally(function () { input.value = ""; });
  };

  function onKey(e) {
    if (!app || !document.body.contains(app.root)) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && t.tagName === "INPUT" && t.type === "search" && e.key === "Escape") { t.blur(); return; }
    // Typing in a field, or a focused button or checkbox that space presses: theirs.
    if (t && (t.isContentEditable || /^(INPUT|SELECT|TEXTAREA|BUTTON|SUMMARY|A)$/.test(t.tagName))) return;
    if (e.key === " " || e.key === "Spacebar") { e.preventDefault(); app.flip(); }
    else if (e.key >= "1" && e.key <= "4") { e.preventDefault(); app.grade(parseInt(e.key, 10)); }
    else if (e.key === "ArrowRight") { e.preventDefault(); app.move(1); }
    else if (e.key === "ArrowLeft") { e.preventDefault(); app.move(-1); }
  }

  // The fronts: draw the first card now, then read the backs once it is on screen.
  function onCards(data) {
    var root = document.getElementById("kb-deck");
    if (!root || root.getAttribute("data-started") === "1") return;
    root.setAttribute("data-started", "1");
    var deck = app = new Deck(root, data);
    // After the page's load event (a script added before it would hold the event back) and
    // after the first card is painted: requestAnimationFrame runs just before the next
    // frame, the timeout after it.
    var later = function () {
      requestAnimationFrame(function () { setTimeout(function () { loadAnswers(deck); }, 0); });
    };
    if (document.readyState === "complete") later();
    else window.addEventListener("load", later);
  }

  function loadAnswers(deck) {
    var url = new URL(deck.root.getAttribute("data-answers"), location.href).href;
    var script = el("script");
    script.src = url;
    script.onerror = function () {
      if (app === deck) deck.message("카드 뒷면 파일을 읽지 못했습니다: " + url + " (사이트를 다시 빌드하세요)");
    };
    document.body.appendChild(script);
  }

  function onAnswers(answers) {  // for the deck on the page now
    var deck = app;
    if (!deck || deck.cards.joined || !document.body.contains(deck.root)) return;
    try {
      joinAnswers(deck.cards, answers);
    } catch (err) {
      deck.message(err.message);
      return;
    }
    deck.haystack = null;  // searched before the backs came: fronts only
    deck.root.setAttribute("data-answered", "1");
    if (deck.q("search").value.trim()) deck.refilter(deck.current());
    else if (deck.flipped) deck.show();
  }

  // A deck page whose cards never came (deck/cards.js missing or broken) says so.
  function checkStarted() {
    var root = document.getElementById("kb-deck");
    if (root && root.getAttribute("data-started") !== "1") {
      root.querySelector('[data-kb="front-face"]').textContent =
        "카드 파일을 읽지 못했습니다: " + root.getAttribute("data-cards") + " (사이트를 다시 빌드하세요)";
    }
  }

  window.kbgenDeck = { schedule: schedule, dayNumber: dayNumber, dayText: dayText, QUALITY: QUALITY };
  // Data pushed before this script ran, then each push as it comes.
  function take(item) {
    if (item && item[0] === "cards") onCards(item[1]);
    else if (item && item[0] === "answers") onAnswers(item[1]);
  }
  var queued = window.kbgenDeckQueue || [];
  window.kbgenDeckQueue = { push: take };
  for (var i = 0; i < queued.length; i++) take(queued[i]);
  document.addEventListener("keydown", onKey);
  window.addEventListener("load", checkStarted);
})();
