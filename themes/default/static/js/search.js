/* The search page: reads gsgen's static index (gsgen/search/FORMAT.md) and finds every item page and
   attachment that holds what was typed. Chinese is cut into pairs of characters, as the index was, and
   a result must hold the pairs side by side (checked by their positions), so it holds the query
   exactly. Files are fetched only as a query needs them: a bucket per term, the positions of the
   records in question, the facts of those records, and the text of the ten results shown. */
(function () {
  "use strict";
  var box = document.querySelector("[data-search]");
  if (!box || !window.fetch || !window.DecompressionStream) { return; }
  var base = box.getAttribute("data-index");
  var form = box.querySelector("form");
  var input = form.querySelector("input[name=q]");
  var status = box.querySelector(".search-status");
  var suggest = box.querySelector(".search-suggest");
  var list = box.querySelector(".search-results");
  var pager = box.querySelector(".search-pager");
  var params = new URLSearchParams(location.search);
  var PAGE = 10;
  var K1 = 1.2, B = 0.75;
  var FILTERS = ["column", "year", "kind", "status", "issuer"];
  var MARKED = { "已修改": 1, "已废止": 1, "已失效": 1 };

  // ---------------------------------------------------------------- analysis (gsgen/search/analysis.py)
  var P21 = 2097152, UNIGRAM = Math.pow(2, 43), PINYIN_BIGRAM = Math.pow(2, 44);
  var INITIAL_BIGRAM = Math.pow(2, 45), PINYIN_UNIGRAM = Math.pow(2, 46), SYLLABLE_SPACE = 1024;
  var WORD = /^[\p{L}\p{N}]$/u;

  function normal(ch) {
    var n = ch.normalize("NFKC").toLowerCase();
    return Array.from(n).length === 1 ? n : ch;
  }
  function normalised(text) { return Array.from(text, normal); }
  function runs(chars) {
    var found = [], run = [];
    chars.forEach(function (ch) {
      if (WORD.test(ch)) { run.push(ch); } else if (run.length) { found.push(run); run = []; }
    });
    if (run.length) { found.push(run); }
    return found;
  }
  function code(ch) { return ch.codePointAt(0); }
  function bigram(a, b) { return code(a) * P21 + code(b); }
  function bucketOf(key, buckets) {
    var h = 0x811c9dc5;
    for (var k = 0; k < 7; k++) {
      h = Math.imul(h ^ (Math.floor(key / Math.pow(256, k)) % 256), 0x01000193) >>> 0;
    }
    return h & (buckets - 1);
  }
  function base36(key) { return key.toString(36); }

  // A query in Latin letters may be pinyin: full syllables (senlinfanghuo) or initials (slfh).
  function syllables(letters, known) {
    var best = [null];
    best[0] = [];
    for (var i = 1; i <= letters.length; i++) {
      best[i] = null;
      for (var j = Math.max(0, i - 6); j < i; j++) {
        var id = known[letters.slice(j, i)];
        if (best[j] && id !== undefined && (!best[i] || best[j].length + 1 < best[i].length)) {
          best[i] = best[j].concat([id]);
        }
      }
    }
    return best[letters.length];
  }

  // A phrase: terms that must stand at offsets 0, 1, 2… of one another (a single term: anywhere).
  function phrases(query, manifest) {
    var found = { text: [], pinyin: [] };
    var parts = runs(normalised(query));
    parts.forEach(function (run) {
      if (run.length === 1) { found.text.push([UNIGRAM + code(run[0])]); return; }
      var keys = [];
      for (var i = 0; i + 1 < run.length; i++) { keys.push(bigram(run[i], run[i + 1])); }
      found.text.push(keys);
    });
    var letters = parts.map(function (r) { return r.join(""); }).join("");
    if (parts.length && /^[a-z]+$/.test(letters)) {
      var ids = syllables(letters, manifest.syllableIds);
      if (ids && ids.length === 1) { found.pinyin.push([PINYIN_UNIGRAM + ids[0]]); }
      if (ids && ids.length > 1) {
        found.pinyin.push(ids.slice(1).map(function (id, i) { return PINYIN_BIGRAM + ids[i] * SYLLABLE_SPACE + id; }));
      }
      if (letters.length > 1) {
        var initials = [];
        for (var n = 0; n + 1 < letters.length; n++) {
          initials.push(INITIAL_BIGRAM + letters.charCodeAt(n) * 128 + letters.charCodeAt(n + 1));
        }
        found.pinyin.push(initials);
      }
    }
    return found;
  }

  // ---------------------------------------------------------------- files
  var files = {};
  function bytes(path) {
    if (!files[path]) {
      files[path] = fetch(base + path, path === "index.json" ? { cache: "no-cache" } : {}).then(function (r) {
        if (!r.ok) { throw new Error(path + ": " + r.status); }
        return r.arrayBuffer();
      }).then(function (buffer) {
        var data = new Uint8Array(buffer);
        if (data[0] !== 0x1f || data[1] !== 0x8b) { return data; } // a server already unpacked it
        var stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("gzip"));
        return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b); });
      });
    }
    return files[path];
  }
  function json(path) {
    return bytes(path).then(function (data) { return JSON.parse(new TextDecoder().decode(data)); });
  }

  function Reader(data, at) { this.data = data; this.at = at || 0; }
  Reader.prototype.next = function () {
    var value = 0, scale = 1, byte;
    do {
      byte = this.data[this.at++];
      value += (byte & 127) * scale;
      scale *= 128;
    } while (byte & 128);
    return value;
  };

  // The entry of a term in its bucket: records, weights (2 × count + in title), and its positions on demand.
  function Entry(key, df, data, docsAt, weightsAt, inlineAt, inlineSize) {
    var r = new Reader(data, docsAt), w = new Reader(data, weightsAt), doc = 0;
    this.key = key;
    this.docs = [];
    this.weights = [];
    for (var i = 0; i < df; i++) {
      doc += r.next();
      this.docs.push(doc);
      this.weights.push(w.next());
    }
    this.data = data;
    this.inlineAt = inlineAt;
    this.inlineSize = inlineSize;
  }
  Entry.prototype.index = function () {
    if (!this.rank) {
      this.rank = {};
      for (var i = 0; i < this.docs.length; i++) { this.rank[this.docs[i]] = i; }
    }
    return this.rank;
  };
  // Positions of the postings of the given records: doc → [positions].
  Entry.prototype.positions = function (docs, manifest) {
    var self = this, rank = this.index(), found = {};
    function read(reader, from, to, wanted) {
      for (var i = from; i < to; i++) {
        var count = self.weights[i] >> 1, p = 0, list = [];
        for (var j = 0; j < count; j++) { p += reader.next(); list.push(p); }
        if (wanted[i]) { found[self.docs[i]] = list; }
      }
    }
    var wanted = {};
    docs.forEach(function (d) { wanted[rank[d]] = true; });
    if (this.inlineSize) {
      read(new Reader(this.data, this.inlineAt), 0, this.docs.length, wanted);
      return Promise.resolve(found);
    }
    var blocks = {};
    docs.forEach(function (d) { blocks[Math.floor(rank[d] / manifest.block)] = true; });
    return Promise.all(Object.keys(blocks).map(function (k) {
      k = Number(k);
      return bytes("p/" + base36(self.key) + "-" + k + ".bin").then(function (data) {
        var from = k * manifest.block;
        read(new Reader(data), from, Math.min(from + manifest.block, self.docs.length), wanted);
      });
    })).then(function () { return found; });
  };

  function entries(keys, manifest) {
    var wanted = {};
    keys.forEach(function (key) { wanted[bucketOf(key, manifest.buckets)] = true; });
    return Promise.all(Object.keys(wanted).map(function (b) { return bytes("t/" + b + ".bin"); })).then(function (datas) {
      var found = {};
      datas.forEach(function (data) {
        var r = new Reader(data), count = r.next(), rows = [], key = 0, i;
        for (i = 0; i < count; i++) {
          key += r.next();
          rows.push([key, r.next(), r.next(), r.next(), r.next()]);
        }
        var docsAt = r.at, weightsAt = docsAt, inlineAt;
        rows.forEach(function (row) { weightsAt += row[2]; });
        inlineAt = weightsAt;
        rows.forEach(function (row) { inlineAt += row[3]; });
        rows.forEach(function (row) {
          if (keys.indexOf(row[0]) >= 0) {
            found[row[0]] = new Entry(row[0], row[1], data, docsAt, weightsAt, inlineAt, row[4]);
          }
          docsAt += row[2];
          weightsAt += row[3];
          inlineAt += row[4];
        });
      });
      return found;
    });
  }

  // ---------------------------------------------------------------- matching
  function intersect(lists) {
    if (!lists.length) { return []; }
    lists = lists.slice().sort(function (a, b) { return a.length - b.length; });
    var result = lists[0];
    lists.slice(1).forEach(function (other) {
      var set = new Set(other);
      result = result.filter(function (d) { return set.has(d); });
    });
    return result;
  }

  // Where in each record the phrase starts: doc → [positions] (a single term: its occurrences, or
  // [-1] where the term has no positions and only its count is known).
  function matches(phrase, found, candidates, manifest) {
    var terms = phrase.map(function (key) { return found[key]; });
    if (terms.some(function (t) { return !t; })) { return Promise.resolve({}); }
    if (terms.length === 1) { // one term: its count and title flag say all
      var only = {}, rank = terms[0].index();
      candidates.forEach(function (d) {
        var w = terms[0].weights[rank[d]];
        only[d] = { count: w >> 1, title: (w & 1) === 1 };
      });
      return Promise.resolve(only);
    }
    // The rarest terms first: each narrows the possible starts of the phrase in each record, and
    // records left with none are dropped before the next, commoner term's positions are fetched.
    var order = terms.map(function (t, i) { return i; }).sort(function (a, b) {
      return terms[a].docs.length - terms[b].docs.length;
    });
    var starts = {};
    candidates.forEach(function (d) { starts[d] = null; });
    function narrow(step) {
      var docs = Object.keys(starts).map(Number);
      if (step === order.length || !docs.length) {
        var result = {};
        docs.forEach(function (d) { result[d] = { count: starts[d].length, first: Math.min.apply(null, starts[d]) }; });
        return Promise.resolve(result);
      }
      var i = order[step];
      return terms[i].positions(docs, manifest).then(function (lists) {
        docs.forEach(function (d) {
          var here = (lists[d] || []).map(function (p) { return p - i; });
          if (starts[d] !== null) {
            var seen = new Set(here);
            here = starts[d].filter(function (p) { return seen.has(p); });
          }
          if (here.length) { starts[d] = here; } else { delete starts[d]; }
        });
        return narrow(step + 1);
      });
    }
    return narrow(0);
  }

  function facts(docs, manifest) {
    var chunks = {};
    docs.forEach(function (d) { chunks[Math.floor(d / manifest.chunk)] = true; });
    return Promise.all(Object.keys(chunks).map(function (k) {
      return json("d/" + k + ".bin").then(function (columns) { return [Number(k), columns]; });
    })).then(function (loaded) {
      var byChunk = {};
      loaded.forEach(function (pair) { byChunk[pair[0]] = pair[1]; });
      var result = {};
      docs.forEach(function (d) {
        var c = byChunk[Math.floor(d / manifest.chunk)], i = d % manifest.chunk, f = {};
        Object.keys(c).forEach(function (name) { f[name] = c[name][i]; });
        result[d] = f;
      });
      return result;
    });
  }

  // Records holding every phrase of the query; each with its score.
  function matching(groups, found, manifest) {
    if (!groups.length) { return Promise.resolve([]); }
    var keys = [].concat.apply([], groups);
    if (keys.some(function (k) { return !found[k]; })) { return Promise.resolve([]); }
    var candidates = intersect(keys.map(function (k) { return found[k].docs; }));
    if (!candidates.length) { return Promise.resolve([]); }
    return Promise.all(groups.map(function (phrase) {
      return matches(phrase, found, candidates, manifest);
    })).then(function (per) {
      var held = candidates.filter(function (d) { return per.every(function (m) { return m[d]; }); });
      return facts(held, manifest).then(function (info) { return [held, info, per]; });
    }).then(function (all) {
      var held = all[0], info = all[1], per = all[2], results = [];
      held.forEach(function (d) {
        var f = info[d], score = 0, title = true;
        per.forEach(function (m) {
          var hit = m[d], n = Object.keys(m).length;
          var idf = Math.log(1 + (manifest.records - n + 0.5) / (n + 0.5));
          var norm = K1 * (1 - B + B * f.length / (manifest.averageLength || 1));
          score += idf * hit.count * (K1 + 1) / (hit.count + norm);
          title = title && (hit.first === undefined ? hit.title : hit.first < f.titleLength);
        });
        results.push({ doc: d, score: score, title: title, facts: f });
      });
      return results;
    });
  }

  // Records whose titles share most of the query's pairs of characters («您是不是要找»).
  function nearest(text, found) {
    var keys = [].concat.apply([], text).filter(function (k) { return k < UNIGRAM; });
    var counts = {};
    keys.forEach(function (key) {
      var t = found[key];
      if (!t) { return; }
      t.docs.forEach(function (d, i) { if (t.weights[i] & 1) { counts[d] = (counts[d] || 0) + 1; } });
    });
    var need = Math.max(1, Math.ceil(keys.length / 2));
    return Object.keys(counts).map(Number).filter(function (d) { return counts[d] >= need; })
      .sort(function (a, b) { return counts[b] - counts[a] || b - a; }).slice(0, 3);
  }

  // ---------------------------------------------------------------- showing
  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text) { el.textContent = text; }
    return el;
  }

  // `text` with every occurrence of the query's runs marked, cut to about `size` characters around
  // the first one.
  function marked(text, parts, size) {
    var chars = Array.from(text), folded = chars.map(normal), hits = [], first = -1;
    parts.forEach(function (part) {
      for (var i = 0; i + part.length <= folded.length; i++) {
        if (part.every(function (ch, k) { return folded[i + k] === ch; })) {
          hits.push([i, i + part.length]);
          if (first < 0 || i < first) { first = i; }
        }
      }
    });
    var from = size && first > 30 ? first - 30 : 0, to = size ? Math.min(chars.length, from + size) : chars.length;
    var out = document.createDocumentFragment(), at = from;
    if (from > 0) { out.appendChild(document.createTextNode("…")); }
    hits.sort(function (a, b) { return a[0] - b[0]; }).forEach(function (h) {
      if (h[0] < at || h[1] > to) { return; }
      out.appendChild(document.createTextNode(chars.slice(at, h[0]).join("")));
      out.appendChild(element("mark", "", chars.slice(h[0], h[1]).join("")));
      at = h[1];
    });
    out.appendChild(document.createTextNode(chars.slice(at, to).join("")));
    if (to < chars.length) { out.appendChild(document.createTextNode("…")); }
    return out;
  }

  function showResult(shown, parts) {
    var li = element("li", "search-result");
    var h = element("h2"), a = element("a");
    a.href = shown.url;
    a.appendChild(marked(shown.title, parts, 0));
    h.appendChild(a);
    if (shown.archived) { h.appendChild(element("span", "tag tag-archived", "已归档")); }
    if (MARKED[shown.status]) { h.appendChild(element("span", "tag tag-status", shown.status)); }
    li.appendChild(h);
    li.appendChild(element("p", "search-meta", [shown.date, shown.column, shown.kind,
      shown.source && "来源：" + shown.source].filter(Boolean).join("　")));
    var excerpt = element("p", "search-excerpt");
    excerpt.appendChild(marked(shown.text.replace(/\s+/g, " "), parts, 120));
    li.appendChild(excerpt);
    return li;
  }

  function pageLink(number, label) {
    var p = new URLSearchParams(params);
    p.set("page", number);
    var a = element("a", "button", label);
    a.href = "/search.html?" + p.toString();
    return a;
  }

  function showPager(page, pages) {
    pager.textContent = "";
    pager.hidden = pages < 2;
    if (page > 1) { pager.appendChild(pageLink(page - 1, "上一页")); }
    pager.appendChild(element("span", "", "第 " + page + " / " + pages + " 页"));
    if (page < pages) { pager.appendChild(pageLink(page + 1, "下一页")); }
  }

  function fillFilters(manifest, counts) {
    box.querySelectorAll("select[data-filter]").forEach(function (select) {
      var name = select.getAttribute("data-filter"), values = manifest.filters[name] || [];
      var label = select.options[0].textContent;
      select.textContent = "";
      select.appendChild(element("option", "", label)).value = "";
      values.forEach(function (value, i) {
        var n = counts ? counts[name][i] || 0 : null;
        if (counts && !n && params.get(name) !== value) { return; }
        var option = element("option", "", n === null ? value : value + "（" + n + "）");
        option.value = value;
        select.appendChild(option);
      });
      select.value = params.get(name) || "";
      select.closest("label").hidden = !values.length;
    });
  }

  function run(manifest) {
    var query = (params.get("q") || "").trim().slice(0, 60);
    input.value = query;
    fillFilters(manifest, null);
    if (!query) { status.textContent = "请输入要查找的内容"; return Promise.resolve(); }
    status.textContent = "正在搜索……";
    var wanted = phrases(query, manifest);
    var keys = [].concat.apply([], wanted.text.concat(wanted.pinyin));
    return entries(keys, manifest).then(function (found) {
      return Promise.all([matching(wanted.text, found, manifest)].concat(wanted.pinyin.map(function (p) {
        return matching([p], found, manifest);
      }))).then(function (sets) {
        var byDoc = {};
        sets.forEach(function (set, n) {
          set.forEach(function (r) {
            if (n > 0) { r.title = true; }
            if (!byDoc[r.doc] || byDoc[r.doc].score < r.score) { byDoc[r.doc] = r; }
          });
        });
        var all = Object.keys(byDoc).map(function (d) { return byDoc[d]; });
        return show(query, wanted, found, all, manifest);
      });
    });
  }

  function show(query, wanted, found, all, manifest) {
    var counts = {};
    FILTERS.forEach(function (name) { counts[name] = {}; });
    all.forEach(function (r) {
      FILTERS.forEach(function (name) { counts[name][r.facts[name]] = (counts[name][r.facts[name]] || 0) + 1; });
    });
    fillFilters(manifest, counts);
    var results = all.filter(function (r) {
      return FILTERS.every(function (name) {
        var value = params.get(name);
        return !value || manifest.filters[name][r.facts[name]] === value;
      });
    });
    if (params.get("sort") === "date") {
      results.sort(function (a, b) { return b.doc - a.doc; });
    } else {
      results.sort(function (a, b) { return (b.title - a.title) || (b.score - a.score) || (b.doc - a.doc); });
    }
    var pages = Math.max(1, Math.ceil(results.length / PAGE));
    var page = Math.min(pages, Math.max(1, parseInt(params.get("page"), 10) || 1));
    var parts = runs(normalised(query));
    if (!results.length) {
      var near = all.length ? [] : nearest(wanted.text, found);
      return Promise.all(near.map(function (d) { return json("x/" + d + ".bin"); })).then(function (shown) {
        suggest.textContent = "";
        suggest.hidden = !shown.length;
        if (shown.length) { suggest.appendChild(element("span", "", "您是不是要找：")); }
        shown.forEach(function (s) {
          var a = element("a", "", s.title);
          a.href = s.url;
          suggest.appendChild(a);
        });
        // The status last: when it is announced, everything it speaks of is on the page.
        status.textContent = "没有找到与“" + query + "”相关的信息。请检查错别字，换一个更短或更常用的词，" +
          "或去掉栏目、年份等限定；也可以查看网站地图。";
      });
    }
    var slice = results.slice((page - 1) * PAGE, page * PAGE);
    return Promise.all(slice.map(function (r) { return json("x/" + r.doc + ".bin"); })).then(function (shown) {
      list.textContent = "";
      shown.forEach(function (s) { list.appendChild(showResult(s, parts)); });
      showPager(page, pages);
      status.textContent = "找到 " + results.length + " 条与“" + query + "”相关的信息" +
        (pages > 1 ? "，第 " + page + " / " + pages + " 页" : "");
    });
  }

  form.addEventListener("change", function (event) {
    if (event.target.tagName === "SELECT" && input.value.trim()) { form.requestSubmit(); }
  });

  json("index.json").then(function (manifest) {
    manifest.syllableIds = {};
    manifest.syllables.split(" ").forEach(function (s, i) { manifest.syllableIds[s] = i; });
    return run(manifest);
  }).catch(function (error) {
    if (window.console) { console.error(error); } // for the webmaster: which file failed, and why
    status.textContent = "搜索暂时无法使用，请稍后再试，或通过网站地图查找信息。";
  });
})();
