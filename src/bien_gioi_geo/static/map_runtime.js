// The runtime of bien_gioi_geo's coverage maps (inlined into every map page by maps.py).
// Safety: every text from the data arrives as a JSON value and reaches the page only through textContent /
// createTextNode, never innerHTML; lookups by user-typed text use a Map, so 'constructor' or '__proto__' is no key.
window.bgGeo = window.bgGeo || (function () {
  function tip(labels, values) {
    var d = document.createElement('div');
    values.forEach(function (v, i) {
      var line = document.createElement('div');
      if (labels[i]) { var b = document.createElement('b'); b.textContent = labels[i] + ': '; line.appendChild(b); }
      line.appendChild(document.createTextNode(v));
      d.appendChild(line);
    });
    return d;
  }
  // data: {labels: [...], styles: [{...}], feats: [{c: coords, t: [values], s: style index, k: [search keys]}]}
  function lines(layer, data, base) {
    data.feats.forEach(function (f) {
      var pl = L.polyline(f.c, Object.assign({}, base, data.styles[f.s || 0] || {}));
      if (f.t) { pl.bindTooltip(tip(data.labels, f.t), {sticky: true}); }
      pl.addTo(layer);
    });
  }
  function points(layer, data, map) {
    var index = new Map();  // a Map, not an object: 'constructor' or '__proto__' is no marker
    data.feats.forEach(function (f) {
      var cm = L.circleMarker(f.c, data.styles[f.s || 0]);
      cm.bindTooltip(tip(data.labels, f.t));
      cm.addTo(layer);
      (f.k || []).forEach(function (k) { if (!index.has(k)) { index.set(k, cm); } });
    });
    return index;
  }
  function chainage(map, layer, parts, title, unit) {
    // parts: [[latlngs, km[]], ...]; hovering the line shows the chainage of the nearest vertex
    parts.forEach(function (p) {
      var pl = L.polyline(p[0], {color: '#111', weight: 4, opacity: 0.85}).addTo(layer);
      var halo = L.polyline(p[0], {color: '#000', weight: 14, opacity: 0.0}).addTo(layer);
      var tt = L.tooltip({sticky: true});
      halo.bindTooltip(tt);
      halo.on('mousemove', function (e) {
        var best = 0, bd = Infinity;
        for (var i = 0; i < p[0].length; i++) {
          var dy = p[0][i][0] - e.latlng.lat, dx = p[0][i][1] - e.latlng.lng, d = dx * dx + dy * dy;
          if (d < bd) { bd = d; best = i; }
        }
        var el = document.createElement('div');
        el.textContent = title + ': km ' + p[1][best].toFixed(3) + (unit ? ' ' + unit : '');
        halo.setTooltipContent(el);
      });
    });
  }
  function legend(map, title, groups) {
    var c = L.control({position: 'bottomright'});
    c.onAdd = function () {
      var d = L.DomUtil.create('div', 'bg-legend');
      d.style.cssText = 'background:rgba(255,255,255,0.92);padding:5px 8px;font:11px/1.35 sans-serif;' +
        'border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,0.4);max-height:38vh;max-width:22em;overflow:auto;';
      var h = document.createElement('b'); h.textContent = title; h.style.cursor = 'pointer';
      h.title = '±'; d.appendChild(h);
      var body = document.createElement('div'); d.appendChild(body);
      h.addEventListener('click', function () { body.style.display = body.style.display === 'none' ? '' : 'none'; });
      groups.forEach(function (g) {
        if (!g[1].length) { return; }
        var gh = document.createElement('div'); gh.style.marginTop = '4px'; gh.style.fontWeight = 'bold';
        gh.textContent = g[0]; body.appendChild(gh);
        g[1].forEach(function (it) {
          var row = document.createElement('div');
          var sw = document.createElement('span');
          sw.style.cssText = 'display:inline-block;width:18px;margin-right:6px;vertical-align:middle;';
          if (it[2] === 'ring') { sw.style.height = '12px'; sw.style.width = '12px'; sw.style.borderRadius = '50%';
            sw.style.border = '3px dashed ' + it[3]; }
          else if (it[2] === 'dot') { sw.style.height = '10px'; sw.style.width = '10px'; sw.style.borderRadius = '50%';
            sw.style.background = it[0]; sw.style.border = '2px solid ' + (it[3] || '#333'); }
          else {
            sw.style.height = '0';
            sw.style.borderTop = (it[2] === 'dash' ? '4px dashed ' : '5px solid ') + it[0];
          }
          row.appendChild(sw); row.appendChild(document.createTextNode(it[1])); body.appendChild(row);
        });
      });
      L.DomEvent.disableClickPropagation(d); L.DomEvent.disableScrollPropagation(d);
      return d;
    };
    c.addTo(map);
  }
  function search(map, index, placeholder, notFound) {
    var c = L.control({position: 'topleft'});
    c.onAdd = function () {
      var d = L.DomUtil.create('div', 'bg-search');
      d.style.cssText = 'background:#fff;padding:4px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,0.4);';
      var inp = document.createElement('input'); inp.type = 'search'; inp.placeholder = placeholder;
      inp.setAttribute('aria-label', placeholder); inp.style.width = '11em';
      var msg = document.createElement('div'); msg.style.font = '11px sans-serif'; msg.style.color = '#a00';
      inp.addEventListener('keydown', function (ev) {
        if (ev.key !== 'Enter') { return; }
        var q = inp.value.trim().replace(/\s+/g, '');
        var hit = index.get(q) || index.get(q.toUpperCase());
        msg.textContent = '';
        if (!hit) { msg.textContent = notFound; return; }
        map.setView(hit.getLatLng(), Math.max(map.getZoom(), 15)); hit.openTooltip();
      });
      d.appendChild(inp); d.appendChild(msg);
      L.DomEvent.disableClickPropagation(d);
      return d;
    };
    c.addTo(map);
  }
  function geodesicKm(a, b) {
    var R = 6371.0088, r = Math.PI / 180, dl = (b.lat - a.lat) * r, dn = (b.lng - a.lng) * r;
    var h = Math.sin(dl / 2) * Math.sin(dl / 2)
      + Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.sin(dn / 2) * Math.sin(dn / 2);
    return 2 * R * Math.asin(Math.sqrt(h));
  }
  function measure(map, title, clear) {
    var on = false, pts = [], line = null, out = null;
    var c = L.control({position: 'topleft'});
    c.onAdd = function () {
      var d = L.DomUtil.create('div', 'bg-measure');
      d.style.cssText = 'background:#fff;padding:4px 6px;border-radius:4px;' +
        'box-shadow:0 1px 4px rgba(0,0,0,0.4);font:12px sans-serif;';
      var btn = document.createElement('button'); btn.type = 'button'; btn.textContent = title;
      out = document.createElement('span'); out.style.marginLeft = '6px';
      btn.addEventListener('click', function () {
        on = !on; pts = []; if (line) { map.removeLayer(line); line = null; }
        out.textContent = on ? clear : ''; btn.style.fontWeight = on ? 'bold' : 'normal';
      });
      d.appendChild(btn); d.appendChild(out);
      L.DomEvent.disableClickPropagation(d);
      return d;
    };
    map.on('click', function (e) {
      if (!on) { return; }
      pts.push(e.latlng);
      if (line) { map.removeLayer(line); }
      line = L.polyline(pts, {color: '#000', dashArray: '4 4', weight: 2}).addTo(map);
      var km = 0; for (var i = 1; i < pts.length; i++) { km += geodesicKm(pts[i - 1], pts[i]); }
      out.textContent = '≈ ' + km.toFixed(3) + ' km';
    });
    c.addTo(map);
  }
  function fullscreen(map, title) {
    var c = L.control({position: 'topleft'});
    c.onAdd = function () {
      var b = L.DomUtil.create('button', 'bg-fullscreen');
      b.type = 'button'; b.title = title; b.textContent = title;
      b.style.cssText = 'font:12px sans-serif;padding:4px 6px;background:#fff;border-radius:4px;' +
        'border:1px solid rgba(0,0,0,0.3);box-shadow:0 1px 4px rgba(0,0,0,0.4);cursor:pointer;';
      b.addEventListener('click', function () {
        var el = map.getContainer();
        if (document.fullscreenElement) { document.exitFullscreen(); }
        else if (el.requestFullscreen) { el.requestFullscreen(); }
      });
      L.DomEvent.disableClickPropagation(b);
      return b;
    };
    c.addTo(map);
  }
  return {tip: tip, lines: lines, points: points, chainage: chainage, legend: legend, search: search,
          measure: measure, fullscreen: fullscreen};
})();
