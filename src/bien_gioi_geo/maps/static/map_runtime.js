// The runtime of bien_gioi_geo's maps (inlined into every map page by bien_gioi_geo.maps.elements).
// Safety: every text from the data arrives as a JSON value and reaches the page only through textContent /
// createTextNode, never innerHTML; lookups by user-typed text use a Map, so 'constructor' or '__proto__' is no key.
window.bgGeo = window.bgGeo || (function () {
  var lang = 'vi';
  function setLang(l) { lang = l; }
  function fmtKm(x) {  // as Babel writes it: 97,229 (vi), 97.229 (en)
    return x.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', {minimumFractionDigits: 3, maximumFractionDigits: 3});
  }
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
  function points(layer, data, map, opts) {
    var index = new Map();  // a Map, not an object: 'constructor' or '__proto__' is no marker
    var labels = L.layerGroup();
    data.feats.forEach(function (f) {
      var cm = L.circleMarker(f.c, data.styles[f.s || 0]);
      cm.bindTooltip(tip(data.labels, f.t));
      cm.addTo(layer);
      (f.k || []).forEach(function (k) { if (!index.has(k)) { index.set(k, cm); } });
      if (f.n !== undefined && opts && opts.labelZoom) {  // the marker's number, drawn beside it when zoomed in
        var el = document.createElement('span'); el.textContent = f.n;
        L.tooltip({permanent: true, direction: 'right', offset: [7, 0], className: 'bg-mlabel', interactive: false})
          .setLatLng(f.c).setContent(el).addTo(labels);
      }
    });
    if (opts && opts.labelZoom) {
      var show = function () {
        var on = map.getZoom() >= opts.labelZoom && map.hasLayer(layer);
        if (on && !map.hasLayer(labels)) { labels.addTo(map); } else if (!on && map.hasLayer(labels)) {
          map.removeLayer(labels); }
      };
      map.on('zoomend overlayadd overlayremove', show); show();
    }
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
        el.textContent = title + ': km ' + fmtKm(p[1][best]) + (unit ? ' ' + unit : '');
        halo.setTooltipContent(el);
      });
    });
  }
  function swatch(it) {  // the symbol as it is drawn on the map
    var sw = document.createElement('span'), size = (it[4] || 10) + 'px';
    sw.style.cssText = 'display:inline-block;width:22px;margin-right:6px;vertical-align:middle;' +
      'box-sizing:border-box;text-align:center;';
    if (it[2] === 'ring' || it[2] === 'dot') {
      var c = document.createElement('span');
      c.style.cssText = 'display:inline-block;box-sizing:border-box;border-radius:50%;vertical-align:middle;';
      c.style.width = size; c.style.height = size;
      if (it[2] === 'ring') { c.style.border = '2px dashed ' + it[3]; }
      else { c.style.background = it[0]; c.style.border = '2px solid ' + (it[3] || '#333'); }
      sw.appendChild(c);
    } else if (it[2] === 'label') {
      sw.textContent = '12'; sw.style.font = 'bold 10px sans-serif'; sw.style.border = '1px solid #999';
      sw.style.background = '#fff'; sw.style.borderRadius = '3px';
    } else if (it[2] !== 'none') {
      sw.style.height = '0';
      sw.style.borderTop = (it[2] === 'dash' ? '4px dashed ' : it[2] === 'dot-line' ? '3px dotted ' : '5px solid ')
        + it[0];
    }
    return sw;
  }
  function legend(map, title, groups) {
    var c = L.control({position: 'bottomright'});
    var folds = [];
    c.onAdd = function () {
      var d = L.DomUtil.create('div', 'bg-legend');
      d.style.cssText = 'background:rgba(255,255,255,0.94);padding:5px 8px;font:11px/1.35 sans-serif;' +
        'border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,0.4);max-width:24em;';
      var h = document.createElement('div'); h.textContent = title; h.className = 'bg-legend-head';
      h.style.fontWeight = 'bold'; d.appendChild(h);
      groups.forEach(function (g) {
        var gh = document.createElement('div'); gh.className = 'bg-group-head';
        gh.style.cssText = 'margin-top:4px;font-weight:bold;cursor:pointer;user-select:none;';
        var arrow = document.createElement('span'); arrow.className = 'bg-legend-toggle'; arrow.textContent = '▾ ';
        gh.appendChild(arrow); gh.appendChild(document.createTextNode(g[0]));
        var body = document.createElement('div'); body.className = 'bg-group-body';
        g[1].forEach(function (it) {
          var row = document.createElement('div');
          row.appendChild(swatch(it)); row.appendChild(document.createTextNode(it[1])); body.appendChild(row);
        });
        var fold = function (closed) { body.style.display = closed ? 'none' : ''; arrow.textContent = closed ? '▸ ' : '▾ '; };
        gh.addEventListener('click', function () { fold(body.style.display !== 'none'); });
        folds.push({fold: fold, body: body, n: g[1].length});
        d.appendChild(gh); d.appendChild(body);
      });
      L.DomEvent.disableClickPropagation(d); L.DomEvent.disableScrollPropagation(d);
      return d;
    };
    c.addTo(map);
    // fit the screen without scrolling: fold the longest groups until the legend fits beside the title
    var room = map.getSize().y - 110, el = c.getContainer();
    folds.slice().sort(function (a, b) { return b.n - a.n; }).forEach(function (f) {
      if (el.offsetHeight > room && f.n > 1) { f.fold(true); }
    });
  }
  function title(map, text, sub) {
    var d = document.createElement('div'); d.className = 'bg-title'; d.textContent = text;
    d.style.cssText = 'position:absolute;top:10px;left:50%;transform:translateX(-50%);z-index:1000;' +
      'background:rgba(255,255,255,0.94);padding:4px 12px;font:bold 15px/1.3 sans-serif;border-radius:4px;' +
      'box-shadow:0 1px 4px rgba(0,0,0,0.4);max-width:60%;text-align:center;pointer-events:none;';
    if (sub) {  // a second line (the set of administrative units), its own element so the title stays the title
      var s = document.createElement('div'); s.className = 'bg-title-sub'; s.textContent = sub;
      s.style.cssText = 'font:normal 12px/1.3 sans-serif;';
      var box = document.createElement('div'); box.style.cssText = d.style.cssText; d.style.cssText = '';
      box.className = 'bg-title-box'; box.appendChild(d); box.appendChild(s); d = box;
    }
    map.getContainer().appendChild(d);
    if (!document.getElementById('bg-label-css')) {
      var st = document.createElement('style'); st.id = 'bg-label-css';
      st.textContent = '.bg-mlabel{background:rgba(255,255,255,0.85);border:0;box-shadow:none;padding:0 2px;' +
        'font:bold 11px sans-serif;color:#111;}.bg-mlabel:before{display:none;}';
      document.head.appendChild(st);
    }
  }
  function scale(map, imperial) { L.control.scale({imperial: !!imperial, metric: true}).addTo(map); }
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
      out.textContent = '≈ ' + fmtKm(km) + ' km';
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
          measure: measure, fullscreen: fullscreen, title: title, scale: scale, setLang: setLang, fmtKm: fmtKm};
})();
