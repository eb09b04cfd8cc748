// Tables sit in a wrapper (div.scroll) that scrolls sideways when the table is wider than the
// screen, so that the page itself never does. A wrapper that scrolls must be reachable with the
// keyboard even when its table holds no link (WCAG 2.1.1): it becomes a focusable region, named
// after the table's caption or the heading above it. A wrapper that fits is left as it is, with
// no extra tab stop. Checked on load, on resize, when a folded section opens and after htmx
// swaps in new results.
(function () {
  'use strict';
  function heading(el) {
    for (var e = el; e && e !== document.body; e = e.parentElement) {
      for (var s = e.previousElementSibling; s; s = s.previousElementSibling) {
        if (/^H[1-6]$/.test(s.tagName)) return s.textContent;
        if (s.tagName === 'SUMMARY') return s.textContent;
      }
    }
    return '';
  }
  function name(wrapper) {
    var table = wrapper.querySelector('table');
    var caption = table && table.querySelector('caption');
    var text = caption ? caption.textContent : heading(wrapper);
    if (!text.trim() && table) {
      text = Array.prototype.map.call(table.querySelectorAll('th'), function (th) { return th.textContent; }).join(', ');
    }
    return text.replace(/\s+/g, ' ').trim();
  }
  function update() {
    var wrappers = document.querySelectorAll('div.scroll');
    for (var i = 0; i < wrappers.length; i++) {
      var w = wrappers[i];
      if (w.scrollWidth > w.clientWidth + 1) {
        if (!w.hasAttribute('tabindex')) {
          w.setAttribute('tabindex', '0');
          w.setAttribute('role', 'region');
          w.setAttribute('aria-label', name(w));
        }
      } else if (w.hasAttribute('tabindex')) {
        w.removeAttribute('tabindex');
        w.removeAttribute('role');
        w.removeAttribute('aria-label');
      }
    }
  }
  var pending = false;
  function soon() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; update(); });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', update);
  else update();
  window.addEventListener('resize', soon);
  document.addEventListener('toggle', soon, true);
  document.addEventListener('htmx:afterSwap', soon);
})();
