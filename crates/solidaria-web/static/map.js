// Solidaria's map: the located actors of the directory's current filters, from the GeoJSON
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
      var layer = L.geoJSON(data, {
        pointToLayer: function (_feature, latlng) {
          return L.circleMarker(latlng, { radius: 6, color: '#0b5394', weight: 1, fillColor: '#1b7f5f', fillOpacity: 0.85 });
        },
        onEachFeature: function (feature, marker) {
          var a = document.createElement('a');
          a.href = '/actors/' + encodeURIComponent(feature.properties.id) + '?lang=' + encodeURIComponent(lang);
          a.textContent = feature.properties.name; // text, never HTML
          marker.bindPopup(a);
        }
      }).addTo(map);
      var count = document.getElementById('map-count');
      if (count) count.textContent = String(data.features.length);
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
