/* Maille — observatory pages: choropleth maps of ESS establishments (click a territory to open it), maps of points
   (detection lists) and Chart.js bar charts, all drawn from `json_script` data. Every value is also in a table. */
(function () {
  "use strict";

  var SCALE = ["#eef2fb", "#c6d3f0", "#8fa8e0", "#4f73c6", "#1f3c88"];

  function readJson(id) {
    var node = id && document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function locale() { return document.documentElement.lang || "fr"; }

  function showMissing(element) {
    var figure = element.closest("figure");
    var status = figure && figure.querySelector(".map-status");
    if (status) status.hidden = false;
  }

  function drawChoropleth(element) {
    var url = element.getAttribute("data-observatory-contour-url");
    var values = readJson(element.getAttribute("data-values")) || {};
    var link = element.getAttribute("data-link");
    var unit = element.getAttribute("data-unit") || "";
    var codes = Object.keys(values);
    var max = codes.length ? Math.max.apply(null, codes.map(function (c) { return values[c]; })) : 0;
    var format = new Intl.NumberFormat(locale());
    if (!url || typeof L === "undefined") return;
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { features: [] }; })
      .then(function (collection) {
        if (!collection.features || collection.features.length === 0) { showMissing(element); return; }
        var map = L.map(element, { attributionControl: false, scrollWheelZoom: false, keyboard: true });
        var layer = L.geoJSON(collection, {
          style: function (feature) {
            var props = feature.properties || {};
            if (props.role === "zone") return { color: "#1a202c", weight: 3, fill: false };
            var value = values[props.code] || 0;
            var step = max ? Math.min(SCALE.length - 1, Math.floor((value / max) * (SCALE.length - 1))) : 0;
            return { color: "#1a202c", weight: 1, fillColor: SCALE[step], fillOpacity: 0.85 };
          },
          onEachFeature: function (feature, featureLayer) {
            var props = feature.properties || {};
            if (!props.nom) return;
            featureLayer.bindTooltip(props.nom + " : " + format.format(values[props.code] || 0) + " " + unit);
            if (link) {
              featureLayer.on("click", function () { window.location.href = link.replace("CODE", props.code); });
            }
          }
        }).addTo(map);
        map.fitBounds(layer.getBounds(), { padding: [8, 8] });
      })
      .catch(function () { showMissing(element); });
  }

  function drawPoints(element) {
    var url = element.getAttribute("data-points-contour-url");
    var points = readJson(element.getAttribute("data-points")) || [];
    if (!url || typeof L === "undefined") return;
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { features: [] }; })
      .then(function (collection) {
        var map = L.map(element, { attributionControl: false, scrollWheelZoom: false, keyboard: true });
        var layer = L.geoJSON(collection, { style: { color: "#4a5568", weight: 1, fillColor: "#cbd5e0", fillOpacity: 0.25 } }).addTo(map);
        var group = L.featureGroup();
        points.forEach(function (p) {
          L.circleMarker([p.lat, p.lon], { radius: 5, color: "#1f3c88", fillColor: "#3b6fd6", fillOpacity: 0.9, weight: 1 })
            .bindTooltip(p.name).addTo(group);
        });
        group.addTo(map);
        var bounds = collection.features && collection.features.length ? layer.getBounds() : group.getBounds();
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
        else map.setView([47.4, -0.8], 7);
      })
      .catch(function () { showMissing(element); });
  }

  function drawCharts() {
    var data = readJson("ess-charts");
    if (!data || typeof Chart === "undefined") return;
    document.querySelectorAll("canvas[data-ess-chart]").forEach(function (canvas) {
      var chart = data[canvas.getAttribute("data-ess-chart")];
      if (!chart) return;
      var datasets = [{ label: data.text.establishments, data: chart.establishments, backgroundColor: "#1f3c88" }];
      if (chart.employees) datasets.push({ label: data.text.employees, data: chart.employees, backgroundColor: "#8fa8e0" });
      new Chart(canvas, {
        type: "bar",
        data: { labels: chart.labels, datasets: datasets },
        options: {
          locale: locale(), animation: false, responsive: true, maintainAspectRatio: false, indexAxis: "y",
          plugins: { legend: { position: "bottom" } }
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".map[data-observatory-contour-url]").forEach(drawChoropleth);
    document.querySelectorAll(".map[data-points]").forEach(drawPoints);
    drawCharts();
  });
})();
