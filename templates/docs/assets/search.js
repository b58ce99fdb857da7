// Site search (Pagefind, loaded from this site only) and the certificate lookup.
// Pages read fine without this script; only the search and lookup forms need it.
(function () {
  "use strict";
  var script = document.currentScript;
  var ROOT = new URL("..", script ? script.src : location.href); // assets/search.js → site root
  var PAGE_SIZE = 10;
  var EXACT_WORDS = /\b(?:wh|dsr)[0-9a-z]{2,8}\b\s*/g; // the exact-match words of generator/search.py
  var CASE_NO = /[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）].*号\s*$/;
  var IDENTIFIER = /^[0-9A-Za-z-]{8,}$/; // certificate numbers, credit codes, power codes
  var FILTER_ORDER = ["类型", "执法主体", "类别", "年份", "公开状态"];

  // Mirrors generator/search.py: normalize() and token().
  function normalize(text) {
    var map = { "[": "〔", "]": "〕", "［": "〔", "］": "〕", "(": "（", ")": "）", "【": "〔", "】": "〕" };
    return text.replace(/\s+/g, "").replace(/[\[\]［］()【】]/g, function (c) { return map[c]; });
  }
  function token(prefix, text) {
    var bytes = new TextEncoder().encode(normalize(text));
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) { h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0; }
    return prefix + h.toString(36);
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
    box.innerHTML = html;
    (function walk(from, to) {
      from.childNodes.forEach(function (n) {
        if (n.nodeType === 3) { to.appendChild(document.createTextNode(n.textContent.replace(EXACT_WORDS, ""))); }
        else if (n.nodeName === "MARK") { to.appendChild(el("mark", {}, n.textContent)); }
        else { walk(n, to); }
      });
    })(box.content, p);
    return p;
  }

  // ---------------------------------------------------------------- index shards
  var state = { manifest: null, pf: null, loaded: {}, loading: null };

  function manifest() {
    if (!state.manifest) {
      state.manifest = fetch(new URL("pagefind/shards.json", ROOT)).then(function (r) {
        if (!r.ok) { throw new Error("索引清单 " + r.status); }
        return r.json();
      }).then(function (m) { state.manifestData = m; return m; });
    }
    return state.manifest;
  }
  // Shards load one after another: the first becomes Pagefind's primary index, the rest merge into it.
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
          // 分片 (shard) is a filter of our own: a date-sorted list is asked of each shard in turn.
          await state.pf.mergeIndex(base.href, { mergeFilter: { "分片": shard.name } });
        }
      });
    }
    return state.loaded[shard.name];
  }
  // Which shards a search needs, in the order to load them: records first, then decisions in date
  // order (newest first, or oldest first when sorting that way). A 文号 names its year: only that year.
  function plan(m, filters, q, sortDir) {
    var names = filters["执法主体"] || [];
    var ids = Object.keys(m.agencies).filter(function (id) { return names.indexOf(m.agencies[id]) >= 0; });
    var years = (filters["年份"] || []).map(function (y) { return parseInt(y, 10); });
    var caseYear = CASE_NO.test(q || "") && /[〔\[［【(（](\d{4})/.exec(q);
    if (caseYear) { years = [parseInt(caseYear[1], 10)]; }
    var kinds = filters["类型"] || [];
    var wantRecords = !caseYear && !sortDir && !years.length && (!kinds.length || kinds.some(function (k) { return k !== "执法决定"; }));
    var wantDecisions = !kinds.length || kinds.indexOf("执法决定") >= 0;
    function mine(s) { return !ids.length || s.agencies.some(function (a) { return ids.indexOf(a) >= 0; }); }
    var records = m.shards.filter(function (s) { return s.kind === "records" && wantRecords && mine(s); });
    var decisions = m.shards.filter(function (s) {
      return s.kind === "decisions" && wantDecisions && mine(s) && (!years.length || years.indexOf(s.year) >= 0);
    }).sort(function (a, b) { return a.first < b.first ? 1 : -1; });
    if (sortDir === "asc") { decisions.reverse(); }
    return { shards: records.concat(decisions), first: records.length + 1 };
  }

  // ---------------------------------------------------------------- search page
  function setupSearch(form) {
    var input = form.querySelector("input[type=search]");
    var page = form.parentNode;
    var status = page.querySelector("[data-dc-status]");
    var list = page.querySelector("[data-dc-results]");
    var more = page.querySelector("[data-dc-more]");
    var tools = page.querySelector("[data-dc-tools]");
    var filterBox = page.querySelector("[data-dc-filters]");
    var sortSel = page.querySelector("[data-dc-sort]");
    var params = new URLSearchParams(location.search);
    var chosen = {};
    FILTER_ORDER.forEach(function (k) { if (params.getAll(k).length) { chosen[k] = params.getAll(k); } });
    if (params.get("q") || !input.value) input.value = params.get("q") || "";  // keep what was typed before the script ran
    sortSel.value = params.get("sort") || "";
    var run = 0, results = [], shown = 0;

    function syncUrl() {
      var p = new URLSearchParams();
      if (input.value.trim()) { p.set("q", input.value.trim()); }
      if (sortSel.value) { p.set("sort", sortSel.value); }
      Object.keys(chosen).forEach(function (k) { chosen[k].forEach(function (v) { p.append(k, v); }); });
      history.replaceState(null, "", "?" + p.toString());
    }
    function options() {
      var o = { filters: {} };
      Object.keys(chosen).forEach(function (k) { if (chosen[k].length) { o.filters[k] = { any: chosen[k] }; } });
      if (sortSel.value) { o.sort = { date: sortSel.value }; }
      return o;
    }
    function drawFilters(counts) {
      // Every agency and year is offered, also those whose shards are not loaded yet (no count then).
      var m = state.manifestData;
      if (m) {
        counts = Object.assign({}, counts);
        var years = counts["年份"] = Object.assign({}, counts["年份"] || {});
        m.shards.forEach(function (s) { if (s.year && !(s.year + "年" in years)) { years[s.year + "年"] = null; } });
        var names = counts["执法主体"] = Object.assign({}, counts["执法主体"] || {});
        Object.keys(m.agencies).forEach(function (id) { if (!(m.agencies[id] in names)) { names[m.agencies[id]] = null; } });
      }
      filterBox.textContent = "";
      FILTER_ORDER.forEach(function (key) {
        var values = counts[key];
        if (!values || !Object.keys(values).length) { return; }
        var set = el("fieldset", { "class": "dc-filter" });
        set.appendChild(el("legend", {}, key));
        Object.keys(values).sort(function (a, b) { return key === "年份" ? b.localeCompare(a) : a.localeCompare(b, "zh-CN"); })
          .forEach(function (value) {
            var id = "dc-f-" + key + "-" + value;
            var box = el("input", { type: "checkbox", id: id, value: value });
            box.checked = (chosen[key] || []).indexOf(value) >= 0;
            box.addEventListener("change", function () {
              var cur = chosen[key] = (chosen[key] || []).filter(function (v) { return v !== value; });
              if (box.checked) { cur.push(value); }
              search();
            });
            var label = el("label", { "for": id });
            label.appendChild(document.createTextNode(value + " "));
            if (values[value] !== null) { label.appendChild(el("span", { "class": "dc-count" }, "(" + values[value] + ")")); }
            var row = el("div", { "class": "dc-filter__item" });
            row.appendChild(box); row.appendChild(label);
            set.appendChild(row);
          });
        filterBox.appendChild(set);
      });
    }
    async function draw(from, count) {
      var mine = run;
      var upto = Math.min(results.length, from + (count || PAGE_SIZE));
      for (var i = from; i < upto; i++) {
        var data = await results[i].data();
        if (mine !== run) { return; }
        item(data).forEach(function (li) { list.appendChild(li); });
      }
      shown = upto;
      more.hidden = shown >= results.length && !(current && current.more);
    }
    // Officers, power items and benchmarks are indexed as sections of one page per agency
    // (and category): each matching section is shown as a result of its own.
    var GROUPS = { "执法人员": 1, "权责事项": 1, "裁量基准": 1 };
    function item(data) {
      var m = data.meta || {};
      var subs = (data.sub_results || []).filter(function (s) { return s.url.indexOf("#") > 0; });
      if (GROUPS[m.kind] && subs.length) {
        return subs.map(function (s) {
          var anchor = s.url.split("#")[1];
          var href = m.kind === "权责事项" ? new URL("powers/" + anchor + "/", ROOT).href : s.url;
          return entry(s.title, href, [m.kind, m.agency], s.excerpt);
        });
      }
      var url = m.kind === "权责事项" && m.aid ? new URL("agencies/" + m.aid + "/powers/", ROOT).href : data.url;
      var facts = [m.kind, m.agency, m.party ? "当事人：" + m.party : "", m.date ? "作出日期：" + m.date : "", m.status];
      return [entry(m.title || data.url, url, facts, data.excerpt)];
    }
    function entry(title, href, facts, text) {
      var li = el("li", { "class": "dc-result" });
      li.appendChild(el("h2", {})).appendChild(el("a", { href: href, "class": "dc-result__title" }, title));
      li.appendChild(el("p", { "class": "dc-result__meta" }, facts.filter(Boolean).join(" · ")));
      li.appendChild(excerpt(text));
      return li;
    }
    // Pagefind merges shards by score; sorted by date, ask each loaded decision shard in date order
    // (their date ranges do not overlap) and put the lists one after another.
    async function find(term, o, order) {
      if (!o.sort) { return state.pf.search(term, o); }
      var all = { results: [], filters: {} };
      for (var i = 0; i < order.length; i++) {
        if (order[i].kind !== "decisions") { continue; }
        var f = Object.assign({}, o.filters, { "分片": order[i].name });
        var part = await state.pf.search(term, { filters: f, sort: o.sort });
        all.results = all.results.concat(part.results);
      }
      all.filters = (await state.pf.search(term, { filters: o.filters })).filters;
      return all;
    }
    function phrases(q) {
      return q.split(/\s+/).filter(Boolean).map(function (t) { return '"' + t.replace(/"/g, "") + '"'; }).join(" ");
    }
    // A whole 文号 or party name: the exact record first, whatever else ranks high. Only asked
    // when the query looks like one: each exact word costs a chunk of every loaded shard.
    async function exact(q, o) {
      var hits = [];
      if (CASE_NO.test(q)) { hits = hits.concat((await state.pf.search(token("wh", q), { filters: o.filters })).results); }
      if (q.length >= 4 && !/\s/.test(q) && /[\u4e00-\u9fff]/.test(q) && !CASE_NO.test(q)) {
        hits = hits.concat((await state.pf.search(token("dsr", q), { filters: o.filters })).results);
      }
      return hits;
    }
    var current = null; // the search on screen: its shard plan and how far it has loaded
    async function search() {
      var mine = ++run;
      var q = input.value.trim();
      syncUrl();
      list.textContent = "";
      more.hidden = true;
      status.dataset.complete = "";
      if (!q && !Object.keys(chosen).some(function (k) { return chosen[k].length; })) {
        status.textContent = "请输入要查找的文字，或在下方按条件筛选。";
        if (state.pf) { drawFilters(await state.pf.filters()); tools.hidden = false; }
        status.dataset.complete = "1";
        return;
      }
      status.textContent = "正在搜索…";
      try {
        var m = await manifest();
        var p = plan(m, chosen, q, sortSel.value);
        if (!p.shards.length) { status.textContent = "没有符合条件的记录。"; status.dataset.complete = "1"; return; }
        current = { q: q, o: options(), plan: p, loaded: 0, run: mine };
        await extend(current, PAGE_SIZE);
      } catch (err) {
        status.textContent = "搜索暂时不可用（" + err.message + "）。可以按执法主体和年份浏览执法决定。";
        status.dataset.complete = "1";
      }
    }
    // Load shards until `want` results are found or none are left; first results come from the
    // newest decisions, older ones only when needed (each shard costs its metadata to fetch).
    async function extend(c, want) {
      var order = c.plan.shards;
      var found = { results: [], filters: {} }, top = [], loose = false;
      do {
        var next = c.loaded === 0 ? c.plan.first : c.loaded + 1;
        c.loaded = Math.min(order.length, next);
        await Promise.all(order.slice(0, c.loaded).map(load));
        await state.pf.filters(); // loads the filter chunks: without them results carry no counts
        if (c.run !== run) { return; }
        var loadedShards = order.slice(0, c.loaded);
        // Each typed word as an exact phrase: Pagefind alone also returns pages sharing one character.
        found = await find(c.q ? phrases(c.q) : null, c.o, loadedShards);
        top = c.q ? await exact(c.q, c.o) : [];
        if (c.run !== run) { return; }
      } while (found.results.length + top.length < want && c.loaded < order.length && !(
        top.length || (IDENTIFIER.test(c.q) && found.results.length))); // a 文号, name or number found: enough
      if (c.q && !found.results.length && !top.length) {
        found = await find(c.q, c.o, order.slice(0, c.loaded)); // looser matches only when nothing matches exactly
        loose = found.results.length > 0;
      }
      var seen = {};
      results = top.concat(found.results).filter(function (r) { return seen[r.id] ? false : (seen[r.id] = true); });
      list.textContent = ""; // older shards re-rank the list: draw it again from the top
      await draw(0, want);
      if (c.run !== run) { return; }
      drawFilters(found.filters);
      tools.hidden = false;
      c.more = c.loaded < order.length;
      var last = order[c.loaded - 1];
      var scope = c.more && last.kind === "decisions" ?
        "（已搜索" + (sortSel.value === "asc" ? " " + last.last + " 以前" : " " + last.first + " 以来") + "的决定，更早的请点“显示更多结果”）" : "";
      status.textContent = (results.length ? (loose ? "没有完全相同的结果，以下 " + results.length + " 条结果相近" :
        "找到 " + results.length + " 条结果") : "没有找到结果") + scope;
      more.hidden = shown >= results.length && !c.more;
      status.dataset.complete = "1";
    }
    var timer = null, lastTyped = null;
    form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); lastTyped = input.value; search(); });
    sortSel.addEventListener("change", search);
    more.addEventListener("click", function () {
      if (shown < results.length) {
        status.dataset.complete = "";
        draw(shown).then(function () {
          more.hidden = shown >= results.length && !(current && current.more);
          status.dataset.complete = "1";
        });
      }
      else if (current && current.more) { status.dataset.complete = ""; extend(current, results.length + PAGE_SIZE); }
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { if (input.value !== lastTyped) { lastTyped = input.value; search(); } }, 250);
    });
    if (input.value || Object.keys(chosen).length) { search(); }
    else {
      status.textContent = "请输入要查找的文字，或在下方按条件筛选。";
      manifest().then(function (m) { var p = plan(m, {}, "", ""); return p.shards.slice(0, p.first); })
        .then(function (first) { return Promise.all(first.map(load)); })
        .then(function () { return state.pf && state.pf.filters(); })
        .then(function (counts) { if (counts && run === 0) { drawFilters(counts); tools.hidden = false; } })
        .catch(function () {});
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
