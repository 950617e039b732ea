/* Maille — small enhancements over server-rendered pages: contour maps (Leaflet, no tile server). */
(function () {
  "use strict";

  function showMissing(figure) {
    var status = figure.querySelector(".map-status");
    if (status) status.hidden = false;
  }

  function drawMap(element) {
    var figure = element.closest("figure");
    var url = element.getAttribute("data-contour-url");
    var highlight = element.getAttribute("data-highlight");
    if (!url || typeof L === "undefined") return;
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { features: [] }; })
      .then(function (collection) {
        if (!collection.features || collection.features.length === 0) { showMissing(figure); return; }
        var map = L.map(element, { attributionControl: false, scrollWheelZoom: false, keyboard: true });
        var layer = L.geoJSON(collection, {
          style: function (feature) {
            var props = feature.properties || {};
            var isZone = props.role === "zone" || (highlight && props.code === highlight);
            return isZone
              ? { color: "#1f3c88", weight: 3, fillColor: "#3b6fd6", fillOpacity: 0.35 }
              : { color: "#4a5568", weight: 1, fillColor: "#cbd5e0", fillOpacity: 0.25 };
          },
          onEachFeature: function (feature, featureLayer) {
            if (feature.properties && feature.properties.nom) featureLayer.bindTooltip(feature.properties.nom);
          }
        }).addTo(map);
        map.fitBounds(layer.getBounds(), { padding: [8, 8] });
      })
      .catch(function () { showMissing(figure); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".map[data-contour-url]").forEach(drawMap);
  });
})();
