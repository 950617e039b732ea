/* Maille — strategy pages: indicator charts (Chart.js) and indicator maps (Leaflet), drawn from `json_script` data.
   Every chart and map has a table with the same values on the page; nothing here is needed to read them. */
(function () {
  "use strict";

  var COLORS = { measures: "#1f3c88", target: "#b3261e", baseline: "#4a5568" };

  function readJson(id) {
    var node = id && document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function locale() {
    return document.documentElement.lang || "fr";
  }

  var DAY = 24 * 3600 * 1000;

  function dateFormat() {
    return new Intl.DateTimeFormat(locale(), { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" });
  }

  // Ticks on calendar boundaries (days, months, quarters, years…), at most about eight, between min and max (ms, UTC).
  function dateTicks(min, max) {
    var span = (max - min) / DAY;
    var ticks = [];
    var dayStep = [1, 2, 7, 14].find(function (step) { return span / step <= 8; });
    if (dayStep) {
      for (var t = Math.ceil(min / DAY) * DAY; t <= max; t += dayStep * DAY) ticks.push(t);
      return ticks;
    }
    var monthStep = [1, 2, 3, 6, 12, 24, 60, 120].find(function (step) { return span / (30.44 * step) <= 8; }) || 240;
    var first = new Date(min);
    var year = first.getUTCFullYear();
    var month = first.getUTCMonth();
    for (;;) {
      var value = Date.UTC(year, month, 1);
      if (value > max) break;
      if (value >= min && (year * 12 + month) % monthStep === 0) ticks.push(value);
      month += 1;
      if (month === 12) { month = 0; year += 1; }
    }
    return ticks;
  }

  function level(min, max, value) {
    return [{ x: min, y: value }, { x: max, y: value }];
  }

  function drawChart(canvas) {
    var data = readJson(canvas.getAttribute("data-chart"));
    if (!data || typeof Chart === "undefined" || data.start === null) return;
    // The time axis is linear over timestamps: distances between points are proportional to the dates.
    var min = data.start;
    var max = data.end;
    if (max - min < DAY) { min -= 15 * DAY; max += 15 * DAY; }
    var format = dateFormat();
    var datasets = [{
      label: data.text.measures,
      data: data.points,
      borderColor: COLORS.measures,
      backgroundColor: COLORS.measures,
      pointRadius: 4,
      spanGaps: true
    }];
    if (data.target !== null) {
      datasets.push({
        label: data.text.target,
        data: level(min, max, data.target),
        borderColor: COLORS.target,
        backgroundColor: COLORS.target,
        borderDash: [8, 4],
        pointRadius: 0
      });
    }
    if (data.baseline !== null) {
      datasets.push({
        label: data.text.baseline,
        data: level(min, max, data.baseline),
        borderColor: COLORS.baseline,
        backgroundColor: COLORS.baseline,
        borderDash: [2, 3],
        pointRadius: 0
      });
    }
    new Chart(canvas, {
      type: "line",
      data: { datasets: datasets },
      options: {
        locale: locale(),
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "nearest", axis: "x", intersect: false },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              title: function (items) {
                var item = items[0];
                return item ? (item.raw && item.raw.label) || format.format(new Date(item.parsed.x)) : "";
              }
            }
          }
        },
        scales: {
          x: {
            type: "linear",
            min: min,
            max: max,
            title: { display: true, text: data.text.date },
            afterBuildTicks: function (scale) {
              scale.ticks = dateTicks(scale.min, scale.max).map(function (value) { return { value: value }; });
            },
            ticks: { callback: function (value) { return format.format(new Date(value)); }, maxRotation: 0, autoSkip: true }
          },
          y: { title: { display: Boolean(data.unit), text: data.unit } }
        }
      }
    });
  }

  // The same sequential blue scale as the other maps (maille.js), plus a grey dashed style for "no data".
  var SCALE = ["#eef2fb", "#c6d3f0", "#8fa8e0", "#4f73c6", "#1f3c88"];
  var NO_DATA = { color: "#4a5568", weight: 1, dashArray: "4 3", fillColor: "#d9d9d9", fillOpacity: 0.6 };

  function hasValue(values, code) {
    return Object.prototype.hasOwnProperty.call(values, code);
  }

  function drawMap(element) {
    var figure = element.closest("figure");
    var url = element.getAttribute("data-indicator-contour-url");
    var values = readJson(element.getAttribute("data-values")) || {};
    var unit = element.getAttribute("data-unit") || "";
    var missing = element.getAttribute("data-missing") || "";
    var codes = Object.keys(values);
    var min = codes.length ? Math.min.apply(null, codes.map(function (c) { return values[c]; })) : 0;
    var max = codes.length ? Math.max.apply(null, codes.map(function (c) { return values[c]; })) : 0;
    var format = new Intl.NumberFormat(locale(), { maximumFractionDigits: 2 });

    function showMissing() {
      var status = figure && figure.querySelector(".map-status");
      if (status) status.hidden = false;
    }

    function style(code) {
      if (!hasValue(values, code)) return NO_DATA;
      var step = max > min ? Math.round(((values[code] - min) / (max - min)) * (SCALE.length - 1)) : SCALE.length - 1;
      return { color: "#1a202c", weight: 1, fillColor: SCALE[step], fillOpacity: 0.85 };
    }

    if (!url || typeof L === "undefined") return;
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { features: [] }; })
      .then(function (collection) {
        if (!collection.features || collection.features.length === 0) { showMissing(); return; }
        var map = L.map(element, { attributionControl: false, scrollWheelZoom: false, keyboard: true });
        var layer = L.geoJSON(collection, {
          style: function (feature) { return style((feature.properties || {}).code); },
          onEachFeature: function (feature, featureLayer) {
            var props = feature.properties || {};
            if (!props.nom) return;
            var text = hasValue(values, props.code)
              ? format.format(values[props.code]) + (unit ? " " + unit : "")
              : missing;
            featureLayer.bindTooltip(props.nom + " : " + text);
          }
        }).addTo(map);
        map.fitBounds(layer.getBounds(), { padding: [8, 8] });
      })
      .catch(showMissing);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart]").forEach(drawChart);
    document.querySelectorAll(".map[data-indicator-contour-url]").forEach(drawMap);
  });
})();
