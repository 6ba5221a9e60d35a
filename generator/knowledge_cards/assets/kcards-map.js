/* Knowledge Cards: the "Knowledge map" page.
 *
 * The page holds <div data-kc-map data-kc-graph="../graph.json" data-kc-root="../">.
 * This script (loaded on every page) does nothing elsewhere. On a map page it
 * loads its stylesheet and cytoscape (once, from the site itself), reads
 * graph.json and draws every card. Next to the drawing it builds the same cards
 * as a list of links under their parents: the keyboard and screen-reader way
 * through the map, and what the filters narrow down together with the drawing.
 *
 * Layout: a "radial forest" computed here, in linear time. Every card sits on a
 * ring around its top-level card (the parent tree from `parent:`), placeholders
 * next to the first card that links to them; each subtree gets a slice of the
 * circle in proportion to its leaves and rings are spaced so that neighbours
 * never crowd. It is deterministic (the same picture on every visit), takes a
 * few milliseconds at 500 cards where cytoscape's force layout ("cose") froze
 * the page for seconds, and leaf labels point outwards so they never overlap.
 *
 * Titles are text written by authors: they reach the page through textContent
 * and cytoscape's canvas labels, never through innerHTML.
 */
(function () {
  "use strict";

  var CYTOSCAPE = "assets/kcards/vendor/cytoscape.min.js";
  var STYLESHEET = "assets/kcards/kcards-map.css";
  var STATUSES = {
    complete: { label: "Complete", note: "" },
    draft: { label: "Draft", note: "draft" },
    stub: { label: "Stub", note: "stub" },
    placeholder: { label: "Not written yet", note: "not written yet" }
  };
  /* Edge kinds, strongest first: when one card links another in several ways, one line is drawn. */
  var KINDS = [
    { kind: "parent", label: "Parent", dash: null, width: 2, arrow: false },
    { kind: "prerequisite", label: "Prerequisite", dash: [8, 4], width: 1.5, arrow: true },
    { kind: "explore", label: "Explore next", dash: [6, 5], width: 1.2, arrow: true },
    { kind: "related", label: "Related", dash: [2, 4], width: 1.2, arrow: false },
    { kind: "loop", label: "Loop stage", dash: [10, 4, 2, 4], width: 1.2, arrow: false },
    { kind: "body", label: "Link in text", dash: [2, 5], width: 1, arrow: false }
  ];
  var SVG = "http://www.w3.org/2000/svg";

  // Layout metrics, in model pixels (zoom 1).
  var NODE = 18;
  var FONT_SIZE = 12;
  var RING_GAP = 100; // between rings of a tree
  var LEAF_SPACING = 28; // along a ring, between outward-labelled leaves
  var FAR_ZOOM = 0.4; // below this zoom lines are drawn without dashes or arrows, cards bigger
  var FARTHER_ZOOM = 0.15; // and below this, bigger still
  var LABEL_MAX = 170; // labels longer than this end with an ellipsis
  var TREE_GAP = 80; // between trees

  var instances = [];
  var counter = 0;
  var cytoscapeLoading = null;
  var stylesheetLoading = null;

  // -- small helpers ---------------------------------------------------------------
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        if (attrs[name] === true) node.setAttribute(name, "");
        else if (attrs[name] !== false && attrs[name] != null) node.setAttribute(name, attrs[name]);
      });
    }
    if (text != null) node.textContent = text;
    return node;
  }

  function withSlash(root) {
    root = root || ".";
    return root.charAt(root.length - 1) === "/" ? root : root + "/";
  }

  function absolute(url) {
    return new URL(url, window.location.href).href;
  }

  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  /* A label no wider than LABEL_MAX: cut at a word where possible, with an ellipsis. */
  function shorten(title) {
    if (labelWidth(title) < LABEL_MAX) return title;
    var words = title.split(" ");
    var text = "";
    for (var i = 0; i < words.length; i++) {
      var next = text ? text + " " + words[i] : words[i];
      if (labelWidth(next + "…") >= LABEL_MAX) break;
      text = next;
    }
    if (!text) {
      for (var j = 1; j <= title.length && labelWidth(title.slice(0, j) + "…") < LABEL_MAX; j++) text = title.slice(0, j);
    }
    return text + "…";
  }

  var collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
  function byTitle(a, b) {
    return collator.compare(a.title, b.title) || (a.slug < b.slug ? -1 : 1);
  }

  /* How wide a label is drawn (capped where the ellipsis starts): measured on a canvas. */
  var measure = null;
  function labelWidth(title) {
    if (!measure) {
      measure = document.createElement("canvas").getContext("2d");
      if (measure) measure.font = FONT_SIZE + "px " + (window.getComputedStyle(document.body).fontFamily || "sans-serif");
    }
    var width = measure ? measure.measureText(title).width : 0.6 * FONT_SIZE * title.length;
    return Math.min(LABEL_MAX, Math.ceil(width));
  }

  /* A script or stylesheet from the site, added to <head> once per document. */
  function loadOnce(tag, url, attr) {
    var existing = document.head.querySelector(tag + "[" + attr + "]");
    if (existing && (tag === "script" ? window.cytoscape : existing.sheet)) return Promise.resolve();
    return new Promise(function (resolve, reject) {
      var node = existing;
      if (!node) {
        node = tag === "script" ? el("script", { src: url }) : el("link", { rel: "stylesheet", href: url });
        node.setAttribute(attr, "");
      }
      node.addEventListener("load", function () { resolve(); });
      node.addEventListener("error", function () { reject(new Error("could not load " + url)); });
      if (!existing) document.head.appendChild(node);
    });
  }

  function loadCytoscape(root) {
    if (window.cytoscape) return Promise.resolve();
    if (!cytoscapeLoading) {
      cytoscapeLoading = loadOnce("script", absolute(root + CYTOSCAPE), "data-kc-cytoscape").catch(function (error) {
        cytoscapeLoading = null;
        throw error;
      });
    }
    return cytoscapeLoading;
  }

  function loadStylesheet(root) {
    if (!stylesheetLoading) {
      // A missing stylesheet makes the map plainer, not broken.
      stylesheetLoading = loadOnce("link", absolute(root + STYLESHEET), "data-kc-map-css").catch(function () {});
    }
    return stylesheetLoading;
  }

  // -- the graph -------------------------------------------------------------------
  /* graph.json checked and indexed: nodes by slug, one edge per ordered pair, the parent tree. */
  function readGraph(data) {
    if (!data || !Array.isArray(data.nodes) || !Array.isArray(data.edges)) throw new Error("graph.json has no nodes and edges");
    var nodes = [];
    var bySlug = Object.create(null);
    data.nodes.forEach(function (raw) {
      if (!raw || typeof raw.slug !== "string" || bySlug[raw.slug]) return;
      var node = {
        slug: raw.slug,
        title: typeof raw.title === "string" && raw.title ? raw.title : raw.slug,
        status: STATUSES[raw.status] ? raw.status : "complete",
        url: typeof raw.url === "string" ? raw.url : "",
        tags: Array.isArray(raw.tags) ? raw.tags.filter(function (t) { return typeof t === "string"; }) : []
      };
      node.key = fold(node.title + " " + node.slug);
      bySlug[node.slug] = node;
      nodes.push(node);
    });
    nodes.sort(byTitle);

    var rank = {};
    KINDS.forEach(function (k, i) { rank[k.kind] = i; });
    var pairs = Object.create(null);
    data.edges.forEach(function (raw) {
      if (!raw || !bySlug[raw.source] || !bySlug[raw.target] || raw.source === raw.target) return;
      var kind = rank[raw.kind] === undefined ? "body" : raw.kind;
      var id = raw.source + "\u0000" + raw.target;
      if (!pairs[id] || rank[kind] < rank[pairs[id].kind]) pairs[id] = { source: raw.source, target: raw.target, kind: kind };
    });
    var edges = Object.keys(pairs).sort().map(function (id) { return pairs[id]; });

    // The parent tree, as authors wrote it (`parent:` edges go child -> parent).
    var parent = Object.create(null);
    edges.forEach(function (e) {
      if (e.kind === "parent" && !parent[e.source] && bySlug[e.source].status !== "placeholder") parent[e.source] = e.target;
    });
    breakCycles(nodes, parent);

    // For the drawing, a placeholder sits next to the first written card that links to it,
    // unless cards name it as their parent: then it heads their tree, as an unwritten top.
    var anchor = Object.create(null);
    var heads = Object.create(null);
    Object.keys(parent).forEach(function (slug) {
      anchor[slug] = parent[slug];
      heads[parent[slug]] = true;
    });
    edges.slice().sort(function (a, b) { return rank[a.kind] - rank[b.kind]; }).forEach(function (e) {
      var target = e.target;
      if (bySlug[target].status === "placeholder" && bySlug[e.source].status !== "placeholder" && !anchor[target] && !heads[target]) {
        anchor[target] = e.source;
      }
    });
    breakCycles(nodes, anchor);

    var tags = [];
    var seen = Object.create(null);
    nodes.forEach(function (n) {
      n.tags.forEach(function (t) {
        if (!seen[t]) { seen[t] = true; tags.push(t); }
      });
    });
    tags.sort(collator.compare);
    return { nodes: nodes, bySlug: bySlug, edges: edges, parent: parent, anchor: anchor, tags: tags };
  }

  function breakCycles(nodes, up) {
    var state = Object.create(null); // 1: on the current path, 2: known to reach a root
    nodes.forEach(function (n) {
      var path = [];
      var slug = n.slug;
      while (slug && !state[slug]) {
        state[slug] = 1;
        path.push(slug);
        var next = up[slug];
        if (next && state[next] === 1) { delete up[slug]; break; }
        slug = next;
      }
      path.forEach(function (s) { state[s] = 2; });
    });
  }

  function childrenOf(nodes, up) {
    var children = Object.create(null);
    var roots = [];
    nodes.forEach(function (n) {
      var p = up[n.slug];
      if (p) (children[p] = children[p] || []).push(n);
      else roots.push(n);
    });
    // Written cards before placeholders, each by title (nodes are sorted by title already).
    Object.keys(children).forEach(function (p) {
      children[p].sort(function (a, b) {
        return (a.status === "placeholder") - (b.status === "placeholder") || byTitle(a, b);
      });
    });
    return { children: children, roots: roots };
  }

  // -- the layout: a radial tree per top-level card, trees packed in rows ----------
  function layout(graph, aspect) {
    var tree = childrenOf(graph.nodes, graph.anchor);
    var kids = function (slug) { return tree.children[slug] || []; };
    var leaves = Object.create(null);
    function countLeaves(node) {
      var list = kids(node.slug);
      var total = 0;
      for (var i = 0; i < list.length; i++) total += countLeaves(list[i]);
      leaves[node.slug] = total || 1;
      return leaves[node.slug];
    }
    var placed = Object.create(null);
    var boxes = tree.roots.map(function (root) {
      countLeaves(root);
      // Angles: each child gets a slice of its parent's slice, in proportion to its leaves.
      var byDepth = [];
      var angle = Object.create(null);
      var depthOf = Object.create(null);
      (function visit(node, from, to, depth) {
        angle[node.slug] = (from + to) / 2;
        depthOf[node.slug] = depth;
        (byDepth[depth] = byDepth[depth] || []).push({ node: node, slice: to - from });
        var list = kids(node.slug);
        var start = from;
        list.forEach(function (child) {
          var share = ((to - from) * leaves[child.slug]) / leaves[node.slug];
          visit(child, start, start + share, depth + 1);
          start += share;
        });
      })(root, -Math.PI / 2, (3 * Math.PI) / 2, 0);
      // Rings: far enough apart, and wide enough that neighbours on a ring keep their distance.
      var radius = [0];
      for (var d = 1; d < byDepth.length; d++) {
        var r = radius[d - 1] + RING_GAP;
        byDepth[d].forEach(function (entry) {
          // Leaves take room across the ring (their labels point outwards). Other cards have their
          // label underneath: neighbours on the ring must clear it sideways or vertically.
          var room = LEAF_SPACING;
          if (kids(entry.node.slug).length) {
            var a = angle[entry.node.slug];
            room = Math.min((labelWidth(entry.node.title) + 16) / Math.max(Math.abs(Math.sin(a)), 1e-6), (FONT_SIZE + NODE + 12) / Math.max(Math.abs(Math.cos(a)), 1e-6));
          }
          var need = room / Math.max(entry.slice, 1e-6);
          // A lone child keeps the whole circle: no need to push the ring out for it.
          if (entry.slice < 2 * Math.PI - 1e-9) r = Math.max(r, need);
        });
        radius.push(r);
      }
      var box = { minX: 0, maxX: 0, minY: 0, maxY: 0, members: [] };
      Object.keys(angle).forEach(function (slug) {
        var a = angle[slug];
        var rr = radius[depthOf[slug]];
        var p = { x: rr * Math.cos(a), y: rr * Math.sin(a), angle: a, leaf: depthOf[slug] > 0 && kids(slug).length === 0 };
        // What the card and its label cover, relative to its centre.
        var w = labelWidth(graph.bySlug[slug].title);
        if (p.leaf) {
          var reach = w + 12;
          p.extent = {
            minX: Math.min(-NODE, reach * Math.cos(a)) - 8,
            maxX: Math.max(NODE, reach * Math.cos(a)) + 8,
            minY: Math.min(-NODE, reach * Math.sin(a)) - 8,
            maxY: Math.max(NODE, reach * Math.sin(a)) + 8
          };
        } else {
          p.extent = { minX: -Math.max(NODE, w / 2), maxX: Math.max(NODE, w / 2), minY: -NODE, maxY: NODE + FONT_SIZE + 8 };
        }
        box.minX = Math.min(box.minX, p.x + p.extent.minX);
        box.maxX = Math.max(box.maxX, p.x + p.extent.maxX);
        box.minY = Math.min(box.minY, p.y + p.extent.minY);
        box.maxY = Math.max(box.maxY, p.y + p.extent.maxY);
        placed[slug] = p;
        box.members.push(slug);
      });
      box.size = box.members.length;
      return box;
    });
    pack(boxes, placed, aspect || 1.6);
    return placed;
  }

  /* Shelf-pack the trees, biggest first; of a few row widths, keep the one whose block
     best fits a view of the given aspect (width / height). */
  function pack(boxes, placed, aspect) {
    boxes.sort(function (a, b) { return b.size - a.size || b.maxX - b.minX - (a.maxX - a.minX); });
    var widest = 0;
    var sum = 0;
    boxes.forEach(function (b) {
      widest = Math.max(widest, b.maxX - b.minX);
      sum += b.maxX - b.minX + TREE_GAP;
    });
    function shelve(rowWidth, apply) {
      var x = 0;
      var y = 0;
      var rowHeight = 0;
      var width = 0;
      boxes.forEach(function (b) {
        var w = b.maxX - b.minX;
        if (x > 0 && x + w > rowWidth) {
          x = 0;
          y += rowHeight + TREE_GAP;
          rowHeight = 0;
        }
        if (apply) {
          b.members.forEach(function (slug) {
            placed[slug].x += x - b.minX;
            placed[slug].y += y - b.minY;
          });
        }
        x += w + TREE_GAP;
        width = Math.max(width, x - TREE_GAP);
        rowHeight = Math.max(rowHeight, b.maxY - b.minY);
      });
      return { width: width, height: y + rowHeight };
    }
    var best = widest;
    var bestScale = 0;
    for (var i = 0; i <= 24; i++) {
      var rowWidth = widest + ((sum - widest) * i) / 24;
      var size = shelve(rowWidth, false);
      var scale = Math.min(aspect / size.width, 1 / size.height); // the zoom that fits a view 1 high
      if (scale > bestScale * 1.0001) {
        bestScale = scale;
        best = rowWidth;
      }
    }
    shelve(best, true);
  }

  // -- colours and cytoscape style ---------------------------------------------------
  function palette(container) {
    var css = window.getComputedStyle(container);
    var read = function (name, fallback) { return css.getPropertyValue(name).trim() || fallback; };
    var surface = window.getComputedStyle(document.body).backgroundColor;
    if (!surface || surface === "transparent" || /rgba\(.*,\s*0\)$/.test(surface)) surface = "#ffffff";
    var colours = {
      surface: surface,
      card: read("--kc-map-card", "#3949ab"),
      cardBorder: read("--kc-map-card-border", "#1a237e"),
      muted: read("--kc-map-muted", "#6b6b6b"),
      label: read("--kc-map-label", "#1f1f1f"),
      focus: read("--kc-map-focus", "#d84315"),
      font: window.getComputedStyle(document.body).fontFamily || "sans-serif"
    };
    KINDS.forEach(function (k) { colours[k.kind] = read("--kc-map-edge-" + k.kind, "#888888"); });
    return colours;
  }

  /* Cytoscape's stylesheet. In a big map the lines other than parent links are faint
     until a card is pointed at or focused: then its own links stand out. */
  function cyStyle(c, big) {
    var faint = big ? 0.22 : 0.6;
    var style = [
      {
        selector: "node",
        style: {
          width: NODE,
          height: NODE,
          "background-color": c.card,
          "border-width": 2,
          "border-color": c.cardBorder,
          label: "data(label)",
          "font-family": c.font,
          "font-size": FONT_SIZE,
          color: c.label,
          "text-outline-color": c.surface,
          "text-outline-width": 2,
          "text-valign": "bottom",
          "text-halign": "center",
          "text-margin-y": 4,
          "min-zoomed-font-size": 9
        }
      },
      // Outward labels for leaves: they never run into another card of the tree.
      {
        selector: "node.kc-out",
        style: { "text-valign": "center", "text-halign": "right", "text-margin-y": 0, "text-margin-x": 5, "text-rotation": "data(rot)" }
      },
      { selector: "node.kc-out.kc-west", style: { "text-halign": "left", "text-margin-x": -5 } },
      // Draft: half filled. Stub: an outline. Placeholder: dashed, muted, smaller.
      {
        selector: "node.kc-draft",
        style: { "background-color": c.surface, "pie-size": "100%", "pie-1-background-color": c.card, "pie-1-background-size": 50 }
      },
      { selector: "node.kc-stub", style: { "background-color": c.surface, "border-color": c.card, "border-width": 3 } },
      {
        selector: "node.kc-placeholder",
        style: {
          width: 14,
          height: 14,
          "background-color": c.surface,
          "border-color": c.muted,
          "border-style": "dashed",
          "border-width": 2,
          color: c.muted,
          "font-style": "italic"
        }
      },
      {
        selector: "edge",
        style: {
          width: 1,
          "curve-style": "straight",
          "line-color": c.body,
          opacity: faint,
          "target-arrow-shape": "none",
          "target-arrow-color": c.body,
          "arrow-scale": 0.6
        }
      }
    ];
    KINDS.forEach(function (k) {
      var s = { width: k.width, "line-color": c[k.kind], "target-arrow-color": c[k.kind] };
      if (k.arrow) s["target-arrow-shape"] = "triangle";
      if (k.dash) {
        s["line-style"] = "dashed";
        s["line-dash-pattern"] = k.dash;
      } else {
        s["line-style"] = "solid";
        s.opacity = 0.85;
      }
      style.push({ selector: "edge.kc-" + k.kind, style: s });
    });
    style.push(
      { selector: "edge.kc-near", style: { opacity: 1, width: 2.5, "z-index": 9 } },
      { selector: "edge.kc-parent.kc-near", style: { width: 3.5 } },
      {
        selector: "node.kc-active",
        style: {
          "underlay-color": c.focus,
          "underlay-opacity": 0.45,
          "underlay-padding": 7,
          "underlay-shape": "ellipse",
          "border-color": c.focus,
          "z-index": 10,
          "min-zoomed-font-size": 0
        }
      },
      // Zoomed far out, dashes would be specks costing thousands of strokes: plain lines instead;
      // cards and lines grow so that the overview still shows them (labels appear closer in).
      { selector: "edge.kc-far", style: { "line-style": "solid", "target-arrow-shape": "none" } },
      { selector: "node.kc-far", style: { width: 26, height: 26 } },
      { selector: "node.kc-far.kc-placeholder", style: { width: 20, height: 20 } },
      { selector: "node.kc-farther", style: { width: 44, height: 44, "border-width": 5 } },
      { selector: "node.kc-farther.kc-placeholder", style: { width: 34, height: 34 } },
      { selector: "edge.kc-farther", style: { width: 3 } },
      { selector: "edge.kc-farther.kc-parent", style: { width: 6 } },
      { selector: ".kc-hidden, .kc-off", style: { display: "none" } }
    );
    return style;
  }

  // -- the page --------------------------------------------------------------------
  function setup(container) {
    if (container.__kcMap) return;
    var started = window.performance.now();
    var id = "kc-map-" + ++counter;
    var root = withSlash(container.getAttribute("data-kc-root"));
    var graphUrl = container.getAttribute("data-kc-graph") || root + "graph.json";
    var map = { container: container, cy: null, graph: null, state: "loading", active: null };
    container.__kcMap = map;
    container.setAttribute("data-kc-map-state", "loading");
    instances.push(map);

    // Controls: filters on the left, view buttons on the right.
    var toolbar = el("div", { class: "kc-map__toolbar" });
    var searchField = el("div", { class: "kc-map__field" });
    var search = el("input", { type: "search", id: id + "-search", autocomplete: "off", spellcheck: "false" });
    searchField.append(el("label", { for: id + "-search" }, "Find a card"), search);
    var tagField = el("div", { class: "kc-map__field" });
    var tagSelect = el("select", { id: id + "-tag" });
    tagSelect.append(el("option", { value: "" }, "All tags"));
    tagField.append(el("label", { for: id + "-tag" }, "Filter by tag"), tagSelect);
    var buttons = el("div", { class: "kc-map__buttons", role: "group", "aria-label": "Map view" });
    var zoomIn = el("button", { type: "button", class: "kc-map__button", "data-kc-map-zoom": "in" }, "Zoom in");
    var zoomOut = el("button", { type: "button", class: "kc-map__button", "data-kc-map-zoom": "out" }, "Zoom out");
    var fit = el("button", { type: "button", class: "kc-map__button", "data-kc-map-zoom": "fit" }, "Show all");
    var full = el("button", { type: "button", class: "kc-map__button", "data-kc-map-fullscreen": true }, "Full screen");
    buttons.append(zoomIn, zoomOut, fit);
    if (document.fullscreenEnabled) buttons.append(full);
    toolbar.append(searchField, tagField, buttons);
    var count = el("p", { class: "kc-map__count", role: "status", "data-kc-map-count": true }, "Loading the map…");

    var stage = el("div", { class: "kc-map__stage" });
    var canvas = el("div", {
      class: "kc-map__canvas",
      tabindex: "0",
      role: "application",
      "aria-roledescription": "map",
      "aria-label": "Knowledge map",
      "aria-describedby": id + "-help"
    });
    var tip = el("div", { class: "kc-map__tip", "aria-hidden": "true", hidden: true });
    var hint = el("div", { class: "kc-map__hint", "aria-hidden": "true", hidden: true }, "Hold Ctrl (⌘ on a Mac) and scroll to zoom the map");
    var announce = el("p", { class: "kc-map__sr", "aria-live": "polite", "data-kc-map-announce": true });
    stage.append(canvas, tip, hint);
    var help = el(
      "p",
      { class: "kc-map__help", id: id + "-help" },
      "Drag to move around, Ctrl + scroll or pinch to zoom, select a card to open it. " +
        "With a keyboard: Tab to the map, use the arrow keys to go from card to card, Enter to open one, + and − to zoom, 0 to show all. " +
        "Every card is also listed under \u201cAll cards\u201d below."
    );
    var legend = el("div", { class: "kc-map__legend" });
    var listSection = el("section", { class: "kc-map__list", "aria-labelledby": id + "-list" });
    listSection.append(el("h2", { id: id + "-list" }, "All cards"));
    var listBody = el("div", { "data-kc-map-list": true });
    var empty = el("p", { hidden: true }, "No card matches these filters.");
    listSection.append(
      el("p", null, "The cards of the map, each under its parent card; the filters above apply here too."),
      listBody,
      empty
    );
    container.append(toolbar, count, stage, announce, help, legend, listSection);
    map.parts = { search: search, tagSelect: tagSelect, count: count, canvas: canvas, stage: stage, tip: tip, hint: hint, announce: announce, listBody: listBody, empty: empty, full: full };

    var graphRequest = window.fetch(graphUrl, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error("graph.json: HTTP " + response.status);
      return response.json();
    });
    graphRequest
      .then(function (data) {
        if (map.state === "gone") return null;
        map.graph = readGraph(data);
        buildTags(map, container.getAttribute("data-kc-tags"));
        buildList(map, root);
        buildLegend(map, legend, id);
        bindFilters(map);
        applyFilters(map);
        return Promise.all([loadStylesheet(root), loadCytoscape(root)]);
      })
      .then(function (loaded) {
        if (!loaded || map.state === "gone") return;
        draw(map, root, started);
        bindView(map, zoomIn, zoomOut, fit, full);
      })
      .catch(function (error) {
        if (map.state === "gone") return;
        map.state = "error";
        container.setAttribute("data-kc-map-state", "error");
        count.textContent = "The map could not be drawn (" + error.message + "). ";
        var home = el("a", { href: root + "#all-concepts" }, "Every card is listed on the home page.");
        count.append(home);
        stage.hidden = true;
        help.hidden = true;
        buttons.hidden = true;
      });
  }

  function buildTags(map, fromPage) {
    var tags = map.graph.tags;
    var order = (fromPage || "").split(",").filter(function (t) { return tags.indexOf(t) >= 0; });
    tags.forEach(function (t) { if (order.indexOf(t) < 0) order.push(t); });
    order.forEach(function (tag) {
      var n = map.graph.nodes.filter(function (node) { return node.tags.indexOf(tag) >= 0; }).length;
      map.parts.tagSelect.append(el("option", { value: tag }, tag + " (" + n + ")"));
    });
  }

  /* The accessible twin of the drawing: nested lists of links, parents first. */
  function buildList(map, root) {
    var graph = map.graph;
    // Placeholders that are the parent of a card head its tree; the others are listed last.
    var heads = Object.create(null);
    Object.keys(graph.parent).forEach(function (slug) { heads[graph.parent[slug]] = true; });
    var inTree = function (n) { return n.status !== "placeholder" || heads[n.slug]; };
    var tree = childrenOf(graph.nodes.filter(inTree), graph.parent);
    map.items = Object.create(null);
    function item(node) {
      var li = el("li", { class: "kc-map__item kc-map__item--" + node.status, "data-kc-slug": node.slug });
      li.append(el("a", { href: root + node.url }, node.title));
      var note = STATUSES[node.status].note;
      if (note) li.append(" ", el("span", { class: "kc-map__status" }, "(" + note + ")"));
      map.items[node.slug] = li;
      var kids = tree.children[node.slug];
      if (kids) {
        var ul = el("ul");
        kids.forEach(function (k) { ul.append(item(k)); });
        li.append(ul);
      }
      return li;
    }
    var top = el("ul", { class: "kc-map__tree" });
    tree.roots.forEach(function (n) { top.append(item(n)); });
    map.parts.listBody.append(top);
    var placeholders = graph.nodes.filter(function (n) { return !inTree(n); });
    map.unwritten = Object.create(null);
    placeholders.forEach(function (n) { map.unwritten[n.slug] = true; });
    if (placeholders.length) {
      var heading = el("h3", null, "Not written yet");
      var ul = el("ul", { class: "kc-map__tree" });
      placeholders.forEach(function (n) { ul.append(item(n)); });
      map.placeholderHeading = heading;
      map.parts.listBody.append(heading, ul);
    }
  }

  /* An empty, decorative legend swatch of the given size. */
  function swatchSvg(width, height) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "kc-map__swatch");
    svg.setAttribute("width", String(width));
    svg.setAttribute("height", String(height));
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    svg.setAttribute("aria-hidden", "true");
    return svg;
  }

  function swatchNode(status) {
    var svg = swatchSvg(16, 16);
    var circle = function (attrs) {
      var c = document.createElementNS(SVG, "circle");
      c.setAttribute("cx", "8");
      c.setAttribute("cy", "8");
      Object.keys(attrs).forEach(function (k) { c.setAttribute(k, attrs[k]); });
      svg.append(c);
    };
    if (status === "placeholder") {
      circle({ r: "5.5", fill: "none", stroke: "var(--kc-map-muted)", "stroke-width": "2", "stroke-dasharray": "3 2" });
    } else if (status === "stub") {
      circle({ r: "6", fill: "none", stroke: "var(--kc-map-card)", "stroke-width": "2.5" });
    } else {
      circle({ r: "6.5", fill: status === "draft" ? "none" : "var(--kc-map-card)", stroke: "var(--kc-map-card-border)", "stroke-width": "1.5" });
      if (status === "draft") {
        var half = document.createElementNS(SVG, "path");
        half.setAttribute("d", "M8 1.5 A6.5 6.5 0 0 1 8 14.5 Z");
        half.setAttribute("fill", "var(--kc-map-card)");
        svg.append(half);
      }
    }
    return svg;
  }

  function swatchEdge(kind) {
    var svg = swatchSvg(30, 10);
    var line = document.createElementNS(SVG, "line");
    line.setAttribute("x1", "1");
    line.setAttribute("y1", "5");
    line.setAttribute("x2", "29");
    line.setAttribute("y2", "5");
    line.setAttribute("stroke", "var(--kc-map-edge-" + kind.kind + ")");
    line.setAttribute("stroke-width", String(kind.width + 0.5));
    if (kind.dash) line.setAttribute("stroke-dasharray", kind.dash.join(" "));
    svg.append(line);
    return svg;
  }

  /* What the shapes and lines mean; the line kinds double as switches. */
  function buildLegend(map, legend, id) {
    var present = Object.create(null);
    map.graph.nodes.forEach(function (n) { present[n.status] = true; });
    map.graph.edges.forEach(function (e) { present[e.kind] = true; });
    var cards = el("div", { class: "kc-map__statuses" });
    var cardsTitle = el("p", { id: id + "-cards", class: "kc-map__legend-title" });
    cardsTitle.append(el("strong", null, "Cards"));
    var ul = el("ul", { "aria-labelledby": id + "-cards" });
    Object.keys(STATUSES).forEach(function (status) {
      var li = el("li");
      li.append(swatchNode(status), document.createTextNode(STATUSES[status].label));
      ul.append(li);
    });
    cards.append(cardsTitle, ul);
    var kinds = el("fieldset", { class: "kc-map__kinds" });
    kinds.append(el("legend", null, "Links shown"));
    var kul = el("ul");
    map.kindBoxes = [];
    KINDS.forEach(function (k) {
      if (!present[k.kind]) return;
      var li = el("li");
      var label = el("label");
      var box = el("input", { type: "checkbox", value: k.kind, checked: true });
      box.checked = true;
      map.kindBoxes.push(box);
      label.append(box, swatchEdge(k), document.createTextNode(k.label));
      li.append(label);
      kul.append(li);
    });
    kinds.append(kul);
    legend.append(cards);
    if (map.kindBoxes.length) legend.append(kinds);
    kinds.addEventListener("change", function (event) {
      if (!map.cy || !event.target.value) return;
      map.cy.edges(".kc-" + event.target.value).toggleClass("kc-off", !event.target.checked);
    });
  }

  function bindFilters(map) {
    var timer = null;
    map.parts.search.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { applyFilters(map, true); }, 150);
    });
    map.parts.tagSelect.addEventListener("change", function () { applyFilters(map, true); });
  }

  function matcher(map) {
    var tag = map.parts.tagSelect.value;
    var words = fold(map.parts.search.value).split(/\s+/).filter(Boolean);
    return function (node) {
      if (tag && node.tags.indexOf(tag) < 0) return false;
      for (var i = 0; i < words.length; i++) if (node.key.indexOf(words[i]) < 0) return false;
      return true;
    };
  }

  /* Narrow the drawing and the list to the cards that match the tag and the search words. */
  function applyFilters(map, refit) {
    var graph = map.graph;
    if (!graph) return;
    var matches = matcher(map);
    var shown = Object.create(null);
    var total = 0;
    graph.nodes.forEach(function (n) {
      if (matches(n)) { shown[n.slug] = true; total++; }
    });
    // The list keeps the parents of a match visible (dimmed), so it stays a tree.
    var context = Object.create(null);
    Object.keys(shown).forEach(function (slug) {
      for (var p = graph.parent[slug]; p && !context[p]; p = graph.parent[p]) context[p] = true;
    });
    var anyPlaceholder = false;
    graph.nodes.forEach(function (n) {
      var li = map.items[n.slug];
      li.hidden = !shown[n.slug] && !context[n.slug];
      li.classList.toggle("kc-map__item--context", !shown[n.slug] && !!context[n.slug]);
      if (shown[n.slug] && map.unwritten[n.slug]) anyPlaceholder = true;
    });
    if (map.placeholderHeading) map.placeholderHeading.hidden = !anyPlaceholder;
    map.parts.empty.hidden = total > 0;
    var all = graph.nodes.length;
    map.parts.count.textContent = total === all ? "Showing all " + all + " concepts." : "Showing " + total + " of " + all + " concepts.";
    var cy = map.cy;
    if (!cy) return;
    var hidden = map.hidden || Object.create(null);
    cy.batch(function () {
      graph.nodes.forEach(function (n) {
        if (!shown[n.slug] === !!hidden[n.slug]) return;
        cy.getElementById(n.slug).toggleClass("kc-hidden", !shown[n.slug]);
      });
    });
    map.hidden = Object.create(null);
    graph.nodes.forEach(function (n) { if (!shown[n.slug]) map.hidden[n.slug] = true; });
    if (map.active && !shown[map.active]) setActive(map, null);
    if (refit) fitView(map);
  }

  /* Fit the visible cards and their labels (from the layout: no text measuring in cytoscape). */
  function fitView(map) {
    var cy = map.cy;
    var box = null;
    map.graph.nodes.forEach(function (n) {
      if (map.hidden && map.hidden[n.slug]) return;
      var p = map.positions[n.slug];
      if (!box) box = { minX: Infinity, maxX: -Infinity, minY: Infinity, maxY: -Infinity };
      box.minX = Math.min(box.minX, p.x + p.extent.minX);
      box.maxX = Math.max(box.maxX, p.x + p.extent.maxX);
      box.minY = Math.min(box.minY, p.y + p.extent.minY);
      box.maxY = Math.max(box.maxY, p.y + p.extent.maxY);
    });
    if (!box) return;
    var pad = 20;
    var w = Math.max(cy.width() - 2 * pad, 10);
    var h = Math.max(cy.height() - 2 * pad, 10);
    var zoom = Math.min(w / (box.maxX - box.minX), h / (box.maxY - box.minY), 1.5);
    zoom = Math.max(cy.minZoom(), Math.min(cy.maxZoom(), zoom));
    cy.viewport({
      zoom: zoom,
      pan: {
        x: cy.width() / 2 - (zoom * (box.minX + box.maxX)) / 2,
        y: cy.height() / 2 - (zoom * (box.minY + box.maxY)) / 2
      }
    });
  }

  // -- drawing and interaction --------------------------------------------------------
  function draw(map, root, started) {
    var graph = map.graph;
    var parts = map.parts;
    var now = function () { return window.performance.now(); };
    var t0 = now();
    var positions = layout(graph, parts.canvas.clientWidth / Math.max(parts.canvas.clientHeight, 1));
    map.positions = positions;
    map.timing = { layout: Math.round(now() - t0) };
    var elements = [];
    graph.nodes.forEach(function (n) {
      var p = positions[n.slug];
      var west = Math.cos(p.angle) < 0;
      var classes = "kc-" + n.status + (p.leaf ? " kc-out" + (west ? " kc-west" : "") : "");
      elements.push({
        group: "nodes",
        data: { id: n.slug, label: shorten(n.title), rot: west ? p.angle + Math.PI : p.angle },
        position: { x: p.x, y: p.y },
        classes: classes
      });
    });
    graph.edges.forEach(function (e, i) {
      elements.push({ group: "edges", data: { id: "e" + i, source: e.source, target: e.target, kind: e.kind }, classes: "kc-" + e.kind });
    });
    var big = graph.nodes.length > 150 || graph.edges.length > 400;
    var cy = window.cytoscape({
      container: parts.canvas,
      elements: elements,
      style: cyStyle(palette(map.container), big),
      layout: { name: "preset", fit: false },
      minZoom: 0.03,
      maxZoom: 4,
      boxSelectionEnabled: false,
      autounselectify: true,
      autoungrabify: true,
      textureOnViewport: big,
      motionBlur: false
    });
    map.cy = cy;
    map.root = root;
    map.timing.create = Math.round(now() - t0) - map.timing.layout;
    map.far = 0;
    applyFilters(map);
    map.kindBoxes.forEach(function (box) { if (!box.checked) cy.edges(".kc-" + box.value).addClass("kc-off"); });
    fitView(map);
    farView(map);
    map.timing.filter = Math.round(now() - t0) - map.timing.layout - map.timing.create;
    var t1 = now();
    cy.one("render", function () {
      map.timing.render = Math.round(now() - t1);
      map.drawMs = Math.round(window.performance.now() - started);
      map.state = "ready";
      map.container.setAttribute("data-kc-map-state", "ready");
      map.container.setAttribute("data-kc-map-nodes", String(cy.nodes().length));
      map.container.setAttribute("data-kc-map-ms", String(map.drawMs));
    });

    cy.on("tap", "node", function (event) {
      openCard(map, event.target.id(), event.originalEvent);
    });
    cy.on("mouseover", "node", function (event) {
      parts.canvas.style.cursor = "pointer";
      showTip(map, event.target);
    });
    cy.on("mouseout", "node", function () {
      parts.canvas.style.cursor = "";
      showTip(map, map.active ? cy.getElementById(map.active) : null);
    });
    cy.on("viewport", function () {
      if (map.tipFor) placeTip(map, cy.getElementById(map.tipFor));
    });
    cy.on("zoom", function () { farView(map); });

    // Page scrolling goes on over the map; Ctrl/⌘ + wheel (and trackpad pinch) zooms it.
    var hintTimer = null;
    parts.stage.addEventListener(
      "wheel",
      function (event) {
        if (event.ctrlKey || event.metaKey || document.fullscreenElement === parts.stage) return;
        event.stopPropagation();
        parts.hint.hidden = false;
        window.clearTimeout(hintTimer);
        hintTimer = window.setTimeout(function () { parts.hint.hidden = true; }, 1500);
      },
      true
    );
    parts.canvas.addEventListener("keydown", function (event) { onKey(map, event); });
    parts.canvas.addEventListener("blur", function () { showTip(map, null); });
    parts.canvas.addEventListener("focus", function () { if (map.active) showTip(map, cy.getElementById(map.active)); });

    if (window.ResizeObserver) {
      map.resize = new window.ResizeObserver(function () { cy.resize(); });
      map.resize.observe(parts.canvas);
    }
    // Material's palette toggle flips data-md-color-scheme on <body>: recolour the canvas.
    var scheme = function () { return document.body.getAttribute("data-md-color-scheme") + "/" + document.body.getAttribute("data-md-color-primary"); };
    var drawnIn = scheme();
    map.scheme = new window.MutationObserver(function () {
      if (scheme() === drawnIn) return;
      drawnIn = scheme();
      cy.style(cyStyle(palette(map.container), big));
    });
    map.scheme.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme", "data-md-color-primary"] });
  }

  function farView(map) {
    var zoom = map.cy.zoom();
    var level = zoom < FARTHER_ZOOM ? 2 : zoom < FAR_ZOOM ? 1 : 0;
    if (level === map.far) return;
    map.far = level;
    map.cy.batch(function () {
      map.cy.elements().toggleClass("kc-far", level >= 1).toggleClass("kc-farther", level === 2);
    });
  }

  function bindView(map, zoomIn, zoomOut, fit, full) {
    zoomIn.addEventListener("click", function () { zoomBy(map, 1.4); });
    zoomOut.addEventListener("click", function () { zoomBy(map, 1 / 1.4); });
    fit.addEventListener("click", function () { fitView(map); });
    full.addEventListener("click", function () {
      if (document.fullscreenElement === map.parts.stage) document.exitFullscreen();
      else map.parts.stage.requestFullscreen().catch(function () {});
    });
    map.onFullscreen = function () {
      var on = document.fullscreenElement === map.parts.stage;
      full.textContent = on ? "Exit full screen" : "Full screen";
      // The buttons must stay reachable in full screen: move them onto the stage and back.
      if (on) map.parts.stage.append(full.parentNode);
      else map.container.querySelector(".kc-map__toolbar").append(full.parentNode);
      full.parentNode.classList.toggle("kc-map__buttons--over", on);
      window.requestAnimationFrame(function () {
        if (!map.cy || map.state === "gone") return;
        map.cy.resize();
        fitView(map);
      });
    };
    document.addEventListener("fullscreenchange", map.onFullscreen);
  }

  function zoomBy(map, factor) {
    var cy = map.cy;
    var at = { x: cy.width() / 2, y: cy.height() / 2 };
    if (map.active) at = cy.getElementById(map.active).renderedPosition();
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: at });
  }

  function openCard(map, slug, original) {
    var node = map.graph.bySlug[slug];
    if (!node) return;
    var href = absolute(map.root + node.url);
    if (original && (original.ctrlKey || original.metaKey || original.shiftKey || original.button === 1)) {
      window.open(href, "_blank", "noopener");
      return;
    }
    // A real link, clicked: Material's instant navigation picks it up when it is on.
    var link = el("a", { href: href, hidden: true });
    map.container.append(link);
    link.click();
    link.remove();
  }

  function describe(node) {
    var status = STATUSES[node.status];
    return node.status === "placeholder" ? status.label + " (placeholder)" : status.label;
  }

  function showTip(map, cyNode) {
    var tip = map.parts.tip;
    if (!cyNode || !cyNode.length || !shownOnMap(map, cyNode.id())) {
      tip.hidden = true;
      map.tipFor = null;
      return;
    }
    var node = map.graph.bySlug[cyNode.id()];
    tip.textContent = "";
    tip.append(el("strong", null, node.title), el("span", { class: "kc-map__tip-status" }, describe(node)));
    map.tipFor = node.slug;
    map.cy.batch(function () {
      map.cy.edges(".kc-near").removeClass("kc-near");
      cyNode.connectedEdges().addClass("kc-near");
    });
    tip.hidden = false;
    placeTip(map, cyNode);
  }

  function placeTip(map, cyNode) {
    var p = cyNode.renderedPosition();
    var w = map.cy.width();
    var h = map.cy.height();
    if (p.x < 0 || p.y < 0 || p.x > w || p.y > h) {
      map.parts.tip.hidden = true;
      return;
    }
    map.parts.tip.hidden = false;
    map.parts.tip.style.left = Math.min(Math.max(p.x, 90), w - 90) + "px";
    map.parts.tip.style.top = Math.max(p.y, 60) + "px";
  }

  function setActive(map, slug) {
    var cy = map.cy;
    if (map.active) cy.getElementById(map.active).removeClass("kc-active");
    map.active = slug;
    if (!slug) {
      cy.edges(".kc-near").removeClass("kc-near");
      showTip(map, null);
      return;
    }
    var cyNode = cy.getElementById(slug);
    cyNode.addClass("kc-active");
    // Bring the card into view, close enough to read the labels around it.
    if (cy.zoom() < 0.9) cy.zoom({ level: 1, renderedPosition: cyNode.renderedPosition() });
    var p = cyNode.renderedPosition();
    if (p.x < 40 || p.y < 40 || p.x > cy.width() - 40 || p.y > cy.height() - 40) cy.center(cyNode);
    showTip(map, cyNode);
    var node = map.graph.bySlug[slug];
    map.parts.announce.textContent = node.title + ", " + describe(node) + ". Press Enter to open.";
  }

  /* Whether a card passes the filters. (Cytoscape's visible() can lag a class change until
     the next frame, so the map keeps its own record.) */
  function shownOnMap(map, slug) {
    return !(map.hidden && map.hidden[slug]);
  }

  function shownNodes(map) {
    return map.cy.nodes().filter(function (node) { return shownOnMap(map, node.id()); });
  }

  /* The nearest visible card in a direction, preferring cards straight ahead. */
  function nearest(map, from, dx, dy) {
    var best = null;
    var bestScore = Infinity;
    var p = from.position();
    shownNodes(map).forEach(function (node) {
      if (node === from) return;
      var q = node.position();
      var along = (q.x - p.x) * dx + (q.y - p.y) * dy;
      if (along <= 0) return;
      var across = Math.abs((q.x - p.x) * dy - (q.y - p.y) * dx);
      var score = along + 2.5 * across;
      if (score < bestScore) {
        bestScore = score;
        best = node;
      }
    });
    return best;
  }

  function onKey(map, event) {
    var cy = map.cy;
    if (!cy || event.altKey || event.ctrlKey || event.metaKey) return;
    var directions = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    var key = event.key;
    if (directions[key]) {
      event.preventDefault();
      var current = map.active ? cy.getElementById(map.active) : null;
      var next;
      if (!current || !shownOnMap(map, map.active)) {
        // Start from the card nearest the middle of the view.
        var mid = { x: cy.width() / 2, y: cy.height() / 2 };
        var bestD = Infinity;
        shownNodes(map).forEach(function (node) {
          var r = node.renderedPosition();
          var d = (r.x - mid.x) * (r.x - mid.x) + (r.y - mid.y) * (r.y - mid.y);
          if (d < bestD) { bestD = d; next = node; }
        });
      } else {
        next = nearest(map, current, directions[key][0], directions[key][1]);
      }
      if (next) setActive(map, next.id());
    } else if (key === "Enter" || key === " ") {
      if (map.active) {
        event.preventDefault();
        openCard(map, map.active, null);
      }
    } else if (key === "+" || key === "=") {
      event.preventDefault();
      zoomBy(map, 1.4);
    } else if (key === "-" || key === "_") {
      event.preventDefault();
      zoomBy(map, 1 / 1.4);
    } else if (key === "0") {
      event.preventDefault();
      fitView(map);
    } else if (key === "Escape" && map.active) {
      setActive(map, null);
    }
  }

  // -- life cycle under Material's instant navigation ----------------------------------
  function teardown(map) {
    map.state = "gone";
    if (map.resize) map.resize.disconnect();
    if (map.scheme) map.scheme.disconnect();
    if (map.onFullscreen) document.removeEventListener("fullscreenchange", map.onFullscreen);
    if (map.cy) map.cy.destroy();
  }

  function init() {
    instances = instances.filter(function (map) {
      if (document.body.contains(map.container)) return true;
      teardown(map);
      return false;
    });
    var containers = document.querySelectorAll("[data-kc-map]");
    for (var i = 0; i < containers.length; i++) setup(containers[i]);
  }

  // Exposed for tests and for anyone scripting the page.
  window.kcardsMap = { init: init, layout: layout, readGraph: readGraph };

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
