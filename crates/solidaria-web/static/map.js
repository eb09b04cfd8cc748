// Solidaria's map: the located actors of the directory's current filters, and their located
// sites (outlets, branches) as squares, from the GeoJSON
// endpoint named in the map element's data-geojson attribute. OpenStreetMap tiles when they load;
// when they do not (offline, blocked), a plain background and a notice, the points still placed.
(function () {
  'use strict';
  var el = document.getElementById('map');
  if (!el || !window.L) return;
  el.hidden = false;
  var lang = document.documentElement.lang || 'en';
  var map = L.map(el, { worldCopyJump: true }).setView([20, 0], 2);
  var tiles = L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png', {
    maxZoom: 18,
    attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
  });
  var errors = 0;
  var offline = false;
  function goOffline() {
    if (offline) return;
    offline = true;
    map.removeLayer(tiles);
    el.classList.add('offline');
    var notice = document.getElementById('map-offline');
    if (notice) notice.hidden = false;
  }
  tiles.on('tileerror', function () {
    errors += 1;
    if (errors >= 2) goOffline();
  });
  tiles.addTo(map);
  fetch(el.getAttribute('data-geojson'), { headers: { Accept: 'application/geo+json' } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      // Each actor is a marker a keyboard reaches (Tab; Leaflet gives it role="button"), named by
      // the actor's name; Enter opens its popup and moves the focus to the link in it, Escape
      // closes the popup and brings the focus back to the marker.
      // An actor's site (an outlet, a branch) is a square named "SITE, site of ACTOR" in the
      // page's language (the map element's data-site-of), and opens its actor's page.
      var siteOf = el.getAttribute('data-site-of') || '{site}, site of {actor}';
      function label(p) {
        if (p.kind !== 'site') return p.name;
        return siteOf.replace('{site}', function () { return p.name; }).replace('{actor}', function () { return p.actor; });
      }
      var actors = 0, sites = 0;
      var layer = L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          var site = feature.properties.kind === 'site';
          if (site) sites += 1; else actors += 1;
          var name = document.createElement('span');
          name.className = 'vh';
          name.textContent = label(feature.properties); // text, never HTML
          // A 24 px target (WCAG 2.2's least), the dot or square drawn smaller inside it.
          var icon = L.divIcon({ className: site ? 'site-marker' : 'actor-marker', html: name, iconSize: [24, 24] });
          return L.marker(latlng, { icon: icon, title: label(feature.properties), keyboard: true });
        },
        onEachFeature: function (feature, marker) {
          var a = document.createElement('a');
          a.href = '/actors/' + encodeURIComponent(feature.properties.id) + '?lang=' + encodeURIComponent(lang);
          a.textContent = label(feature.properties); // text, never HTML
          a.addEventListener('keydown', function (e) {
            if (e.key !== 'Escape') return;
            marker.closePopup();
            var m = marker.getElement();
            if (m) m.focus();
          });
          marker.bindPopup(a);
          marker.on('popupopen', function () {
            var m = marker.getElement();
            if (m && document.activeElement === m) a.focus();
          });
        }
      }).addTo(map);
      var count = document.getElementById('map-count');
      if (count) count.textContent = String(actors);
      var siteCount = document.getElementById('map-sites');
      if (siteCount) siteCount.textContent = String(sites);
      var area = /[?&]bbox=([^&]*)/.exec(location.search);
      var box = area && decodeURIComponent(area[1]).split(',').map(Number);
      if (box && box.length === 4 && box.every(isFinite)) {
        map.fitBounds([[box[1], box[0]], [box[3], box[2]]]);
      } else if (layer.getLayers().length) {
        map.fitBounds(layer.getBounds(), { maxZoom: 10, padding: [20, 20] });
      }
      el.setAttribute('data-loaded', String(data.features.length));
    })
    .catch(function () { el.setAttribute('data-loaded', 'error'); });
  // "Search this area": the same page, narrowed to the part of the map on screen.
  var button = document.getElementById('map-search-area');
  if (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      var b = map.getBounds();
      var west = Math.max(-180, b.getWest()), east = Math.min(180, b.getEast());
      var bbox = [west, Math.max(-90, b.getSouth()), east, Math.min(90, b.getNorth())]
        .map(function (x) { return x.toFixed(4); }).join(',');
      location.href = el.getAttribute('data-area-base') + '&bbox=' + encodeURIComponent(bbox);
    });
  }
})();
