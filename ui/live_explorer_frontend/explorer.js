/* The live next-token chart: sliders, bars, pie ("le camembert"), cut tokens and metrics,
 * redrawn in the browser on every slider move (reshape.js), with Streamlit's component protocol
 * spoken directly over postMessage (no npm build):
 *   component -> Streamlit: streamlit:componentReady, streamlit:setComponentValue, streamlit:setFrameHeight
 *   Streamlit -> component: streamlit:render {args, theme, disabled}
 *
 * A setComponentValue reruns the page on the server, so the settings go back only when a move
 * ends: 500 ms after the last change (a drag released, a run of arrow keys), or at once when the
 * pointer or the focus leaves the chart (the next click is then on a page button, which must
 * see the new settings). A bar click is sent at once, with the settings.
 *
 * window.__live keeps the last redraw timings for the tests and bench/explorer_slider.py.
 */
(function () {
  "use strict";
  const DEBOUNCE_MS = 500;
  const KEPT = "#2563eb", CUT = "#d1d5db", OTHER = "#9ca3af";
  const PALETTE = ["#636EFA", "#EF553B", "#00CC96", "#AB63FA", "#FFA15A", "#19D3F3", "#FF6692", "#B6E880", "#FF97FF", "#FECB52"];
  const NAMES = ["temperature", "top_k", "top_p", "min_p", "show"];
  const OFF = { temperature: null, top_k: 0, top_p: 1, min_p: 0, show: null };

  const live = (window.__live = { redraws: [], sent: 0, renders: 0, ready: false });
  const S = { args: null, labels: {}, meta: null, dist: null, distKey: null, settings: null, lastArgs: null,
              lastSent: null, picks: 0, timer: null, pendingAt: null, frame: 0, built: false, height: 0, large: null };

  // ---- the protocol
  function post(type, data) {
    window.parent.postMessage(Object.assign({ isStreamlitMessage: true, type: type }, data), "*");
  }
  function sendValue(pick) {
    if (S.timer) { clearTimeout(S.timer); S.timer = null; }
    const value = { settings: Object.assign({}, S.settings) };
    if (pick) value.pick = pick;
    S.lastSent = JSON.stringify(S.settings);
    live.sent += 1;
    post("streamlit:setComponentValue", { value: value, dataType: "json" });
  }
  function flush() {
    if (S.settings && JSON.stringify(S.settings) !== S.lastSent) sendValue(null);
    else if (S.timer) { clearTimeout(S.timer); S.timer = null; }
  }
  function setHeight() {
    const h = Math.ceil(document.documentElement.scrollHeight);
    if (h !== S.height) { S.height = h; post("streamlit:setFrameHeight", { height: h }); }
  }

  // ---- French / English numbers, from the catalogue's separators
  function num(v, digits) {
    const s = Math.abs(v) < 0.5 * Math.pow(10, -digits) ? (0).toFixed(digits) : v.toFixed(digits);
    const [int, frac] = s.split(".");
    const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, S.labels.thousands || ",");
    return frac === undefined ? grouped : grouped + (S.labels.decimal || ".") + frac;
  }
  function pct(p, digits) { return (S.labels.percent || "{v}%").replace("{v}", num(100 * p, digits === undefined ? 1 : digits)); }
  function fill(tpl, vals) { return String(tpl || "").replace(/\{(\w+)\}/g, (m, k) => (k in vals ? vals[k] : m)); }
  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // ---- building the DOM once
  function sliderText(name, v) {
    let t = name === "temperature" || name === "top_p" || name === "min_p" ? num(v, 2) : num(v, 0);
    if (OFF[name] !== null && v === OFF[name]) t += " (" + S.labels.off + ")";
    return t;
  }
  function build() {
    const root = document.getElementById("root");
    root.textContent = "";
    const fs = el("fieldset", { class: "sliders" });
    fs.appendChild(el("legend", {}, S.labels.sliders));
    for (const name of NAMES) {
      const [lo, hi, step] = S.meta.ranges[name];
      const box = el("div", { class: "slider" });
      const lab = el("label", { for: "s-" + name });
      lab.appendChild(el("span", {}, S.labels[name]));
      const out = el("output", { id: "o-" + name, for: "s-" + name });
      lab.appendChild(out);
      const input = el("input", { type: "range", id: "s-" + name, name: name, min: lo, max: hi, step: step });
      const help = S.labels[name + "_help"];
      if (help) {
        input.setAttribute("aria-describedby", "h-" + name);
        box.append(lab, input, el("div", { id: "h-" + name, class: "help" }, help));
      } else box.append(lab, input);
      input.addEventListener("input", onInput);
      input.addEventListener("change", () => {
        if (S.timer) clearTimeout(S.timer);
        S.timer = setTimeout(flush, DEBOUNCE_MS);
      });
      fs.appendChild(box);
    }
    root.appendChild(fs);
    const charts = el("div", { class: "charts" });
    charts.append(el("div", { id: "bars", role: "img", "aria-label": S.labels.bars_title }),
                  el("div", { id: "pie", role: "img", "aria-label": S.labels.pie_title }));
    root.appendChild(charts);
    root.appendChild(el("div", { id: "cut", class: "cut", "aria-live": "polite" }));
    const metrics = el("div", { class: "metrics" });
    for (const m of ["entropy_t", "entropy_final", "kept", "top_token"]) {
      const box = el("div", { class: "metric", id: "m-" + m });
      box.append(el("div", { class: "name" }, S.labels[m]), el("div", { class: "value" }), el("div", { class: "sub" }));
      metrics.appendChild(box);
    }
    root.appendChild(metrics);
    root.appendChild(el("div", { class: "hint" }, S.labels.click_hint));
    S.built = true;
    root.removeAttribute("aria-busy");
  }

  function showSettings() {
    for (const name of NAMES) {
      const input = document.getElementById("s-" + name);
      input.value = S.settings[name];
      input.disabled = S.locked;  // the instructor locked the parameters (the room's preset)
      const text = sliderText(name, S.settings[name]);
      document.getElementById("o-" + name).textContent = text;
      input.setAttribute("aria-valuetext", text);
    }
  }

  function onInput(ev) {
    const name = ev.target.name;
    S.settings[name] = name === "top_k" || name === "show" ? parseInt(ev.target.value, 10) : parseFloat(ev.target.value);
    const text = sliderText(name, S.settings[name]);
    document.getElementById("o-" + name).textContent = text;
    ev.target.setAttribute("aria-valuetext", text);
    if (S.pendingAt === null) S.pendingAt = performance.now();
    if (!S.frame) S.frame = requestAnimationFrame(() => { S.frame = 0; draw(); });
  }

  // ---- one redraw
  function draw() {
    const t0 = S.pendingAt === null ? performance.now() : S.pendingAt;
    S.pendingAt = null;
    const st = Object.assign({}, S.settings);
    const top = S.meta.top, L = S.labels;
    const v = S.dist.view(st, st.show);
    const tView = performance.now();
    const n = v.final.length;
    const large = !!S.args.large;
    const ys = [], xs = [], colours = [], texts = [], hover = [];
    for (let j = 0; j < n; j++) {
      const x = v.kept[j] ? v.final[j] : v.probs_t[j];
      ys.push(top[j].label);
      xs.push(100 * x);
      colours.push(v.kept[j] ? KEPT : CUT);
      texts.push(v.kept[j] ? pct(x) : pct(x) + " (" + L.cut + ")");
      hover.push(top[j].hover + "<br>id " + (top[j].id === null ? "?" : top[j].id) + "<br>" +
                 fill(L.hover_raw, { p: pct(Math.exp(v.logprob[j]), 2), lp: num(v.logprob[j], 3) }) + "<br>" +
                 fill(L.hover_t, { p: pct(v.probs_t[j], 2), q: pct(v.final[j], 2) }));
    }
    ys.push(L.other); xs.push(100 * v.other_final); colours.push(OTHER); texts.push(pct(v.other_final)); hover.push(L.other_help);
    const font = { family: S.font, color: S.textColor, size: large ? 19 : 13 };
    const perBar = large ? 34 : 30;  // large: 11 bars fit a 1280x720 projector under the prompt
    // a fixed left margin from the longest label (Plotly's automargin costs a second redraw)
    const tick = large ? 20 : 14;
    const longest = ys.reduce((m, y) => Math.max(m, y.replace(/&[a-z]+;/g, "x").length), 0);
    const barLayout = {
      height: Math.max(large ? 320 : 260, perBar * ys.length + (large ? 40 : 60)),
      margin: { l: 16 + Math.ceil(0.62 * tick * longest), r: large ? 90 : 70, t: 10, b: 30 },
      yaxis: { autorange: "reversed", type: "category", fixedrange: true,
               tickfont: { family: "monospace", size: large ? 20 : 14, color: S.textColor } },
      xaxis: { title: { text: "%" }, range: [0, Math.max(1, ...xs) * 1.2], fixedrange: true }, showlegend: false,
      font: font, paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)", transition: { duration: 0 },
    };
    const bars = [{ type: "bar", x: xs, y: ys, orientation: "h", marker: { color: colours }, text: texts,
                    textposition: "outside", hovertext: hover, hoverinfo: "text", cliponaxis: false }];
    const labels = [], values = [], pieColours = [];
    for (let j = 0; j < n; j++) if (v.kept[j]) { pieColours.push(PALETTE[labels.length % PALETTE.length]); labels.push(top[j].label); values.push(v.final[j]); }
    if (v.other_final > 1e-6) { labels.push(L.other); values.push(v.other_final); pieColours.push(OTHER); }
    const pieTexts = values.map((p) => pct(p));
    const pie = [{ type: "pie", labels: labels, values: values, sort: false, direction: "clockwise", hole: 0,
                   marker: { colors: pieColours, line: { color: "white", width: 1 } }, text: pieTexts,
                   textinfo: "label+text", hoverinfo: "label+text", textposition: "inside",
                   insidetextorientation: "horizontal" }];
    const pieLayout = { height: large ? 400 : 380, margin: { l: 10, r: 10, t: 10, b: 10 }, showlegend: false,
                        font: font, paper_bgcolor: "rgba(0,0,0,0)" };
    const config = { displayModeBar: false, responsive: true };
    const tBuild = performance.now();
    const barsDone = Plotly.react("bars", bars, barLayout, config);
    const tBars = performance.now();
    const done = Promise.all([barsDone, Plotly.react("pie", pie, pieLayout, config)]);
    const tPie = performance.now();

    const cut = [];
    for (let j = 0; j < n; j++) if (!v.kept[j]) cut.push(top[j].text);
    document.getElementById("cut").textContent = cut.length ? L.cut_list + " " + cut.join(" · ") : L.none_cut;
    const metric = (id, value, sub) => {
      const box = document.getElementById("m-" + id);
      box.children[1].textContent = value;
      box.children[2].textContent = sub;
    };
    metric("entropy_t", fill(L.nats, { v: num(v.entropy_t, 2) }), fill(L.bits, { v: num(v.entropy_t / Math.LN2, 2) }));
    metric("entropy_final", fill(L.nats, { v: num(v.entropy_final, 2) }), fill(L.bits, { v: num(v.entropy_final / Math.LN2, 2) }));
    metric("kept", num(v.n_kept, 0), fill(L.of_vocab, { n: num(S.meta.vocab, 0) }));
    metric("top_token", n ? top[0].text : "—", n ? pct(v.kept[0] ? v.final[0] : v.probs_t[0]) : "");

    // timed when both charts have settled (Plotly finishes the bars' labels asynchronously,
    // after the pie's synchronous part), at the next frame: the frame that shows all of it
    const rec = { ms: null, settings: st, sent: live.sent, first: texts[0],
                  parts: { view: tView - t0, bars: tBars - tBuild, pie: tPie - tBars } };
    done.then(() => requestAnimationFrame(() => {
      rec.ms = performance.now() - t0;
      live.redraws.push(rec);
      if (live.redraws.length > 500) live.redraws.shift();
      document.body.dataset.redraws = String(live.redraws.length);
      if (!S.clicks) bindClicks();
      setHeight();
    }));
    return done;
  }

  // ---- Streamlit's render message
  function applyTheme(theme) {
    if (!theme) return;
    const r = document.documentElement.style;
    if (theme.textColor) { r.setProperty("--text", theme.textColor); S.textColor = theme.textColor; }
    if (theme.backgroundColor) r.setProperty("--bg", theme.backgroundColor);
    if (theme.primaryColor) r.setProperty("--accent", theme.primaryColor);
    if (theme.font) { document.body.style.fontFamily = theme.font; S.font = theme.font; }
  }

  function onRender(data) {
    const args = data.args || {};
    S.args = args;
    S.labels = args.labels || {};
    applyTheme(data.theme);
    document.body.classList.toggle("large", !!args.large);
    const meta = args.meta;
    if (!meta || !args.logits) return;
    if (meta.key !== S.distKey) {
      S.dist = new LiveReshape.Dist(LiveReshape.fromBytes(args.logits), meta.exact);
      S.distKey = meta.key;
    }
    S.meta = meta;
    S.picks = Math.max(S.picks, args.picks_seen || 0);
    const incoming = JSON.stringify(args.settings);
    // the server's settings win when it changed them itself (first render, a new visit); its
    // echo of what this chart sent, or a stale copy while a move is pending, does not
    S.locked = !!args.locked;
    const adopt = !S.settings || S.locked || (incoming !== S.lastArgs && incoming !== S.lastSent);
    S.lastArgs = incoming;
    if (adopt) S.settings = Object.assign({}, args.settings);
    live.renders += 1;
    // a rerun that changed nothing here (the echo of a move that ended) redraws nothing: the
    // browser is busy enough redrawing the rest of the page
    const sig = JSON.stringify([meta.key, S.labels, !!args.large, S.locked, S.textColor || null, S.font || null]);
    if (S.built && !adopt && sig === S.sig) { setHeight(); return; }
    S.sig = sig;
    const labelsSig = JSON.stringify(S.labels);  // a language switch rebuilds the labelled sliders
    if (!S.built || S.large !== !!args.large || S.labelsSig !== labelsSig) {
      build(); S.large = !!args.large; S.labelsSig = labelsSig; S.clicks = false;
    }
    showSettings();
    draw();
    live.ready = true;
  }

  function bindClicks() {
    // Plotly gives the div .on() at its first plot; a click on a candidate's bar appends it
    const div = document.getElementById("bars");
    if (!div.on) return;
    S.clicks = true;
    div.on("plotly_click", (ev) => {
      const pt = ev && ev.points && ev.points[0];
      if (!pt || pt.pointIndex === undefined) return;
      const n = Math.min(S.settings.show, S.meta.n);
      if (pt.pointIndex < n) { S.picks += 1; sendValue({ rank: pt.pointIndex, count: S.picks }); }
    });
  }

  function fail(err) {
    const root = document.getElementById("root");
    root.textContent = "";
    root.appendChild(el("div", { class: "error", role: "alert" },
                        fill(S.labels.failed || "{error}", { error: String((err && err.message) || err) })));
    setHeight();
  }

  window.addEventListener("message", (ev) => {
    if (!ev.data || ev.data.type !== "streamlit:render") return;
    try { onRender(ev.data); } catch (err) { fail(err); }
  });
  window.addEventListener("blur", flush);
  document.documentElement.addEventListener("pointerleave", flush);
  document.addEventListener("visibilitychange", flush);
  new ResizeObserver(setHeight).observe(document.body);
  post("streamlit:componentReady", { apiVersion: 1 });
})();
