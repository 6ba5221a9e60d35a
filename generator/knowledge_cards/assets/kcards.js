/* Knowledge Cards in the browser: self-check quizzes, "My progress", visited cards and
 * the home page's learning-path progress.
 *
 * The quiz HTML works without this script (answers sit behind "Show answer").
 * With it, each question is checked in place, feedback is announced through
 * aria-live regions, and results are kept in localStorage under versioned keys
 * ("kcards:v1:quiz:<slug>"), one key per card so that tabs never overwrite
 * each other's quizzes. Stored data is validated on every read: anything
 * corrupt, tampered with or from another version counts as "no result yet".
 * Counts must be whole numbers in range (a score from 0 to its total), times
 * real dates, and the page to continue from one this page links to itself.
 */
(function () {
  "use strict";

  var PREFIX = "kcards:v1:";

  // -- storage -------------------------------------------------------------------
  var storage = {
    read: function (key) {
      try {
        var raw = window.localStorage.getItem(PREFIX + key);
        return raw ? JSON.parse(raw) : null;
      } catch (error) {
        return null;
      }
    },
    write: function (key, value) {
      try {
        window.localStorage.setItem(PREFIX + key, JSON.stringify(value));
      } catch (error) {
        /* storage full or disabled: the quiz still works, it just isn't remembered */
      }
    },
    clearAll: function () {
      try {
        var doomed = [];
        for (var i = 0; i < window.localStorage.length; i++) {
          var key = window.localStorage.key(i);
          if (key && key.indexOf("kcards:") === 0) doomed.push(key);
        }
        doomed.forEach(function (key) { window.localStorage.removeItem(key); });
      } catch (error) {
        /* nothing stored, nothing to clear */
      }
    }
  };

  // No quiz has this many questions; a larger "total" in storage is tampering.
  var MAX_TOTAL = 10000;
  // The latest time a Date can show (ECMAScript's limit): beyond it, "Invalid Date".
  var MAX_TIME = 8.64e15;

  function isCount(value, max) {
    return typeof value === "number" && Math.floor(value) === value && value >= 0 && value <= max;
  }

  function isRecord(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  /* A quiz record, or null when absent or malformed (only whole numbers, a score within its total). */
  function readResult(slug) {
    var record = storage.read("quiz:" + slug);
    if (!isRecord(record) || !isCount(record.total, MAX_TOTAL) || record.total === 0) return null;
    if (!isCount(record.best, record.total)) return null;
    var last = record.last;
    if (!isRecord(last) || !isCount(last.total, MAX_TOTAL) || last.total === 0 || !isCount(last.score, last.total) ||
        !isCount(last.at, MAX_TIME)) {
      last = null;
    } else {
      last = { score: last.score, total: last.total, at: last.at };
    }
    return { best: record.best, total: record.total, passed: record.passed === true, last: last };
  }

  function saveResult(slug, score, total, passMark) {
    var previous = readResult(slug);
    var passed = score * 100 >= passMark * total;
    var record = {
      best: previous && previous.total === total ? Math.max(previous.best, score) : score,
      total: total,
      passed: passed || (previous !== null && previous.passed),
      last: { score: score, total: total, at: Date.now() }
    };
    storage.write("quiz:" + slug, record);
    return record;
  }

  // A date as the site's language writes it (<html lang>, from theme.language), its month in words, so
  // that 04/05 is never read the wrong way round.
  function siteDate(at) {
    var lang = document.documentElement.lang || undefined;
    try {
      return new Date(at).toLocaleDateString(lang, { day: "numeric", month: "long", year: "numeric" });
    } catch (error) {
      return new Date(at).toISOString().slice(0, 10);
    }
  }

  function percent(score, total) {
    return Math.round((score * 100) / total);
  }

  function describeResult(result) {
    if (!result) return "";
    var text = "Your best: " + result.best + " of " + result.total + " (" + percent(result.best, result.total) + "%)";
    text += result.passed ? ", passed." : ".";
    if (result.last) {
      text += " Last attempt: " + result.last.score + " of " + result.last.total + " on " + siteDate(result.last.at) + ".";
    }
    return text;
  }

  // -- small DOM helpers -----------------------------------------------------------
  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  function shuffleChildren(parent, selector) {
    var nodes = all(parent, selector).filter(function (node) { return node.parentNode === parent; });
    for (var i = nodes.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var swap = nodes[i]; nodes[i] = nodes[j]; nodes[j] = swap;
    }
    nodes.forEach(function (node) { parent.appendChild(node); });
    return nodes;
  }

  function say(region, html) {
    region.innerHTML = "";
    // A fresh child makes screen readers announce the text even when it repeats.
    var message = document.createElement("p");
    message.innerHTML = html;
    region.appendChild(message);
  }

  function textOf(element) {
    return element ? element.innerHTML : "";
  }

  // -- questions -----------------------------------------------------------------------
  /* Each question knows how to check itself and reset itself; the quiz keeps the score. */
  function Question(element, quiz) {
    this.element = element;
    this.quiz = quiz;
    this.type = element.getAttribute("data-kc-type");
    this.result = element.querySelector(".kc-q__result");
    this.explain = element.querySelector(".kc-q__explain");
    this.checkButton = element.querySelector(".kc-q__check");
    this.answered = false;
    this.correct = false;
    element.querySelector(".kc-q__actions").hidden = false;
    var answer = element.querySelector(".kc-q__answer");
    if (answer) answer.hidden = true;
    var self = this;
    this.checkButton.addEventListener("click", function () { self.check(); });
    if (this.type === "order") this.setUpOrder();
    if (this.type === "reflect") this.setUpReflect();
  }

  Question.prototype.inputs = function () {
    return all(this.element, ".kc-opt input");
  };

  Question.prototype.check = function () {
    if (this.answered || this.checkButton.getAttribute("aria-disabled") === "true") return;
    if (this.type === "order") return this.checkOrder();
    if (this.type === "reflect") return this.revealModel();
    var chosen = this.inputs().filter(function (input) { return input.checked; });
    if (chosen.length === 0) {
      say(this.result, this.type === "multiple" ? "Select at least one option first." : "Choose an answer first.");
      return;
    }
    var options = all(this.element, ".kc-opt");
    var right = options.every(function (option) {
      var selected = option.querySelector("input").checked;
      return selected === (option.getAttribute("data-kc-correct") === "true");
    });
    var lines = [];
    options.forEach(function (option) {
      var selected = option.querySelector("input").checked;
      var isCorrect = option.getAttribute("data-kc-correct") === "true";
      var feedback = option.querySelector(".kc-opt__feedback");
      if (isCorrect) option.classList.add("kc-opt--right");
      if (selected && !isCorrect) option.classList.add("kc-opt--wrong");
      if (selected && feedback) {
        lines.push(textOf(option.querySelector("label")) + ": " + feedback.innerHTML);
      }
    });
    var rightAnswers = options
      .filter(function (option) { return option.getAttribute("data-kc-correct") === "true"; })
      .map(function (option) { return textOf(option.querySelector("label")); });
    var message = right ? "<strong>Correct.</strong>" : "<strong>Not quite.</strong> The right answer: " + rightAnswers.join("; ") + ".";
    if (lines.length) message += " " + lines.join(" ");
    this.finish(right, message);
  };

  Question.prototype.finish = function (right, message) {
    this.answered = true;
    this.correct = right;
    this.element.classList.add(right ? "kc-q--right" : "kc-q--wrong");
    this.inputs().forEach(function (input) { input.disabled = true; });
    all(this.element, ".kc-order__moves button").forEach(function (button) { button.disabled = true; });
    // aria-disabled, not disabled: the focused button keeps focus, so keyboard users go on from here.
    this.checkButton.setAttribute("aria-disabled", "true");
    if (this.explain) {
      this.explain.hidden = false;
      message += " " + this.explain.innerHTML;
    }
    say(this.result, message);
    this.quiz.update();
  };

  Question.prototype.reset = function () {
    this.answered = false;
    this.correct = false;
    this.element.classList.remove("kc-q--right", "kc-q--wrong");
    this.result.innerHTML = "";
    if (this.explain) this.explain.hidden = true;
    this.checkButton.removeAttribute("aria-disabled");
    this.inputs().forEach(function (input) { input.disabled = false; input.checked = false; });
    all(this.element, ".kc-opt").forEach(function (option) {
      option.classList.remove("kc-opt--right", "kc-opt--wrong");
    });
    all(this.element, ".kc-opt__feedback").forEach(function (feedback) { feedback.hidden = true; });
    var options = this.element.querySelector(".kc-q__options");
    if (options && this.type !== "true_false") shuffleChildren(options, ".kc-opt");
    if (this.type === "order") {
      var list = this.element.querySelector(".kc-order");
      do { shuffleChildren(list, ".kc-order__item"); } while (this.orderIsRight() && list.children.length > 1);
      all(list, ".kc-order__item").forEach(function (item) { item.classList.remove("kc-order__item--right", "kc-order__item--wrong"); });
      all(this.element, ".kc-order__moves button").forEach(function (button) { button.disabled = false; });
    }
    if (this.type === "reflect") {
      this.element.querySelector(".kc-reflect__text").value = "";
      this.element.querySelector(".kc-reflect__model").hidden = true;
      all(this.element, ".kc-reflect__marks button").forEach(function (button) { button.removeAttribute("aria-disabled"); });
    }
  };

  // Order questions: move buttons, drag and drop, and checking positions.
  Question.prototype.setUpOrder = function () {
    var self = this;
    var list = this.element.querySelector(".kc-order");
    var status = this.element.querySelector(".kc-order__status");
    all(list, ".kc-order__moves").forEach(function (moves) { moves.hidden = false; });
    all(list, ".kc-order__item").forEach(function (item) { item.setAttribute("draggable", "true"); });

    function announce(item) {
      var items = all(list, ".kc-order__item");
      status.textContent = item.querySelector(".kc-order__text").textContent + ": position " + (items.indexOf(item) + 1) + " of " + items.length;
    }

    list.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button || self.answered) return;
      var item = button.closest(".kc-order__item");
      if (button.classList.contains("kc-order__up") && item.previousElementSibling) {
        list.insertBefore(item, item.previousElementSibling);
      } else if (button.classList.contains("kc-order__down") && item.nextElementSibling) {
        list.insertBefore(item.nextElementSibling, item);
      }
      button.focus();
      announce(item);
    });

    var dragged = null;
    list.addEventListener("dragstart", function (event) {
      if (self.answered) { event.preventDefault(); return; }
      dragged = event.target.closest(".kc-order__item");
      if (!dragged) return;
      dragged.classList.add("kc-order__item--dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.getAttribute("data-kc-position"));
    });
    list.addEventListener("dragover", function (event) {
      if (!dragged) return;
      event.preventDefault();
      var over = event.target.closest(".kc-order__item");
      if (!over || over === dragged) return;
      var box = over.getBoundingClientRect();
      list.insertBefore(dragged, event.clientY > box.top + box.height / 2 ? over.nextElementSibling : over);
    });
    list.addEventListener("drop", function (event) { event.preventDefault(); });
    list.addEventListener("dragend", function () {
      if (!dragged) return;
      dragged.classList.remove("kc-order__item--dragging");
      announce(dragged);
      dragged = null;
    });
  };

  Question.prototype.orderIsRight = function () {
    return all(this.element, ".kc-order__item").every(function (item, index) {
      return Number(item.getAttribute("data-kc-position")) === index + 1;
    });
  };

  Question.prototype.checkOrder = function () {
    var items = all(this.element, ".kc-order__item");
    var placed = 0;
    items.forEach(function (item, index) {
      var ok = Number(item.getAttribute("data-kc-position")) === index + 1;
      if (ok) placed++;
      item.classList.add(ok ? "kc-order__item--right" : "kc-order__item--wrong");
    });
    var right = placed === items.length;
    var order = items.slice().sort(function (a, b) {
      return Number(a.getAttribute("data-kc-position")) - Number(b.getAttribute("data-kc-position"));
    }).map(function (item) { return item.querySelector(".kc-order__text").innerHTML; });
    this.finish(
      right,
      right
        ? "<strong>Correct.</strong> Everything is in order."
        : "<strong>Not quite.</strong> " + placed + " of " + items.length + " are in the right place. The right order: " + order.join(", ") + "."
    );
  };

  // Reflect questions: write, reveal the model answer, mark yourself.
  Question.prototype.setUpReflect = function () {
    var self = this;
    var model = this.element.querySelector(".kc-reflect__model");
    this.element.querySelector(".kc-reflect__yes").addEventListener("click", function () {
      self.markReflect(true);
    });
    this.element.querySelector(".kc-reflect__no").addEventListener("click", function () {
      self.markReflect(false);
    });
    this.revealModel = function () {
      model.hidden = false;
      self.checkButton.setAttribute("aria-disabled", "true");
      say(self.result, "The model answer is shown below your answer. Did yours cover the same points?");
      model.querySelector(".kc-reflect__yes").focus();
    };
  };

  Question.prototype.markReflect = function (gotIt) {
    if (this.answered) return;
    all(this.element, ".kc-reflect__marks button").forEach(function (button) { button.setAttribute("aria-disabled", "true"); });
    this.finish(gotIt, gotIt ? "<strong>Marked as got it.</strong>" : "<strong>Marked as not yet.</strong> Read the card again and retry later.");
  };

  // -- a quiz ------------------------------------------------------------------------------
  function Quiz(root) {
    var self = this;
    this.root = root;
    this.slug = root.getAttribute("data-kc-quiz");
    this.passMark = Number(root.getAttribute("data-kc-pass-mark")) || 70;
    this.progress = root.querySelector("[data-kc-quiz-progress]");
    this.footer = root.querySelector(".kc-quiz__footer");
    this.score = root.querySelector(".kc-quiz__score");
    this.saved = false;
    this.questions = all(root, ".kc-q").map(function (element) { return new Question(element, self); });
    this.footer.hidden = false;
    root.querySelector(".kc-quiz__retry").addEventListener("click", function () { self.retry(); });
    root.classList.add("kc-quiz--ready");
    this.showStored();
    this.update();
  }

  Quiz.prototype.showStored = function () {
    var text = describeResult(readResult(this.slug));
    this.progress.hidden = !text;
    this.progress.textContent = text;
  };

  Quiz.prototype.update = function () {
    var answered = this.questions.filter(function (q) { return q.answered; });
    var right = answered.filter(function (q) { return q.correct; }).length;
    var total = this.questions.length;
    if (answered.length < total) {
      this.score.textContent = "Score: " + right + " of " + answered.length + " answered (" + total + " questions).";
      return;
    }
    if (!this.saved) {
      this.saved = true;
      saveResult(this.slug, right, total, this.passMark);
      this.showStored();
    }
    var passed = right * 100 >= this.passMark * total;
    this.score.textContent = "You scored " + right + " of " + total + " (" + percent(right, total) + "%). " +
      (passed ? "Passed!" : "You need " + this.passMark + "% to pass: try again.");
  };

  Quiz.prototype.retry = function () {
    this.saved = false;
    this.questions.forEach(function (q) { q.reset(); });
    this.update();
    var first = this.root.querySelector(".kc-q input, .kc-q button, .kc-q textarea");
    if (first) first.focus();
  };

  // -- "My progress" -------------------------------------------------------------------------
  function renderProgress(root) {
    var rows = all(root, "[data-kc-progress-slug]");
    var started = 0;
    var passed = 0;
    rows.forEach(function (row) {
      var result = readResult(row.getAttribute("data-kc-progress-slug"));
      var state = row.querySelector("[data-kc-state]");
      var best = row.querySelector("[data-kc-best]");
      var last = row.querySelector("[data-kc-last]");
      if (!result) {
        state.textContent = "Not started";
        best.textContent = "—";
        last.textContent = "—";
        return;
      }
      started++;
      if (result.passed) passed++;
      state.textContent = result.passed ? "Passed" : "Not passed yet";
      best.textContent = result.best + " of " + result.total + " (" + percent(result.best, result.total) + "%)";
      last.textContent = result.last
        ? result.last.score + " of " + result.last.total + " on " + siteDate(result.last.at)
        : "—";
    });
    root.querySelector("[data-kc-progress-summary]").textContent =
      "Quizzes taken: " + started + " of " + rows.length + ". Passed: " + passed + ".";
  }

  function setUpProgress(root) {
    var reset = root.querySelector("[data-kc-reset]");
    reset.hidden = false;
    reset.addEventListener("click", function () {
      if (!window.confirm("Remove all your quiz results and visited cards from this browser?")) return;
      storage.clearAll();
      renderProgress(root);
      reset.focus();
    });
    renderProgress(root);
  }

  // -- visited cards and learning paths -----------------------------------------------------
  /* Remember the card on this page as visited, and as the place to continue from. */
  function recordVisit() {
    var meta = document.querySelector("[data-kc-card]");
    if (!meta) return;
    var slug = meta.getAttribute("data-kc-card");
    storage.write("visited:" + slug, { at: Date.now() });
    storage.write("last", { slug: slug, title: meta.getAttribute("data-kc-title") || slug, url: window.location.pathname, at: Date.now() });
  }

  function visited(slug) {
    var record = storage.read("visited:" + slug);
    return isRecord(record) && isCount(record.at, MAX_TIME);
  }

  /* The link on this page to the page a stored path names, or null: "Continue" only ever goes where
   * the page itself links (a card in "All concepts" or a path's steps), never to another site. */
  function linkTo(path) {
    if (typeof path !== "string" || path.length > 2000 || !/^\/(?![\/\\])/.test(path)) return null;
    var target;
    try {
      target = new URL(path, window.location.href);
    } catch (error) {
      return null;
    }
    if (target.origin !== window.location.origin) return null;
    var links = all(document, "a.kc-link[href], [data-kc-step] > a[href]");
    for (var i = 0; i < links.length; i++) {
      var own = new URL(links[i].getAttribute("href"), window.location.href);
      if (own.origin === target.origin && own.pathname === target.pathname) return links[i];
    }
    return null;
  }

  function renderPaths() {
    all(document, "[data-kc-path-progress]").forEach(function (box) {
      var steps = all(box, "[data-kc-step]");
      var quizzes = (box.getAttribute("data-kc-quizzes") || "").split(" ").filter(Boolean);
      var seen = 0;
      var nextStep = null;
      steps.forEach(function (step) {
        var done = visited(step.getAttribute("data-kc-step"));
        step.classList.toggle("kc-step--visited", done);
        if (done) seen++;
        else if (!nextStep) nextStep = step;
      });
      var passed = quizzes.filter(function (slug) {
        var result = readResult(slug);
        return result !== null && result.passed;
      }).length;
      var text = "Visited " + seen + " of " + steps.length + " cards";
      if (quizzes.length) text += "; passed " + passed + " of " + quizzes.length + " quizzes";
      box.querySelector("[data-kc-progress-text]").textContent = text + ".";
      var go = box.querySelector("[data-kc-path-go]");
      var link = (nextStep || steps[0]).querySelector("a");
      go.setAttribute("href", link.getAttribute("href"));
      go.textContent = (seen === 0 ? "Start: " : nextStep ? "Continue: " : "Review: ") + link.textContent;
    });
    var box = document.querySelector("[data-kc-continue]");
    if (!box) return;
    var last = storage.read("last");
    var link = isRecord(last) ? linkTo(last.url) : null;
    if (link) {
      // The page's own href and title, not the stored ones.
      var anchor = box.querySelector("[data-kc-continue-link]");
      anchor.setAttribute("href", link.getAttribute("href"));
      anchor.textContent = link.textContent;
    }
    box.hidden = !link;
  }

  // -- start on every page, including pages reached by Material's instant navigation -----------
  function start() {
    recordVisit();
    renderPaths();
    all(document, ".kc-quiz:not(.kc-quiz--ready)").forEach(function (root) { new Quiz(root); });
    all(document, "[data-kc-progress]:not(.kc-progress--ready)").forEach(function (root) {
      root.classList.add("kc-progress--ready");
      setUpProgress(root);
    });
  }

  // Another tab finished a quiz or reset progress: show it here too.
  window.addEventListener("storage", function (event) {
    if (event.key !== null && event.key.indexOf("kcards:") !== 0) return;
    all(document, "[data-kc-progress].kc-progress--ready").forEach(renderProgress);
    renderPaths();
    all(document, ".kc-quiz.kc-quiz--ready").forEach(function (root) {
      var text = describeResult(readResult(root.getAttribute("data-kc-quiz")));
      var progress = root.querySelector("[data-kc-quiz-progress]");
      progress.hidden = !text;
      progress.textContent = text;
    });
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
