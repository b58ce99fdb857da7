// Site search (Pagefind, loaded from this site only) and the certificate lookup.
// Pages read fine without this script; only the search and lookup forms need it.
(function () {
  "use strict";
  var script = document.currentScript;
  var ROOT = new URL("..", script ? script.src : location.href); // assets/search.js → site root
  var PAGE_SIZE = 10;
  // Decision shards searched before the reader is asked (newest first): ~70 KB each at county scale.
  var AUTO_SHARDS = 2;
  var CASE_NO = /[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）].*号\s*$/;
  var FILTER_ORDER = ["类型", "执法主体", "类别", "年份", "公开状态"];
  var DECISION_ONLY = ["年份", "公开状态"]; // filters that records other than decisions never carry
  var GROUPS = { "执法人员": 1, "权责事项": 1, "裁量基准": 1 };
  var NOTICE = "撤回公告";

  // Mirrors generator/textkey.py: normalize(), and generator/search.py: hash32() and token().
  function normalize(text) {
    var map = { "[": "〔", "]": "〕", "【": "〔", "】": "〕", "(": "〔", ")": "〕", "（": "〔", "）": "〕" };
    return text.normalize("NFKC").replace(/[\s\ufeff\u200b\u200c\u200d\u2060-\u2064\u00ad\u200e\u200f\u180e\u034f\ufe00-\ufe0f]+/g, "").replace(/[\[\]【】()（）]/g, function (c) { return map[c]; })
      .replace(/[a-z]+/g, function (s) { return s.toUpperCase(); });
  }
  var CRC = (function () {
    var table = [];
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) { c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; }
      table[n] = c >>> 0;
    }
    return table;
  })();
  function hash32(text) { // CRC-32, as zlib computes it
    var bytes = new TextEncoder().encode(normalize(text)), c = 0xffffffff;
    for (var i = 0; i < bytes.length; i++) { c = CRC[(c ^ bytes[i]) & 0xff] ^ (c >>> 8); }
    return (c ^ 0xffffffff) >>> 0;
  }
  function token(text) { return "x" + hash32(text).toString(36); }
  // Mirrors generator/search.py: decode_gaps().
  function decodeGaps(text) {
    var LAST = "0123456789abcdefghijklmnopqrstuv", MORE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ!$()*+";
    var out = [], value = 0, previous = 0;
    for (var i = 0; i < text.length; i++) {
      var more = MORE.indexOf(text[i]);
      if (more >= 0) { value = value * 32 + more; continue; }
      previous += value * 32 + LAST.indexOf(text[i]);
      out.push(previous);
      value = 0;
    }
    return out;
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) { node.textContent = text; }
    return node;
  }
  // Pagefind marks matches with <mark>; everything else is set as text, never parsed as HTML.
  function excerpt(html) {
    var p = el("p", { "class": "dc-result__excerpt" });
    var box = document.createElement("template");
    box.innerHTML = html || "";
    (function walk(from, to) {
      from.childNodes.forEach(function (n) {
        if (n.nodeType === 3) { to.appendChild(document.createTextNode(n.textContent)); }
        else if (n.nodeName === "MARK") { to.appendChild(el("mark", {}, n.textContent)); }
        else { walk(n, to); }
      });
    })(box.content, p);
    return p;
  }
  function getJSON(path) {
    return fetch(new URL(path, ROOT)).then(function (r) {
      if (!r.ok) { throw new Error(path + " " + r.status); }
      return r.json();
    });
  }
  function add(counts, key, value, n) {
    var c = counts[key] = counts[key] || {};
    c[value] = (c[value] || 0) + n;
  }
  // Does a record with these filter values (FILTER_ORDER) pass the chosen filters, `skip` left out?
  function passes(values, chosen, skip) {
    return FILTER_ORDER.every(function (k, i) {
      var want = chosen[k];
      return k === skip || !want || !want.length || want.indexOf(values[i]) >= 0;
    });
  }

  // ---------------------------------------------------------------- index shards and files beside them
  var state = { manifest: null, data: null, pf: null, loaded: {}, groups: {}, sections: {}, buckets: {}, table: null };

  function manifest() {
    if (!state.manifest) {
      state.manifest = getJSON("pagefind/shards.json").then(function (m) { state.data = m; return m; });
    }
    return state.manifest;
  }
  // Shards load one after another: the first becomes Pagefind's primary index, the rest merge into it.
  // 分片 (shard) is a filter of our own: it keeps a search to the shards the reader is told about.
  var queue = Promise.resolve();
  function load(shard) {
    if (!state.loaded[shard.name]) {
      state.loaded[shard.name] = queue = queue.then(async function () {
        var base = new URL("pagefind/" + shard.name + "/", ROOT);
        if (!state.pf) {
          var pf = await import(new URL("pagefind.js", base).href);
          await pf.options({ baseUrl: ROOT.pathname, excerptLength: 40, mergeFilter: { "分片": shard.name } });
          await pf.init();
          state.pf = pf;
        } else {
          await state.pf.mergeIndex(base.href, { mergeFilter: { "分片": shard.name } });
        }
      });
      if (shard.kind === "records") {
        // Where each record starts in the pages that hold many: counts of records without their pages.
        state.sections[shard.name] = getJSON("pagefind/" + shard.name + "/sections.json").then(function (s) {
          Object.keys(s.pages).forEach(function (id) {
            var own = s.pages[id][0];
            state.groups[id] = { starts: decodeGaps(s.pages[id][1]), values: FILTER_ORDER.map(function (k, i) {
              return i < own.length && own[i] >= 0 ? s.values[own[i]] : null;
            }) };
          });
        });
      }
    }
    return Promise.all([state.loaded[shard.name], state.sections[shard.name]]);
  }
  // Every record a whole 文号, name or code names, from every year: one small file per query.
  function lookup(q) {
    var m = state.data, key = normalize(q);
    if (!m || !m.exact || key.length < 2) { return Promise.resolve([]); }
    var n = hash32(key) % m.exact;
    if (!state.buckets[n]) { state.buckets[n] = getJSON("pagefind/exact/" + n + ".json").catch(function () { return {}; }); }
    return state.buckets[n].then(function (bucket) {
      return (bucket[key] || []).map(function (e) { // the agency comes by its id
        var f = e.f.slice();
        f[1] = m.agencies[f[1]] || f[1];
        return Object.assign({}, e, { f: f });
      });
    });
  }
  function table() {
    if (!state.table) { state.table = getJSON("pagefind/counts.json"); }
    return state.table;
  }
  // Which shards a search needs, in the order to load them: records, then decisions in date order
  // (newest first, or oldest first when sorting that way). A 文号 names its year: only that year.
  function plan(m, chosen, q, sortDir) {
    var names = chosen["执法主体"] || [];
    var ids = Object.keys(m.agencies).filter(function (id) { return names.indexOf(m.agencies[id]) >= 0; });
    var years = (chosen["年份"] || []).map(function (y) { return parseInt(y, 10); });
    var caseYear = q && CASE_NO.test(q) && /[〔\[［【(（]\s*(\d{4})/.exec(q);
    if (caseYear) { years = [parseInt(caseYear[1], 10)]; }
    var kinds = chosen["类型"] || [];
    var decisionOnly = DECISION_ONLY.some(function (k) { return (chosen[k] || []).length; });
    var wantRecords = !caseYear && !decisionOnly && !(q && sortDir) &&
      (!kinds.length || kinds.some(function (k) { return GROUPS[k]; }));
    var wantDecisions = !kinds.length || kinds.some(function (k) { return !GROUPS[k]; });
    function mine(s) { return !ids.length || s.agencies.some(function (a) { return ids.indexOf(a) >= 0; }); }
    var records = m.shards.filter(function (s) { return s.kind === "records" && wantRecords && mine(s); });
    var decisions = m.shards.filter(function (s) {
      return s.kind === "decisions" && wantDecisions && mine(s) && (!years.length || years.indexOf(s.year) >= 0);
    }).sort(function (a, b) { // newest first; of two starting on one date, the one reaching later is newer
      return a.first !== b.first ? (a.first < b.first ? 1 : -1) : a.last !== b.last ? (a.last < b.last ? 1 : -1) : 0;
    });
    if (sortDir === "asc") { decisions.reverse(); }
    return { records: records, decisions: decisions, years: years, caseYear: !!caseYear };
  }

  // ---------------------------------------------------------------- search page
  function setupSearch(form) {
    var input = form.querySelector("input[type=search]");
    var page = form.parentNode;
    var status = page.querySelector("[data-dc-status]");
    var scope = page.querySelector("[data-dc-scope]");
    var list = page.querySelector("[data-dc-results]");
    var more = page.querySelector("[data-dc-more]");
    var olderButtons = page.querySelectorAll("[data-dc-older]");
    var tools = page.querySelector("[data-dc-tools]");
    var toggle = page.querySelector("[data-dc-toggle]");
    var active = page.querySelector("[data-dc-active]");
    var panel = page.querySelector("[data-dc-panel]");
    var filterBox = page.querySelector("[data-dc-filters]");
    var clear = page.querySelector("[data-dc-clear]");
    var sortSel = page.querySelector("[data-dc-sort]");
    var params = new URLSearchParams(location.search);
    var chosen = {};
    FILTER_ORDER.forEach(function (k) { if (params.getAll(k).length) { chosen[k] = params.getAll(k); } });
    if (params.get("q") || !input.value) input.value = params.get("q") || "";  // keep what was typed before the script ran
    sortSel.value = params.get("sort") || "";
    var run = 0, current = null;

    function anyChosen() { return Object.keys(chosen).some(function (k) { return chosen[k].length; }); }
    function syncUrl() {
      var p = new URLSearchParams();
      if (input.value.trim()) { p.set("q", input.value.trim()); }
      if (sortSel.value) { p.set("sort", sortSel.value); }
      Object.keys(chosen).forEach(function (k) { chosen[k].forEach(function (v) { p.append(k, v); }); });
      history.replaceState(null, "", "?" + p.toString());
    }
    // The filters fold behind one button on phones; the button says how many are in use.
    function showPanel(open) {
      panel.hidden = !open;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    function drawActive() {
      var n = Object.keys(chosen).reduce(function (s, k) { return s + chosen[k].length; }, 0);
      active.textContent = n ? "（已选 " + n + " 项）" : "";
      clear.hidden = !n;
    }
    toggle.addEventListener("click", function () {
      showPanel(panel.hidden);
      if (!panel.hidden && !filterBox.childNodes.length && !input.value.trim()) { browseFilters(); }
    });
    clear.addEventListener("click", function () { chosen = {}; search(); });
    function browseFilters() {
      return table().then(function (t) { if (!current || !current.q) { drawFilters(tableCounts(t, chosen).counts, null); } })
        .catch(function () {});
    }

    // Counts of records for each filter value: a value's count is what choosing it would give
    // with the other filters as they are (values of one filter add up: any of them).
    function tableCounts(t, chosenNow) {
      var counts = {}, total = 0;
      t.rows.forEach(function (row) {
        var values = row.slice(0, FILTER_ORDER.length).map(function (i) { return i < 0 ? null : t.values[i]; });
        var n = row[FILTER_ORDER.length];
        if (passes(values, chosenNow)) { total += n; }
        FILTER_ORDER.forEach(function (k, i) {
          if (values[i] !== null && passes(values, chosenNow, k)) { add(counts, k, values[i], n); }
        });
      });
      return { counts: counts, total: total };
    }
    function drawFilters(counts, unsearchedYears) {
      filterBox.textContent = "";
      FILTER_ORDER.forEach(function (key) {
        var values = Object.assign({}, counts[key] || {});
        (chosen[key] || []).forEach(function (v) { if (!(v in values)) { values[v] = 0; } }); // always undoable
        if (key === "年份") { (unsearchedYears || []).forEach(function (y) { if (!(y in values)) { values[y] = null; } }); }
        var shown = Object.keys(values).filter(function (v) {
          return values[v] === null || values[v] > 0 || (chosen[key] || []).indexOf(v) >= 0;
        });
        if (!shown.length) { return; }
        var set = el("fieldset", { "class": "dc-filter" });
        set.appendChild(el("legend", {}, key));
        shown.sort(function (a, b) { return key === "年份" ? b.localeCompare(a) : a.localeCompare(b, "zh-CN"); })
          .forEach(function (value) {
            var box = el("input", { type: "checkbox", value: value, id: "dc-f-" + key + "-" + value });
            box.checked = (chosen[key] || []).indexOf(value) >= 0;
            box.addEventListener("change", function () {
              var cur = chosen[key] = (chosen[key] || []).filter(function (v) { return v !== value; });
              if (box.checked) { cur.push(value); }
              search();
            });
            var label = el("label", { "class": "dc-filter__item" });
            label.appendChild(box);
            label.appendChild(el("span", { "class": "dc-filter__value" }, value));
            label.appendChild(el("span", { "class": "dc-count" }, values[value] === null ? "（未查找）" : "（" + values[value] + "）"));
            set.appendChild(label);
          });
        filterBox.appendChild(set);
      });
    }

    // ------------------------------------------------------------ finding
    function phrases(q) {
      // Each typed word as an exact phrase: Pagefind alone also returns pages sharing one character.
      return q.split(/\s+/).filter(Boolean).map(function (t) { return '"' + t.replace(/"/g, "") + '"'; }).join(" ");
    }
    function scoped(c, filters) {
      var f = {};
      Object.keys(filters).forEach(function (k) { if (filters[k].length) { f[k] = { any: filters[k] }; } });
      f["分片"] = { any: c.scope.map(function (s) { return s.name; }) };
      return f;
    }
    function inScope(c, name) { return c.scope.some(function (s) { return s.name === name; }); }
    // Records found in a result: a decision page is one; a page of many counts its sections that hold
    // the phrase. Pagefind gives a quoted phrase's first place on a page only (the first section), so
    // the other places come from the same words unquoted: runs of as many words as the phrase has.
    function phraseLength(words) { // how many words the phrase has: its first place is a run of consecutive words
      var n = words && words.length ? 1 : 0;
      while (n < words.length && words[n] === words[0] + n) { n++; }
      return n;
    }
    function hits(words, k) { // start of every run of k consecutive words
      var sorted = (words || []).slice().sort(function (a, b) { return a - b; }), out = [], len = 0;
      sorted.forEach(function (w, i) {
        len = i && w === sorted[i - 1] + 1 ? len + 1 : (i && w === sorted[i - 1] ? len : 1);
        if (len === k) { out.push(w - k + 1); }
      });
      return k <= 1 ? sorted : out;
    }
    function section(g, w) {
      var lo = 0, hi = g.starts.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (g.starts[mid] <= w) { lo = mid + 1; } else { hi = mid; } }
      return lo - 1; // -1: before the first record (the page's own title)
    }
    function sectionsHit(g, words, k) {
      var seen = {};
      hits(words, k).forEach(function (w) { var i = section(g, w); if (i >= 0) { seen[i] = 1; } });
      return Object.keys(seen).length;
    }
    // The result of a page of many to count and draw from: all places of the phrase's words.
    async function unquoted(c, filters, results) {
      var need = results.filter(function (x) { return state.groups[x.id] && c.phrase && phraseLength(x.words) > 1 && !c.loose[x.id]; });
      if (need.length) {
        (await state.pf.search(c.looseTerm, { filters: scoped(c, filters) })).results.forEach(function (x) {
          if (state.groups[x.id]) { c.loose[x.id] = x; }
        });
      }
    }
    function groupCount(c, res) {
      var g = state.groups[res.id];
      if (!c.term) { return g.starts.length; }
      var k = c.phrase ? phraseLength(res.words) : 1;
      return sectionsHit(g, k > 1 && c.loose[res.id] ? c.loose[res.id].words : res.words, k);
    }
    // Pages both found and named whole by the query (its exact-match word is in their metadata):
    // drawn and counted from the lookup instead. "phrase" word is no phrase search in Pagefind, so the
    // two are asked apart; when the phrase found every named page, the word's own counts are theirs.
    async function overlap(c, filters, results) {
      var out = { ids: {}, counts: {} };
      if (!c.tok || !c.scope.length) { return out; }
      var key = c.term + c.scope.length + JSON.stringify(filters);
      c.overlaps = c.overlaps || {};
      if (c.overlaps[key]) { return c.overlaps[key]; }
      c.overlaps[key] = out;
      var named = await state.pf.search(c.tok, { filters: scoped(c, filters) });
      var found = {};
      results.forEach(function (x) { found[x.id] = 1; });
      var both = named.results.filter(function (x) { return found[x.id]; });
      both.forEach(function (x) { out.ids[x.id] = 1; });
      if (both.length === named.results.length) {
        Object.keys(named.filters || {}).forEach(function (k) { if (k !== "分片") { out.counts[k] = Object.assign({}, named.filters[k]); } });
      } else {
        for (var i = 0; i < both.length; i++) {
          var d = await both[i].data();
          Object.keys(d.filters || {}).forEach(function (k) {
            if (k !== "分片") { d.filters[k].forEach(function (v) { add(out.counts, k, v, 1); }); }
          });
        }
      }
      return out;
    }
    async function pfCounts(c, filters, first) {
      var none = { results: [], filters: {} };
      var r = first || (c.scope.length ? await state.pf.search(c.term, { filters: scoped(c, filters) }) : none);
      var counts = {};
      Object.keys(r.filters || {}).forEach(function (k) { if (k !== "分片") { counts[k] = Object.assign({}, r.filters[k]); } });
      await unquoted(c, filters, r.results);
      r.results.forEach(function (res) {
        var g = state.groups[res.id];
        if (!g) { return; }
        var n = groupCount(c, res);
        g.values.forEach(function (v, i) { if (v !== null) { add(counts, FILTER_ORDER[i], v, n - 1); } });
      });
      // Decisions the query names whole are counted from the lookup (every year), not twice.
      var both = await overlap(c, filters, r.results);
      Object.keys(both.counts).forEach(function (k) {
        Object.keys(both.counts[k]).forEach(function (v) { add(counts, k, v, -both.counts[k][v]); });
      });
      var records = c.scope.some(function (s) { return s.kind === "records"; });
      c.found.forEach(function (e) {
        if ((GROUPS[e.f[0]] && records) || !passes(e.f, filters)) { return; } // those Pagefind counted
        e.f.forEach(function (v, i) { if (v !== null) { add(counts, FILTER_ORDER[i], v, 1); } });
      });
      return counts;
    }
    async function facetCounts(c, first) {
      var main = await pfCounts(c, c.chosen, first);
      var out = {};
      FILTER_ORDER.forEach(function (k) { out[k] = main[k] || {}; });
      for (var i = 0; i < FILTER_ORDER.length; i++) {
        var k = FILTER_ORDER[i];
        if (!(c.chosen[k] || []).length) { continue; }
        var rest = Object.assign({}, c.chosen);
        delete rest[k];
        out[k] = (await pfCounts(c, rest))[k] || {};
      }
      var total = Object.keys(main["类型"] || {}).reduce(function (s, v) { return s + Math.max(0, main["类型"][v]); }, 0);
      return { counts: out, total: total };
    }
    // Sorted by date: each decision shard in date order (their ranges do not overlap), lists end to end;
    // Pagefind merges shards by score, not by sort key.
    async function find(c) {
      if (!c.scope.length) { return { results: [], filters: {} }; } // a 文号 of a year with no shard: the lookup answers
      var filters = scoped(c, c.chosen);
      if (!c.sort) { return state.pf.search(c.term, { filters: filters }); }
      var all = { results: [], filters: {} };
      var order = c.scope.filter(function (s) { return s.kind === "records"; })
        .concat(c.scope.filter(function (s) { return s.kind === "decisions"; }));
      for (var i = 0; i < order.length; i++) {
        var f = Object.assign({}, filters, { "分片": order[i].name });
        var part = await state.pf.search(c.term, order[i].kind === "records" ? { filters: f } : { filters: f, sort: { date: c.sort } });
        all.results = all.results.concat(part.results);
      }
      return all;
    }

    // ------------------------------------------------------------ drawing
    function entry(title, href, facts, text, mark) {
      var li = el("li", { "class": "dc-result" + (mark ? " dc-result--exact" : "") });
      li.appendChild(el("h2", {})).appendChild(el("a", { href: href, "class": "dc-result__title" }, title));
      var meta = el("p", { "class": "dc-result__meta" });
      if (mark) { meta.appendChild(el("span", { "class": "dc-result__exact" }, mark)); }
      meta.appendChild(document.createTextNode(facts.filter(Boolean).join(" · ")));
      li.appendChild(meta);
      if (text) { li.appendChild(typeof text === "string" ? el("p", { "class": "dc-result__excerpt" }, text) : text); }
      return li;
    }
    function noticeText(agency, kind, status, changed) {
      return agency + "作出的" + kind + "决定" + (changed ? "已于 " + changed + " " : "已") + "被依法" +
        status.replace(/^已/, "") + "，原公示信息已撤回。";
    }
    // A record the query names whole, drawn from the lookup: no page of the index is fetched for it.
    function exactItem(e) {
      var href = new URL(e.url, ROOT).href;
      var f = e.f;
      if (f[0] === NOTICE) {
        return entry(e.title + "（已撤回）", href, [NOTICE, f[1], "作出日期：" + e.date], noticeText(f[1], f[2], e.status, e.changed), "完全相同");
      }
      if (GROUPS[f[0]]) { return entry(e.title, href, [f[0], f[1], f[2], e.info], null, "完全相同"); }
      return entry(e.title, href, [f[2], f[1], e.party ? "当事人：" + e.party : "", "作出日期：" + e.date, f[4]], null, "完全相同");
    }
    // Officers, power items and benchmarks are indexed as sections of one page per agency (and
    // category): each matching section is a result of its own; without a query, every section is.
    function pageItems(c, data, k) {
      var m = data.meta || {};
      if (GROUPS[m.type]) {
        var subs = c.term ? (data.sub_results || []).filter(function (s) {
          return s.url.indexOf("#") > 0 && hits(s.locations, k).length; // the sections counted, no others
        })
          : (data.anchors || []).filter(function (a) { return /h\d/i.test(a.element) && a.id && a.text; })
            .map(function (a) { return { title: a.text, url: data.url.split("#")[0] + "#" + a.id, excerpt: "" }; });
        return subs.map(function (s) {
          var anchor = s.url.split("#")[1];
          var href = m.type === "权责事项" ? new URL("powers/" + anchor + "/", ROOT).href : new URL(s.url, location.href).href;
          if (c.exactUrls[href]) { return null; }
          return entry(s.title, href, [m.type, m.agency], s.excerpt ? excerpt(s.excerpt) : null);
        }).filter(Boolean);
      }
      var url = new URL(data.url, location.href).href;
      if (c.exactUrls[url]) { return []; }
      if (m.type === NOTICE) {
        return [entry((m.title || "") + "（已撤回）", url, [NOTICE, m.agency, "作出日期：" + m.date],
          noticeText(m.agency, m.kind, m.status || "", m.changed))];
      }
      // m.dated: what the date is of a record other than a decision (a notice's 制发日期, a plan's 印发日期)
      var facts = [m.kind, m.agency, m.party ? "当事人：" + m.party : "", m.date ? (m.dated || "作出日期") + "：" + m.date : "", m.status];
      return [entry(m.title || data.url, url, facts, excerpt(data.excerpt))];
    }
    async function draw(c, count) {
      var upto = Math.min(c.sources.length, c.drawn + count);
      // The pages of a screenful are fetched together, then drawn in order.
      var pages = await Promise.all(c.sources.slice(c.drawn, upto).map(function (s) { return s.pf ? s.pf.data() : null; }));
      if (c.run !== run) { return; }
      c.sources.slice(c.drawn, upto).forEach(function (s, i) {
        (s.exact ? [exactItem(s.exact)] : pageItems(c, pages[i], s.k || 1)).forEach(function (li) { list.appendChild(li); });
      });
      c.drawn = upto;
      more.hidden = c.drawn >= c.sources.length && !(c.browse && c.nd < c.plan.decisions.length);
    }

    // ------------------------------------------------------------ what was searched, in words
    function yearOf(s) { return s.year + " 年"; }
    function describe(c) {
      if (c.answered) { return "已在全部年份中查找完全相同的文号、当事人名称、统一社会信用代码、执法证号等。"; }
      var all = c.plan.decisions, done = all.slice(0, c.nd), parts = [];
      if (c.plan.records.length) { parts.push("全部执法人员、权责事项和裁量基准"); }
      if (done.length) {
        var years = all.map(function (s) { return s.year; });
        var lo = Math.min.apply(null, years), hi = Math.max.apply(null, years);
        if (done.length === all.length) {
          parts.push(lo === hi ? lo + " 年的执法决定" : (c.plan.years.length ? c.plan.years.join("、") + " 年的执法决定"
            : "全部年份（" + lo + "—" + hi + " 年）的执法决定"));
        } else {
          var edge = done[done.length - 1];
          var whole = !all.slice(c.nd).some(function (s) { return s.year === edge.year; });
          var asc = c.sort === "asc";
          var day = asc ? edge.last : edge.first, next = all[c.nd];
          // More decisions on one day than a shard holds: the next shard, not searched, has some of that day's.
          var split = !!next && (asc ? next.first === day : next.last === day);
          parts.push(whole ? (asc ? edge.year + " 年及以前" : edge.year + " 年以来") + "的执法决定" :
            split ? "作出日期" + (asc ? "早于 " : "晚于 ") + day + " 的执法决定，以及 " + day + " 当天的部分决定" :
            "作出日期在 " + day + (asc ? " 及以前" : " 及以后") + "的执法决定");
        }
      }
      var text = parts.length ? "查找范围：" + parts.join("；") + "。" : "";
      if (c.lookedUp && (CASE_NO.test(c.q) || /^[0-9A-Za-z-]{8,}$/.test(c.q))) { // looks like a whole 文号 or code
        text += "完全相同的文号、统一社会信用代码、执法证号等已在全部年份中查找。";
      }
      return text;
    }
    // The next shards "继续查找" loads: the rest of the year under way, or the next whole year.
    function nextBatch(c) {
      if (c.answered) { return { n: 0, label: "也查找提到“" + c.q + "”的其他记录", wider: true }; }
      var rest = c.plan.decisions.slice(c.nd);
      if (!rest.length) { return null; }
      var edge = c.plan.decisions[c.nd - 1];
      var year = edge && rest[0].year === edge.year ? edge.year : rest[0].year;
      var n = rest.filter(function (s) { return s.year === year; }).length;
      var label = "继续查找" + (edge && year === edge.year ? " " + year + " 年" + (c.sort === "asc" ? "更晚" : "更早") + "的" : " " + year + " 年的") + "执法决定";
      return { n: n, label: label };
    }
    function drawScope(c) {
      var next = c.browse ? null : nextBatch(c);
      scope.textContent = c.browse ? "" : describe(c) + (next ? (c.answered ? "提到它的其他记录，可在结果下方继续查找。" :
        "更早的执法决定可在结果下方继续查找。") : "");
      olderButtons.forEach(function (b) { b.hidden = !next; if (next) { b.textContent = next.label; } });
      scope.hidden = !scope.textContent;
    }

    // ------------------------------------------------------------ one search
    async function search() {
      var mine = ++run;
      var q = input.value.trim();
      syncUrl();
      drawActive();
      list.textContent = "";
      more.hidden = true;
      olderButtons.forEach(function (b) { b.hidden = true; });
      scope.hidden = true;
      status.dataset.complete = "";
      if (!q && !anyChosen()) {
        current = null;
        status.textContent = "请输入要查找的文字，或按“筛选”选择条件。";
        if (!panel.hidden) { await browseFilters(); }
        status.dataset.complete = "1";
        return;
      }
      status.textContent = "正在搜索…";
      try {
        var m = await manifest();
        var browse = !q;
        var sort = sortSel.value || (browse ? "desc" : "");
        var p = plan(m, chosen, q, sort);
        // Searched already (an earlier query went further back): keep it.
        var nd = 1;
        while (nd < p.decisions.length && state.loaded[p.decisions[nd].name]) { nd++; }
        var caseNo = CASE_NO.test(q);  // a 文号 is one word, however it was spaced
        var c = current = { q: q, term: q ? phrases(caseNo ? normalize(q) : q) : null, chosen: JSON.parse(JSON.stringify(chosen)), sort: sort,
          plan: p, nd: Math.min(nd, p.decisions.length), run: mine, browse: browse, exact: [], found: [], exactUrls: {},
          tok: null, lookedUp: false, sources: [], drawn: 0, loose: {},
          // One quoted phrase (no spaces typed): Pagefind matches it exactly, but tells its first place only.
          onePhrase: !!q && (caseNo || !/\s/.test(q)), looseTerm: caseNo ? normalize(q) : q };
        c.phraseTerm = c.term;
        if (!q && !p.records.length && !p.decisions.length) {
          status.textContent = "没有符合条件的记录。";
          status.dataset.complete = "1";
          return;
        }
        // A whole 文号, name or code is looked up in every year at once (never words with spaces between).
        c.lookedUp = !!(q && (caseNo || !/\s/.test(q)) && m.exact);
        c.exactP = c.lookedUp ? lookup(q) : Promise.resolve([]);
        await gather(c, !browse);
      } catch (err) { failed(err); }
    }
    // Load the shards in scope and find; with auto, search further back (up to AUTO_SHARDS decision
    // shards) while fewer than a page of results are found.
    async function gather(c, auto) {
      var r;
      c.term = c.phraseTerm;
      c.phrase = c.onePhrase;
      var found = c.found = await c.exactP;
      c.exact = found.filter(function (e) { return passes(e.f, c.chosen); });
      c.tok = found.some(function (e) { return !GROUPS[e.f[0]]; }) ? token(c.q) : null;
      // A whole 文号, name or code found: that is the answer, from every year, with one small file;
      // records that merely mention it are searched when the reader asks (c.wider).
      c.answered = c.exact.length > 0 && !c.wider;
      for (;;) {
        c.scope = c.answered ? [] : c.plan.records.concat(c.plan.decisions.slice(0, c.nd));
        await Promise.all(c.scope.map(load));
        if (c.scope.length) { await state.pf.filters(); } // loads the filter chunks: without them results carry no counts
        if (c.run !== run) { return; }
        r = await find(c);
        if (c.run !== run) { return; }
        if (!auto || c.exact.length || r.results.length >= PAGE_SIZE || c.nd >= Math.min(AUTO_SHARDS, c.plan.decisions.length)) { break; }
        c.nd++;
      }
      var loose = false;
      if (c.q && !r.results.length && !c.exact.length && !CASE_NO.test(c.q)) {
        // Looser matches only when nothing matches exactly (and never for a 文号: a near one is another decision).
        var words = c.term;
        c.term = c.q;
        c.phrase = false;
        r = await find(c);
        loose = r.results.length > 0;
        if (!loose) { c.term = words; c.phrase = c.onePhrase; }
      }
      // Pages that are exact matches are drawn from the lookup, first; Pagefind's copy is left out.
      var skip = (await overlap(c, c.chosen, r.results)).ids;
      c.exactUrls = {};
      c.exact.forEach(function (e) { c.exactUrls[new URL(e.url, ROOT).href] = 1; });
      await unquoted(c, c.chosen, r.results);
      c.sources = c.exact.map(function (e) { return { exact: e }; }).concat(
        r.results.filter(function (x) { return !skip[x.id]; }).map(function (x) {
          var k = c.phrase && state.groups[x.id] ? phraseLength(x.words) : 1;
          return k > 1 && c.loose[x.id] ? { pf: c.loose[x.id], k: k } : { pf: x, k: 1 };
        }));
      list.textContent = "";
      c.drawn = 0;
      await draw(c, Math.max(PAGE_SIZE, c.shownBefore || 0));
      if (c.run !== run) { return; }
      // Counts, after the first results are on screen.
      var total, counts;
      if (c.browse) {
        var t = tableCounts(await table(), c.chosen);
        total = t.total; counts = t.counts;
      } else {
        var fc = await facetCounts(c, c.sort ? null : r);
        total = fc.total; counts = fc.counts;
      }
      if (c.run !== run) { return; }
      var unsearched = c.browse || c.answered || !c.plan.decisions.length ? [] : state.data.shards.filter(function (s) {
        return s.kind === "decisions" && !inScope(c, s.name);
      }).map(function (s) { return s.year + "年"; }).filter(function (y, i, a) { return a.indexOf(y) === i && !(counts["年份"] || {})[y]; });
      drawFilters(counts, unsearched);
      drawScope(c);
      if (!c.sources.length) {
        status.textContent = c.q && CASE_NO.test(c.q) ? "没有找到文号为“" + c.q + "”的决定。请核对文号；也可能该决定尚未公开，或已超过公示期限。"
          : "没有找到结果。";
      } else if (loose) {
        status.textContent = "没有完全相同的结果，以下 " + total + " 条结果含有其中部分字词。";
      } else if (c.exact.length && c.exact.every(function (e) { return e.f[0] === NOTICE; }) && CASE_NO.test(c.q)) {
        status.textContent = "文号为“" + c.q + "”的决定已被依法" + (c.exact[0].status || "已撤销").replace(/^已/, "") +
          "，公示信息已撤回，下面是撤回公告。";
      } else if (c.exact.length) {
        status.textContent = total === c.exact.length ? "找到 " + total + " 条与“" + c.q + "”完全相同的结果。" :
          "找到 " + total + " 条结果，其中 " + c.exact.length + " 条与“" + c.q + "”完全相同，排在最前。";
      } else {
        status.textContent = "找到 " + total + " 条结果。";
      }
      status.dataset.complete = "1";
    }

    var timer = null, lastTyped = null;
    form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); lastTyped = input.value; search(); });
    sortSel.addEventListener("change", search);
    function failed(err) {
      status.textContent = "搜索暂时不可用（" + err.message + "）。可以按执法主体和年份浏览执法决定。";
      status.dataset.complete = "1";
    }
    more.addEventListener("click", async function () {
      var c = current;
      if (!c) { return; }
      status.dataset.complete = "";
      try {
        if (c.drawn < c.sources.length) { await draw(c, PAGE_SIZE); }
        else if (c.browse && c.nd < c.plan.decisions.length) {
          // Browsing without a query: the next shard in date order, its list after the ones shown.
          c.nd++;
          c.shownBefore = c.drawn + PAGE_SIZE;
          await gather(c, false);
        }
      } catch (err) { failed(err); }
      if (c === current) { status.dataset.complete = "1"; }
    });
    olderButtons.forEach(function (b) {
      b.addEventListener("click", async function () {
        var c = current, next = c && nextBatch(c);
        if (!next) { return; }
        status.dataset.complete = "";
        status.textContent = "正在查找…";
        c.nd += next.n;
        c.wider = c.wider || !!next.wider;
        c.shownBefore = c.drawn;
        await gather(c, !!next.wider).catch(failed);
      });
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { if (input.value !== lastTyped) { lastTyped = input.value; search(); } }, 250);
    });
    manifest().then(function () { tools.hidden = false; }).catch(function () {});
    showPanel(false); // folded: results first, on every screen
    drawActive();
    if (input.value || anyChosen()) { search(); }
    else {
      status.textContent = "请输入要查找的文字，或按“筛选”选择条件。";
      if (!panel.hidden) { manifest().then(browseFilters); }
      // While the reader types: the shards a query starts with (records, the newest decisions).
      manifest().then(function (m) {
        var p = plan(m, {}, "…", "");
        return Promise.all(p.records.concat(p.decisions.slice(0, 1)).map(load));
      }).then(function () { return state.pf && state.pf.filters(); }).catch(function () {});
    }
  }

  // ---------------------------------------------------------------- certificate lookup
  function setupCert(form) {
    var input = form.querySelector("input");
    var out = form.parentNode.querySelector("[data-dc-cert-result]");
    var params = new URLSearchParams(location.search);
    // What the reader typed before this script ran is kept: a slow connection must not eat it.
    if (params.get("no")) input.value = params.get("no");
    var latest = 0;  // a lookup answered after a newer one started is dropped: one result, the newest
    async function lookup() {
      var mine = ++latest;
      var no = input.value.replace(/\s+/g, "").toUpperCase();
      history.replaceState(null, "", no ? "?no=" + encodeURIComponent(no) : "?");
      if (!no) { out.textContent = ""; return; }
      var shard = no.slice(-2).toLowerCase();
      var found = null;
      try {
        var r = await fetch(new URL("data/certificates/" + encodeURIComponent(shard) + ".json", ROOT));
        if (r.ok) { found = (await r.json())[no] || null; }
      } catch (err) { found = null; }
      if (mine !== latest) { return; }
      out.textContent = "";
      if (!found) {
        out.appendChild(el("p", { "class": "dc-notice" }, "没有查到执法证号 " + no + " 的登记信息。请核对号码；如仍有疑问，请联系执法主体或司法局。"));
        return;
      }
      var table = el("table", { "class": "dc-fields" });
      table.appendChild(el("caption", {}, "执法证号 " + no));
      [["持证人", found.name], ["执法主体", found.agency_name], ["执法类别", found.field], ["所在单位", found.unit || "—"],
       ["有效期", found.valid_from + " 至 " + found.valid_until]].forEach(function (row) {
        var tr = el("tr");
        tr.appendChild(el("th", { scope: "row" }, row[0]));
        tr.appendChild(el("td", {}, row[1]));
        table.appendChild(tr);
      });
      var tr = el("tr");
      tr.appendChild(el("th", { scope: "row" }, "证件状态"));
      var td = el("td");
      td.appendChild(el("span", { "class": "dc-badge dc-badge--" + found.cls }, found.status));
      tr.appendChild(td);
      table.appendChild(tr);
      out.appendChild(table);
      var p = el("p");
      p.appendChild(el("a", { href: new URL(found.url, ROOT).href }, "查看该执法主体的执法人员名单 ›"));
      out.appendChild(p);
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); lookup(); });
    if (input.value) { lookup(); }
  }

  function init() {
    document.querySelectorAll("form[data-dc-search]").forEach(setupSearch);
    document.querySelectorAll("form[data-dc-cert]").forEach(setupCert);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
