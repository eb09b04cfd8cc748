// The diagnostic's network pictures, made explorable: zoom in, out and back to the whole picture
// with the buttons above each picture (shown only when this script runs), the mouse wheel or two
// fingers; drag to move around a zoomed picture. The picture is the server's SVG: zooming changes
// its viewBox, so nodes stay links that open their actor (a drag does not open one). Pointing at
// a node or reaching it with Tab writes its name and role under the picture; a node reached with
// Tab outside the zoomed view is brought into it.
(function () {
  'use strict';
  var MAX = 8; // the closest zoom: an eighth of the picture's width
  var STEP = 1.5; // one button press or wheel notch

  function explorable(box) {
    var svg = box.querySelector('svg');
    var bar = box.querySelector('.zoom');
    var info = box.querySelector('.node-info');
    if (!svg || !bar) return;
    var whole = svg.viewBox.baseVal;
    var all = { x: whole.x, y: whole.y, w: whole.width, h: whole.height };
    var view = { x: all.x, y: all.y, w: all.w, h: all.h };

    function show() {
      svg.setAttribute('viewBox', [view.x, view.y, view.w, view.h].join(' '));
      var zoomed = view.w < all.w - 1e-6;
      // Zoomed, a drag moves the picture; at full size it scrolls the page as usual.
      svg.style.touchAction = zoomed ? 'none' : 'pan-y';
      svg.style.cursor = zoomed ? 'grab' : '';
      box.classList.toggle('zoomed', zoomed);
    }
    // Keeps the view inside the picture and its width between the whole and MAX times closer.
    function clamp() {
      view.w = Math.min(all.w, Math.max(all.w / MAX, view.w));
      view.h = view.w * all.h / all.w;
      view.x = Math.min(all.x + all.w - view.w, Math.max(all.x, view.x));
      view.y = Math.min(all.y + all.h - view.h, Math.max(all.y, view.y));
    }
    // The picture's point under the screen point (cx, cy).
    function at(cx, cy) {
      var r = svg.getBoundingClientRect();
      return {
        x: view.x + (cx - r.left) / (r.width || 1) * view.w,
        y: view.y + (cy - r.top) / (r.height || 1) * view.h,
      };
    }
    // Zooms by `factor` (> 1 closer) keeping the picture's point p where it is on screen.
    function zoom(factor, p) {
      if (!p) p = { x: view.x + view.w / 2, y: view.y + view.h / 2 };
      var w = view.w / factor;
      var fx = (p.x - view.x) / view.w;
      var fy = (p.y - view.y) / view.h;
      view.w = w;
      view.h = w * all.h / all.w;
      clamp();
      view.x = p.x - fx * view.w;
      view.y = p.y - fy * view.h;
      clamp();
      show();
    }

    bar.hidden = false;
    bar.addEventListener('click', function (e) {
      var b = e.target.closest('button');
      if (!b) return;
      var what = b.getAttribute('data-zoom');
      if (what === 'in') zoom(STEP);
      else if (what === 'out') zoom(1 / STEP);
      else { view = { x: all.x, y: all.y, w: all.w, h: all.h }; show(); }
    });
    svg.addEventListener('wheel', function (e) {
      e.preventDefault();
      zoom(e.deltaY < 0 ? STEP : 1 / STEP, at(e.clientX, e.clientY));
    }, { passive: false });

    // Pointers: one drags (once it has moved a few pixels), two pinch.
    var pointers = {};
    var dragged = false;
    var start = null;
    var pinch = null;
    function count() { return Object.keys(pointers).length; }
    function distance() {
      var ids = Object.keys(pointers);
      var a = pointers[ids[0]], b = pointers[ids[1]];
      return Math.hypot(a.x - b.x, a.y - b.y);
    }
    function middle() {
      var ids = Object.keys(pointers);
      var a = pointers[ids[0]], b = pointers[ids[1]];
      return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    }
    svg.addEventListener('pointerdown', function (e) {
      if (e.pointerType === 'mouse' && e.button !== 0) return;
      pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
      dragged = false;
      if (count() === 1) start = { x: e.clientX, y: e.clientY, view: { x: view.x, y: view.y } };
      if (count() === 2) pinch = { d: distance() };
    });
    svg.addEventListener('pointermove', function (e) {
      if (!pointers[e.pointerId]) return;
      pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
      if (count() === 2 && pinch) {
        var d = distance();
        if (pinch.d > 0 && d > 0) {
          var m = middle();
          zoom(d / pinch.d, at(m.x, m.y));
        }
        pinch.d = d;
        dragged = true;
        return;
      }
      if (count() !== 1 || !start) return;
      var dx = e.clientX - start.x, dy = e.clientY - start.y;
      if (!dragged && Math.hypot(dx, dy) < 4) return;
      if (view.w >= all.w - 1e-6) return; // nothing to move at full size
      if (!dragged) {
        dragged = true;
        svg.setPointerCapture(e.pointerId);
        svg.style.cursor = 'grabbing';
      }
      var r = svg.getBoundingClientRect();
      view.x = start.view.x - dx / (r.width || 1) * view.w;
      view.y = start.view.y - dy / (r.height || 1) * view.h;
      clamp();
      show();
    });
    function up(e) {
      delete pointers[e.pointerId];
      if (count() < 2) pinch = null;
      if (count() === 0) start = null;
      if (svg.hasPointerCapture && svg.hasPointerCapture(e.pointerId)) svg.releasePointerCapture(e.pointerId);
      show();
    }
    svg.addEventListener('pointerup', up);
    svg.addEventListener('pointercancel', up);
    // A drag that ends on a node does not open it.
    svg.addEventListener('click', function (e) {
      if (dragged) { e.preventDefault(); e.stopPropagation(); dragged = false; }
    }, true);

    // The name and role of the node pointed at or focused, under the picture.
    function tell(e) {
      var node = e.target.closest && e.target.closest('a.node');
      if (!node || !info) return;
      var title = node.querySelector('title');
      info.textContent = title ? title.textContent : '';
    }
    svg.addEventListener('pointerover', tell);
    svg.addEventListener('focusin', function (e) {
      tell(e);
      var node = e.target.closest && e.target.closest('a.node');
      var circle = node && node.querySelector('circle');
      if (!circle) return;
      var cx = circle.cx.baseVal.value, cy = circle.cy.baseVal.value;
      if (cx < view.x || cx > view.x + view.w || cy < view.y || cy > view.y + view.h) {
        view.x = cx - view.w / 2;
        view.y = cy - view.h / 2;
        clamp();
        show();
      }
    });
    show();
  }

  function init() {
    var boxes = document.querySelectorAll('div.network');
    for (var i = 0; i < boxes.length; i++) explorable(boxes[i]);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
