/* Maille — small enhancements over server-rendered pages: the phone menu button, commune suggestions under a
   commune field (htmx), contour maps (Leaflet, no tile server). Every page works without them. */
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

  // Commune suggestions: an input with data-commune-suggest="<list id>" asks the site's commune search (htmx) for
  // `?q=<typed text>&pick=1`; each suggestion is a button that fills the field and the hidden `<name>_code` input.
  function suggestInput(list) {
    return list && list.id ? document.querySelector('[data-commune-suggest="' + list.id + '"]') : null;
  }

  // The suggestion list (the element whose id a commune input names) around `element`.
  function ownerList(element) {
    var node = element.closest("[id]");
    while (node && !suggestInput(node)) node = node.parentElement ? node.parentElement.closest("[id]") : null;
    return node;
  }

  function suggestionButtons(list) {
    return Array.prototype.slice.call(list.querySelectorAll("button.suggestion"));
  }

  function choose(button) {
    var list = ownerList(button);
    var input = suggestInput(list);
    if (!input) return;
    input.value = button.getAttribute("data-commune-name");
    var form = input.form || document;
    var codeName = input.name + "_code";
    form.querySelectorAll('input[type="radio"][name="' + codeName + '"]').forEach(function (radio) {
      radio.checked = radio.value === button.getAttribute("data-commune-code");
    });
    var code = form.querySelector('input[type="hidden"][name="' + codeName + '"]');
    if (!code && input.form) {
      code = document.createElement("input");
      code.type = "hidden";
      code.name = codeName;
      input.form.appendChild(code);
    }
    if (code) code.value = button.getAttribute("data-commune-code");
    list.innerHTML = "";
    input.focus();
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var input = event.detail.elt;
    if (!input || !input.hasAttribute || !input.hasAttribute("data-commune-suggest")) return;
    delete event.detail.parameters[input.name];
    event.detail.parameters.q = input.value;
    event.detail.parameters.pick = "1";
  });

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.hasAttribute || !input.hasAttribute("data-commune-suggest") || !input.form) return;
    var code = input.form.querySelector('input[type="hidden"][name="' + input.name + '_code"]');
    if (code) code.value = "";  // typed again: the earlier choice no longer holds
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.suggestion[data-commune-code]");
    if (button) choose(button);
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target.hasAttribute && target.hasAttribute("data-commune-suggest")) {
      var list = document.getElementById(target.getAttribute("data-commune-suggest"));
      var first = list && suggestionButtons(list)[0];
      if (event.key === "ArrowDown" && first) { event.preventDefault(); first.focus(); }
      if (event.key === "Escape" && list) list.innerHTML = "";
      return;
    }
    if (!target.matches || !target.matches("button.suggestion")) return;
    var container = target.closest("ul");
    var buttons = container ? suggestionButtons(container) : [];
    var index = buttons.indexOf(target);
    if (event.key === "ArrowDown" && index < buttons.length - 1) { event.preventDefault(); buttons[index + 1].focus(); }
    if (event.key === "ArrowUp") {
      event.preventDefault();
      if (index > 0) buttons[index - 1].focus();
      else if (suggestInput(ownerList(target))) suggestInput(ownerList(target)).focus();
    }
    if (event.key === "Escape") {
      var box = ownerList(target);
      if (box) { suggestInput(box).focus(); box.innerHTML = ""; }
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".menu-toggle[aria-controls]").forEach(setUpMenu);
    document.querySelectorAll(".map[data-contour-url]").forEach(drawMap);
  });
})();
