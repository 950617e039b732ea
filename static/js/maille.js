/* Maille — small enhancements over server-rendered pages: the phone menu button, contour maps (Leaflet, no tile
   server). Every page works without them. */
(function () {
  "use strict";

  function showMissing(figure) {
    var status = figure.querySelector(".map-status");
    if (status) status.hidden = false;
  }

  function readJson(id) {
    var node = id && document.getElementById(id);
    if (!node) return null;
    var values = JSON.parse(node.textContent);
    var max = 0;
    Object.keys(values).forEach(function (key) { max = Math.max(max, values[key]); });
    return { values: values, max: max };
  }

  // A sequential blue scale, darker for higher values (five steps).
  var SCALE = ["#eef2fb", "#c6d3f0", "#8fa8e0", "#4f73c6", "#1f3c88"];

  function choroplethStyle(choropleth, code) {
    var value = choropleth.values[code] || 0;
    var step = choropleth.max ? Math.min(SCALE.length - 1, Math.floor((value / choropleth.max) * (SCALE.length - 1))) : 0;
    return { color: "#1a202c", weight: 1, fillColor: SCALE[step], fillOpacity: 0.85 };
  }

  function drawMap(element) {
    var figure = element.closest("figure");
    var url = element.getAttribute("data-contour-url");
    var highlight = element.getAttribute("data-highlight");
    var choropleth = readJson(element.getAttribute("data-choropleth"));
    if (!url || typeof L === "undefined") return;
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { features: [] }; })
      .then(function (collection) {
        if (!collection.features || collection.features.length === 0) { showMissing(figure); return; }
        var map = L.map(element, { attributionControl: false, scrollWheelZoom: false, keyboard: true });
        var layer = L.geoJSON(collection, {
          style: function (feature) {
            var props = feature.properties || {};
            if (choropleth) return choroplethStyle(choropleth, props.code);
            var isZone = props.role === "zone" || (highlight && props.code === highlight);
            return isZone
              ? { color: "#1f3c88", weight: 3, fillColor: "#3b6fd6", fillOpacity: 0.35 }
              : { color: "#4a5568", weight: 1, fillColor: "#cbd5e0", fillOpacity: 0.25 };
          },
          onEachFeature: function (feature, featureLayer) {
            var props = feature.properties || {};
            if (!props.nom) return;
            var value = choropleth ? " : " + (choropleth.values[props.code] || 0) : "";
            featureLayer.bindTooltip(props.nom + value);
          }
        }).addTo(map);
        map.fitBounds(layer.getBounds(), { padding: [8, 8] });
      })
      .catch(function () { showMissing(figure); });
  }

  // The menu button: under 48rem the main menu folds behind it; without JS the button stays hidden, the menu open.
  function setUpMenu(toggle) {
    var nav = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!nav) return;
    function setOpen(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("is-collapsed", !open);
    }
    setOpen(false);
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    nav.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true" && toggle.offsetParent) {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".menu-toggle[aria-controls]").forEach(setUpMenu);
    document.querySelectorAll(".map[data-contour-url]").forEach(drawMap);
  });
})();
