// Facilitator mode: a timer per agenda part and a full-screen button. Progressive enhancement:
// without this file the page lists the agenda with its minutes and everything else works.
// The timer keeps its state in sessionStorage, so a reload (a form posted without htmx) does
// not lose the running part.
(function () {
  "use strict";

  function format(ms) {
    var total = Math.ceil(Math.abs(ms) / 1000);
    var minutes = Math.floor(total / 60);
    var seconds = total % 60;
    return minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  function setUpTimer(panel) {
    var parts = Array.prototype.slice.call(document.querySelectorAll(".fac-part[data-minutes]"));
    if (!parts.length) return;
    var clock = panel.querySelector("[data-timer-clock]");
    var partLabel = panel.querySelector("[data-timer-part]");
    var announcer = panel.querySelector("[data-timer-announce]");
    var toggle = panel.querySelector('[data-timer-action="toggle"]');
    var key = panel.dataset.storageKey;
    var state = { index: 0, remaining: minutesOf(0), endsAt: null, announcedUp: false };
    var ticker = null;

    function minutesOf(i) {
      return parseInt(parts[i].dataset.minutes, 10) * 60 * 1000;
    }
    function remaining() {
      return state.endsAt === null ? state.remaining : state.endsAt - Date.now();
    }
    function save() {
      try { sessionStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* private mode: no memory */ }
    }
    function load() {
      try {
        var saved = JSON.parse(sessionStorage.getItem(key) || "null");
        if (saved && saved.index >= 0 && saved.index < parts.length) state = saved;
      } catch (e) { /* ignore a damaged entry */ }
    }
    function announce(text) {
      // Clear first so that the same sentence twice is still read out.
      announcer.textContent = "";
      window.setTimeout(function () { announcer.textContent = text; }, 50);
    }
    function render() {
      var left = remaining();
      var over = left < 0;
      clock.textContent = (over ? "+" : "") + format(left);
      clock.classList.toggle("is-over", over);
      if (over) {
        var note = document.createElement("span");
        note.className = "fac-timer-over";
        note.textContent = " " + panel.dataset.messageOver;
        clock.appendChild(note);
      }
      partLabel.textContent = (state.index + 1) + "/" + parts.length + " · " + parts[state.index].dataset.title;
      toggle.textContent = state.endsAt !== null ? panel.dataset.labelPause
        : (state.remaining < minutesOf(state.index) ? panel.dataset.labelResume : panel.dataset.labelStart);
      parts.forEach(function (part, i) {
        if (i === state.index) part.setAttribute("aria-current", "step");
        else part.removeAttribute("aria-current");
      });
      if (over && !state.announcedUp && state.endsAt !== null) {
        state.announcedUp = true;
        save();
        announce(fill(panel.dataset.messageUp, { part: parts[state.index].dataset.title }));
      }
    }
    function run() {
      if (ticker === null) ticker = window.setInterval(render, 250);
    }
    function stop() {
      if (ticker !== null) { window.clearInterval(ticker); ticker = null; }
    }
    function go(index) {
      var running = state.endsAt !== null;
      state = { index: index, remaining: minutesOf(index), endsAt: null, announcedUp: false };
      if (running) state.endsAt = Date.now() + state.remaining;
      save();
      render();
      announce(fill(panel.dataset.messageNow, { part: parts[index].dataset.title, minutes: parts[index].dataset.minutes }));
    }

    panel.addEventListener("click", function (event) {
      var button = event.target.closest("[data-timer-action]");
      if (!button) return;
      var action = button.dataset.timerAction;
      if (action === "toggle") {
        if (state.endsAt === null) {
          state.endsAt = Date.now() + state.remaining;
          run();
        } else {
          state.remaining = remaining();
          state.endsAt = null;
          stop();
        }
        save();
        render();
      } else if (action === "next" && state.index < parts.length - 1) {
        go(state.index + 1);
      } else if (action === "previous" && state.index > 0) {
        go(state.index - 1);
      } else if (action === "reset") {
        go(state.index);
      }
    });

    load();
    panel.hidden = false;
    render();
    if (state.endsAt !== null) run();
  }

  function setUpFullscreen(button) {
    var target = document.getElementById("facilitator");
    if (!target || !document.fullscreenEnabled || !target.requestFullscreen) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      if (document.fullscreenElement) document.exitFullscreen();
      else target.requestFullscreen().catch(function () { /* refused: stay as is */ });
    });
    document.addEventListener("fullscreenchange", function () {
      button.setAttribute("aria-pressed", document.fullscreenElement ? "true" : "false");
    });
  }

  // After htmx swaps a capture box, the button that was pressed is gone: put the focus back
  // in the box's text field, ready for the next note.
  document.addEventListener("htmx:afterSwap", function (event) {
    var id = event.detail.target && event.detail.target.id;
    if (!id || id.indexOf("box-") !== 0) return;
    var box = document.getElementById(id);
    var field = box && box.querySelector("textarea");
    if (field) field.focus();
  });

  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.querySelector("[data-timer]");
    if (panel) setUpTimer(panel);
    var fullscreen = document.querySelector("[data-fullscreen]");
    if (fullscreen) setUpFullscreen(fullscreen);
  });
})();
