/* Maille — the tiers-lieux map: the region's départements (Leaflet, no tile server) and one marker per tiers-lieu,
   read from a JSON script of the page. The list beside the map gives the same information without it. */
(function () {
  "use strict";

  function draw(element) {
    var figure = element.closest("figure");
    var node = document.getElementById(element.getAttribute("data-points"));
    var points = node ? JSON.parse(node.textContent) : [];
    var url = element.getAttribute("data-region-url");
    if (typeof L === "undefined") return;
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { features: [] }; })
      .then(function (collection) {
        var map = L.map(element, { attributionControl: false, scrollWheelZoom: false, keyboard: true });
        var layer = L.geoJSON(collection, {
          style: function () { return { color: "#4a5568", weight: 1, fillColor: "#cbd5e0", fillOpacity: 0.25 }; }
        }).addTo(map);
        var markers = points.map(function (point) {
          return L.circleMarker([point.lat, point.lon], {
            radius: 7, color: "#1f3c88", weight: 2, fillColor: "#3b6fd6", fillOpacity: 0.8
          }).bindTooltip(point.nom).on("click", function () {
            window.location.href = "./" + encodeURIComponent(point.slug) + "/";
          }).addTo(map);
        });
        var bounds = layer.getBounds();
        if (!bounds.isValid() && markers.length) bounds = L.featureGroup(markers).getBounds();
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
        else if (figure) figure.querySelector(".map-status").hidden = false;
      })
      .catch(function () { if (figure) figure.querySelector(".map-status").hidden = false; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".map[data-points]").forEach(draw);
  });
})();
