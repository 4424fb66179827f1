/* The search page: Pagefind's index (built with its Chinese word segmentation) through its JS API,
   with filters by 栏目 and 年份, sorting by date, and a helpful message when nothing is found. */
(function () {
  "use strict";
  var box = document.querySelector("[data-search]");
  if (!box) { return; }
  var form = box.querySelector("form");
  var input = form.querySelector("input[name=q]");
  var status = box.querySelector(".search-status");
  var list = box.querySelector(".search-results");
  var params = new URLSearchParams(location.search);
  var pagefind = null;

  // A large site's index comes in parts, one per period, newest first (data-bundles). Each part is
  // opened with its own copy of Pagefind; results are merged here: by score, or, when sorting by
  // date, part after part (the parts hold disjoint periods, so that is newest first overall).
  function load() {
    if (!pagefind) {
      var bundles = (box.getAttribute("data-bundles") || "pagefind").split(" ");
      pagefind = Promise.all(bundles.map(function (bundle) {
        var base = "/" + bundle + "/";
        return import(base + "pagefind.js").then(function (pf) {
          return pf.options({ excerptLength: 40, basePath: base }).then(function () { return pf; });
        });
      })).then(merged);
    }
    return pagefind;
  }

  function merged(parts) {
    return {
      filters: function () {
        return Promise.all(parts.map(function (pf) { return pf.filters(); })).then(function (all) {
          var total = {};
          all.forEach(function (filters) {
            Object.keys(filters).forEach(function (name) {
              var values = total[name] = total[name] || {};
              Object.keys(filters[name]).forEach(function (value) {
                values[value] = (values[value] || 0) + filters[name][value];
              });
            });
          });
          return total;
        });
      },
      search: function (query, options) {
        return Promise.all(parts.map(function (pf) { return pf.search(query, options); })).then(function (all) {
          var results = [].concat.apply([], all.map(function (search) { return search ? search.results : []; }));
          if (!(options.sort && options.sort.date)) {
            results.sort(function (a, b) { return b.score - a.score; });
          }
          return { results: results };
        });
      }
    };
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text) { el.textContent = text; }
    return el;
  }

  function fillFilters(pf) {
    return pf.filters().then(function (filters) {
      box.querySelectorAll("select[data-filter]").forEach(function (select) {
        var values = filters[select.getAttribute("data-filter")] || {};
        Object.keys(values).sort().reverse().forEach(function (value) {
          var option = element("option", "", value + "（" + values[value] + "）");
          option.value = value;
          select.appendChild(option);
        });
        select.value = params.get(select.name) || "";
      });
    });
  }

  // Pagefind segments Chinese when it indexes, but has no Chinese segmenter in the browser: a query
  // is matched as one word. When a longer Chinese query finds nothing, search again with it cut
  // into two-character words ("时段安排" → "时段 安排"), which Pagefind then requires together.
  function chunked(query) {
    if (!/^[\u4e00-\u9fff]{3,}$/.test(query)) { return null; }
    var words = [];
    for (var i = 0; i < query.length; i += 2) { words.push(query.slice(i, i + 2)); }
    if (words.length > 1 && words[words.length - 1].length === 1) { words[words.length - 2] += words.pop(); }
    return words.join(" ");
  }

  function find(pf, query, options) {
    return pf.search(query, options).then(function (search) {
      var retry = chunked(query);
      if (search.results.length || !retry) { return search; }
      return pf.search(retry, options);
    });
  }

  function show(query, results) {
    list.textContent = "";
    if (!results.length) {
      status.textContent = "没有找到与“" + query + "”相关的信息。请检查错别字，换一个更短或更常用的词，" +
        "或去掉栏目和年份的限定；也可以查看网站地图。";
      return;
    }
    status.textContent = "找到 " + results.length + " 条与“" + query + "”相关的信息";
    var pinyin = /^[a-z\s]+$/i.test(query);
    results.forEach(function (data) {
      var li = element("li", "search-result");
      var h = element("h2");
      var a = element("a", "", data.meta.title);
      a.href = data.meta.link || data.url;
      h.appendChild(a);
      if (data.meta.archived) { h.appendChild(element("span", "tag tag-archived", "已归档")); }
      li.appendChild(h);
      var meta = element("p", "search-meta");
      meta.textContent = [data.meta.date, data.meta.column, data.meta.source && "来源：" + data.meta.source]
        .filter(Boolean).join("　");
      li.appendChild(meta);
      var excerpt = element("p", "search-excerpt");
      if (pinyin) { excerpt.textContent = data.meta.summary || ""; } else { excerpt.innerHTML = data.excerpt; }
      li.appendChild(excerpt);
      list.appendChild(li);
    });
  }

  function run() {
    var query = (params.get("q") || "").trim();
    input.value = query;
    load().then(function (pf) {
      return fillFilters(pf).then(function () {
        if (!query) { status.textContent = "请输入要查找的内容"; return; }
        status.textContent = "正在搜索……";
        var filters = {};
        box.querySelectorAll("select[data-filter]").forEach(function (select) {
          if (select.value) { filters[select.getAttribute("data-filter")] = select.value; }
        });
        var options = { filters: filters };
        if (params.get("sort") === "date") { options.sort = { date: "desc" }; }
        return find(pf, query, options).then(function (search) {
          return Promise.all(search.results.slice(0, 50).map(function (r) { return r.data(); }));
        }).then(function (results) { show(query, results); });
      });
    }).catch(function () {
      status.textContent = "搜索暂时无法使用，请稍后再试，或通过网站地图查找信息。";
    });
  }
  run();
})();
