/* The sampler's reshaping, in the browser: a line-by-line mirror of providers/sampling.py
 * `reshape` (and playground/explorer.py `view`) over logits already sorted most likely first
 * (ties: lower index first), so a slider move needs no server round trip.
 *
 * Order, as the embedded sampler: softmax(logits / T) -> top-k -> top-p (on the top-k mass)
 * -> min-p -> renormalise. Each filter keeps a prefix of the sorted tokens. All arithmetic is in
 * float64 like the Python (which casts the float32 logits to float64 first); the unit test
 * tests/e2e/test_live_reshape_browser.py runs this file in Chromium against `view` to 1e-9.
 *
 * No DOM, no globals but `LiveReshape`: the page and the tests load the same file.
 */
(function (root) {
  "use strict";

  function sum(a, n) {
    // Neumaier-compensated: within ~1e-16 of numpy's pairwise sum, whatever the length
    let s = 0, c = 0;
    for (let i = 0; i < n; i++) {
      const v = a[i], t = s + v;
      c += Math.abs(s) >= Math.abs(v) ? (s - t) + v : (v - t) + s;
      s = t;
    }
    return s + c;
  }

  function entropyOf(x, inv, w, n, mass, thr) {
    // entropy (nats) of p = w / mass over w[0..n) (only weights >= thr), skipping p = 0, as
    // providers.sampling.entropy; log p is taken as (x - max) / T - log(mass), which is log(w)
    // without a Math.log per token (262,144 of them for Gemma on every temperature move)
    const m = x[0], logMass = Math.log(mass);
    let s = 0, c = 0;
    for (let i = 0; i < n; i++) {
      const wi = w[i];
      if (!(wi >= thr)) continue;
      const p = wi / mass;
      if (!(p > 0)) continue;
      const v = p * ((x[i] - m) * inv - logMass), t = s + v;
      c += Math.abs(s) >= Math.abs(v) ? (s - t) + v : (v - t) + s;
      s = t;
    }
    return -(s + c);
  }

  function sumAbove(w, n, thr) {
    let s = 0, c = 0;
    for (let i = 0; i < n; i++) {
      const v = w[i];
      if (!(v >= thr)) continue;
      const t = s + v;
      c += Math.abs(s) >= Math.abs(v) ? (s - t) + v : (v - t) + s;
      s = t;
    }
    return s + c;
  }

  /** A distribution: `logits` (Float64Array, sorted desc), `exact` (log-softmax is the raw logprob). */
  function Dist(logits, exact) {
    this.x = logits;
    this.exact = !!exact;
    const v = logits.length;
    const m = logits[0];
    const e = new Float64Array(v);
    for (let i = 0; i < v; i++) e[i] = Math.exp(logits[i] - m);
    this.lse = m + Math.log(sum(e, v)); // Distribution.log_normaliser
    this._w = new Float64Array(v); // one buffer, reused: a temperature move allocates nothing
    this._t = null; // the last temperature's weights (top-k/top-p/min-p moves reuse them)
  }

  Dist.prototype.weights = function (T) {
    // exp((x - max) * (1/T)), the total and the entropy at T: computed once per temperature
    if (this._t && this._t.T === T) return this._t;
    const x = this.x, v = x.length, m = x[0], inv = 1.0 / T, w = this._w;
    for (let i = 0; i < v; i++) w[i] = Math.exp((x[i] - m) * inv);
    const total = sum(w, v);
    this._t = { T: T, inv: inv, w: w, total: total, entropy: entropyOf(x, inv, w, v, total, -Infinity) };
    return this._t;
  };

  /** The first `show` tokens after reshaping: the fields of explorer.View, as plain arrays. */
  Dist.prototype.view = function (p, show) {
    const x = this.x, v = x.length;
    const n = Math.min(show, v);
    const logprob = new Array(n);
    for (let j = 0; j < n; j++) logprob[j] = this.exact ? x[j] - this.lse : x[j];
    const T = +p.temperature, k = Math.max(0, Math.floor(+p.top_k || 0));
    const topP = +p.top_p, minP = +p.min_p;
    const probsT = new Array(n), kept = new Array(n), fin = new Array(n);
    let nKept, entT, entF;
    if (!(T > 0)) {
      // greedy: the whole mass on the favourite (the lowest index among tied maxima)
      for (let j = 0; j < n; j++) { probsT[j] = j === 0 ? 1 : 0; kept[j] = j === 0; fin[j] = probsT[j]; }
      nKept = 1; entT = 0; entF = 0;
    } else {
      const W = this.weights(T), w = W.w, total = W.total;
      entT = W.entropy;
      for (let j = 0; j < n; j++) probsT[j] = w[j] / total;
      if (k === 0 && topP >= 1.0) {
        // min-p alone (or nothing): a threshold on weights relative to the favourite's (= 1)
        let keptMass = total;
        if (minP > 0) {
          nKept = 0;
          for (let i = 0; i < v; i++) if (w[i] >= minP) nKept++;
          keptMass = sumAbove(w, v, minP);
          entF = entropyOf(x, W.inv, w, v, keptMass, minP);
        } else {
          nKept = v;
          entF = entT;
        }
        for (let j = 0; j < n; j++) {
          kept[j] = minP > 0 ? w[j] >= minP : true;
          fin[j] = kept[j] ? w[j] / keptMass : 0;
        }
      } else {
        // _prefix_length: top-k, then top-p on what top-k kept, then min-p
        let len = v, totalP = total;
        if (k > 0) {
          len = Math.min(len, k);
          totalP = sum(w, len);
        }
        if (topP < 1.0) {
          const target = topP * totalP * (1 - 1e-12);
          let cum = 0, i = 0;
          for (; i < len; i++) { cum += w[i]; if (cum >= target) break; }
          len = Math.min(len, i + 1); // the token that crosses the line is kept
        }
        if (minP > 0 && len > 0) {
          const thr = minP * w[0];
          let c = 0;
          for (let i = 0; i < len; i++) if (w[i] >= thr) c++;
          len = Math.min(len, c);
        }
        nKept = Math.max(len, 1);
        const keptMass = sum(w, nKept);
        entF = entropyOf(x, W.inv, w, nKept, keptMass, -Infinity);
        for (let j = 0; j < n; j++) { kept[j] = j < nKept; fin[j] = kept[j] ? w[j] / keptMass : 0; }
      }
    }
    let sf = 0, st = 0;
    for (let j = 0; j < n; j++) { sf += fin[j]; st += probsT[j]; }
    return {
      logprob: logprob, probs_t: probsT, kept: kept, final: fin, n_kept: nKept,
      entropy_t: entT, entropy_final: entF,
      other_final: Math.max(0, 1 - sf), other_t: Math.max(0, 1 - st),
    };
  };

  /** float32 little-endian bytes (Uint8Array or ArrayBuffer) -> Float64Array */
  function fromBytes(bytes) {
    const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    const copy = u8.slice(); // aligned copy (a view into a message may start at any offset)
    const f32 = new Float32Array(copy.buffer, 0, copy.byteLength >> 2);
    return Float64Array.from(f32);
  }

  root.LiveReshape = { Dist: Dist, fromBytes: fromBytes, sum: sum };
})(typeof self !== "undefined" ? self : this);
