// The room view: one slide at a time, moved with the keyboard or the buttons. Progressive
// enhancement: without this file every slide is shown one below the other.
(function () {
  "use strict";

  function setUp() {
    var deck = document.querySelector("[data-deck]");
    if (!deck) return;
    var slides = Array.prototype.slice.call(deck.querySelectorAll(".slide"));
    if (!slides.length) return;
    var controls = document.querySelector("[data-controls]");
    var position = document.querySelector("[data-position]");
    var help = document.querySelector("[data-help]");
    var rtl = document.documentElement.dir === "rtl";
    var current = 0;

    function show(index) {
      current = Math.max(0, Math.min(slides.length - 1, index));
      slides.forEach(function (slide, i) {
        slide.hidden = i !== current;
      });
      position.textContent = slides[current].getAttribute("aria-label");
      if (window.location.hash !== "#slide-" + (current + 1)) {
        window.history.replaceState(null, "", "#slide-" + (current + 1));
      }
    }

    function fullScreen() {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else if (document.documentElement.requestFullscreen) {
        document.documentElement.requestFullscreen();
      }
    }

    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      var forward = rtl ? "ArrowLeft" : "ArrowRight";
      var back = rtl ? "ArrowRight" : "ArrowLeft";
      var step = { PageDown: 1, ArrowDown: 1, " ": 1, PageUp: -1, ArrowUp: -1 };
      step[forward] = 1;
      step[back] = -1;
      if (event.key in step && !(event.target instanceof HTMLButtonElement && event.key === " ")) {
        show(current + step[event.key]);
        event.preventDefault();
      } else if (event.key === "Home") {
        show(0);
        event.preventDefault();
      } else if (event.key === "End") {
        show(slides.length - 1);
        event.preventDefault();
      } else if (event.key === "f" || event.key === "F") {
        fullScreen();
      }
    });
    controls.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      if (button.dataset.move) show(current + Number(button.dataset.move));
      if (button.hasAttribute("data-fullscreen")) fullScreen();
    });

    controls.hidden = false;
    help.hidden = false;
    document.body.classList.add("room-one-slide");
    var match = /^#slide-(\d+)$/.exec(window.location.hash);
    show(match ? Number(match[1]) - 1 : 0);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
