// ConvNet Atlas convolution explorer: plain JavaScript, no framework, no network.
//
// One behaviour, two languages. Output sizes, TensorFlow's 'SAME'/'VALID' and their
// messages (generator/nn/shapes.py, tensorflow.py) come from the site's one JavaScript
// core, formulas.js (window.AtlasFormulas); compute() below re-implements, check for check,
//   generator/nn/conv_checks.py  (operand checks of conv2d / conv_transpose2d)
//   generator/nn/conv.py, pool.py (the values, PyTorch semantics)
// and tests/browser/test_explorer.py runs a few hundred random settings through
// both and compares every size, value, window and message. The presets (the
// site's worked examples) come from the generator as window.ATLAS_EXPLORER
// (explorer/data.js, written by generator/pages/explorer.py).
//
// window.AtlasExplorer.compute(state) -> {error, out_shape, values, windows, pads, ...}
(function () {
  "use strict";

  var OPS = {
    conv: "convolution",
    conv_transpose: "transposed convolution",
    max_pool: "max pooling",
    avg_pool: "average pooling",
  };
  var PAD_MODES = {
    numbers: "numbers per side",
    same: "PyTorch 'same'",
    valid: "PyTorch 'valid'",
    SAME: "TensorFlow 'SAME'",
    VALID: "TensorFlow 'VALID'",
  };
  var LIMITS = {size: 32, channels: 4, filters: 4, small: 16};
  var TIMES = window.AtlasFormulas.TIMES;

  // ------------------------------------------------------------ Python-style text

  var tuple = window.AtlasFormulas.tupleRepr, dimsX = window.AtlasFormulas.dims;
  /** A value as the explorer writes it: integers plainly, others with up to 4 decimals. */
  function numText(v) {
    if (v === -Infinity) return "−∞";
    if (Number.isInteger(v)) return v < 0 ? "−" + (-v) : String(v);
    var s = v.toFixed(4).replace(/0+$/, "").replace(/\.$/, "");
    return s.charAt(0) === "-" ? "−" + s.slice(1) : s;
  }
  /** A value as Python source. */
  function pyNum(v) {
    return Number.isInteger(v) ? String(v) : String(v);
  }
  function shapeText(dims) {
    return dims.join(TIMES);
  }

  // ------------------------------------------------------------ shapes.py, from the one core

  var F = window.AtlasFormulas;
  var ValueError = F.ShapeError;
  var checkNonNegative = F.checkNonNegative, checkFits = F.checkFits, checkConvArgs = F.checkConvArgs;
  var samePadding = F.samePadding, convFormula = F.convFormula, poolFormula = F.poolFormula;
  var tfOutputSize = F.tfOutputSize;
  function floorDiv(a, b) {
    return Math.floor(a / b);
  }

  // ------------------------------------------------------------ conv_checks.py

  function checkOperands(st, opName, transposed) {
    var g = st.groups, C = st.C, F = st.F;
    if (!Number.isInteger(g) || g < 1) throw new ValueError("groups must be a positive int, got " + g);
    var wshape = transposed ? [C, floorDiv(F, g), st.kernel[0], st.kernel[1]]
      : [F, floorDiv(C, g), st.kernel[0], st.kernel[1]];
    if (Math.min.apply(null, wshape) < 1) {
      throw new ValueError(opName + ": weight must not be empty, got shape " + tuple(wshape));
    }
    if (C % g) throw new ValueError("in_channels " + C + " is not divisible by groups " + g);
    var out = transposed ? wshape[1] * g : F;
    if (!transposed && F % g) throw new ValueError("out_channels " + F + " is not divisible by groups " + g);
    if (st.bias && out !== F) {
      throw new ValueError(opName + ": bias must have shape (" + out + ",), got " + tuple([F]));
    }
    return out;
  }

  // ------------------------------------------------------------ the computation

  function zeros3(a, b, c, fill) {
    var out = [];
    for (var i = 0; i < a; i++) {
      var plane = [];
      for (var j = 0; j < b; j++) {
        var row = [];
        for (var k = 0; k < c; k++) row.push(fill);
        plane.push(row);
      }
      out.push(plane);
    }
    return out;
  }

  /** The explicit padding [top, bottom, left, right] a convolution uses (checks included). */
  function convPads(st) {
    var k = st.kernel, s = st.stride, d = st.dilation, mode = st.pad_mode;
    if (mode === "same") {
      if (s[0] !== 1 || s[1] !== 1) throw new ValueError("padding='same' is not supported for strided convolutions");
      var ph = samePadding(k[0], d[0]), pw = samePadding(k[1], d[1]);
      return {pads: [ph[0], ph[1], pw[0], pw[1]], call: "same"};
    }
    if (mode === "valid") return {pads: [0, 0, 0, 0], call: "valid"};
    if (mode === "SAME" || mode === "VALID") {
      var th = tfOutputSize(st.H, k[0], s[0], d[0], mode);
      var tw = tfOutputSize(st.W, k[1], s[1], d[1], mode);
      return {pads: [th[1], th[2], tw[1], tw[2]], call: "pad"};
    }
    var p = st.padding;
    if (p[0] === p[1] && p[2] === p[3]) {
      checkNonNegative([p[0], p[2]], "padding");
      return {pads: p.slice(), call: "pair"};
    }
    checkNonNegative(p, "padding");
    return {pads: p.slice(), call: "pad"};
  }

  function conv(st) {
    var pads = st.pad_mode === "SAME" || st.pad_mode === "VALID" ? convPads(st) : null;
    checkOperands(st, "conv2d", false);
    if (!pads) pads = convPads(st);
    var P = pads.pads, k = st.kernel, s = st.stride, d = st.dilation;
    var explicit = pads.call === "pad";
    var sizes = explicit ? [st.H + P[0] + P[1], st.W + P[2] + P[3]] : [st.H, st.W];
    var conv4 = explicit ? [0, 0, 0, 0] : [P[0], P[2], P[1], P[3]];
    checkConvArgs(sizes, k, s, conv4, d);
    var totals = explicit ? [0, 0] : [P[0] + P[1], P[2] + P[3]];
    checkFits(sizes, k, totals, d);
    var oh = convFormula(sizes[0], k[0], s[0], totals[0], d[0]);
    var ow = convFormula(sizes[1], k[1], s[1], totals[1], d[1]);
    var windows = [];
    for (var y = 0; y < oh; y++) {
      var row = [];
      for (var x = 0; x < ow; x++) {
        var taps = [];
        for (var i = 0; i < k[0]; i++) {
          for (var j = 0; j < k[1]; j++) {
            taps.push([i, j, y * s[0] - P[0] + i * d[0], x * s[1] - P[2] + j * d[1]]);
          }
        }
        row.push(taps);
      }
      windows.push(row);
    }
    var cg = st.C / st.groups, fg = st.F / st.groups;
    var values = zeros3(st.F, oh, ow, 0), partials = [];
    for (var f = 0; f < st.F; f++) {
      var g = Math.floor(f / fg);
      for (y = 0; y < oh; y++) {
        for (x = 0; x < ow; x++) {
          var total = 0;
          for (var c = 0; c < cg; c++) {
            var plane = st.x[g * cg + c], wt = st.w[f][c], part = 0;
            windows[y][x].forEach(function (t) {
              if (t[2] >= 0 && t[2] < st.H && t[3] >= 0 && t[3] < st.W) part += plane[t[2]][t[3]] * wt[t[0]][t[1]];
            });
            total += part;
          }
          values[f][y][x] = total + (st.bias ? st.b[f] : 0);
        }
      }
    }
    return {out_shape: [st.F, oh, ow], values: values, windows: windows, pads: P, call: pads.call, partials: partials};
  }

  function convTranspose(st) {
    var out = checkOperands(st, "conv_transpose2d", true);
    var k = st.kernel, s = st.stride, d = st.dilation, p = [st.padding[0], st.padding[2]];
    var op = st.output_padding;
    var hw = F.convTranspose2dOutputHW([st.H, st.W], k, s, p, op, d), oh = hw[0], ow = hw[1];
    var windows = [];
    for (var y = 0; y < oh; y++) {
      var row = [];
      for (var x = 0; x < ow; x++) row.push([]);
      windows.push(row);
    }
    for (var iy = 0; iy < st.H; iy++) {
      for (var ix = 0; ix < st.W; ix++) {
        for (var i = 0; i < k[0]; i++) {
          for (var j = 0; j < k[1]; j++) {
            var yy = iy * s[0] - p[0] + i * d[0], xx = ix * s[1] - p[1] + j * d[1];
            if (yy >= 0 && yy < oh && xx >= 0 && xx < ow) windows[yy][xx].push([i, j, iy, ix]);
          }
        }
      }
    }
    var cg = st.C / st.groups, fg = out / st.groups;
    var values = zeros3(out, oh, ow, 0);
    for (var f = 0; f < out; f++) {
      var g = Math.floor(f / fg);
      for (y = 0; y < oh; y++) {
        for (x = 0; x < ow; x++) {
          var total = 0;
          for (var c = 0; c < cg; c++) {
            var cin = g * cg + c;
            windows[y][x].forEach(function (t) {
              total += st.x[cin][t[2]][t[3]] * st.w[cin][f % fg][t[0]][t[1]];
            });
          }
          values[f][y][x] = total + (st.bias ? st.b[f] : 0);
        }
      }
    }
    return {out_shape: [out, oh, ow], values: values, windows: windows, pads: [p[0], p[0], p[1], p[1]], call: "pair"};
  }

  function pool(st, max) {
    var k = st.kernel, s = st.stride, p = [st.padding[0], st.padding[2]];
    var d = max ? st.dilation : [1, 1];
    var hw = F.pool2dOutputHW([st.H, st.W], k, s, p, d, st.ceil_mode), oh = hw[0], ow = hw[1];
    var windows = [];
    for (var y = 0; y < oh; y++) {
      var row = [];
      for (var x = 0; x < ow; x++) {
        var taps = [];
        for (var i = 0; i < k[0]; i++) {
          for (var j = 0; j < k[1]; j++) taps.push([i, j, y * s[0] - p[0] + i * d[0], x * s[1] - p[1] + j * d[1]]);
        }
        row.push(taps);
      }
      windows.push(row);
    }
    var divisor = function (size, o, kk, ss, pp) {
      var start = o * ss - pp, end = Math.min(start + kk, size + pp);
      if (st.count_include_pad) return end - start;
      return Math.min(end, size) - Math.max(start, 0);
    };
    var values = zeros3(st.C, oh, ow, 0), divisors = [];
    for (y = 0; y < oh; y++) {
      var drow = [];
      for (x = 0; x < ow; x++) {
        drow.push(max ? null : divisor(st.H, y, k[0], s[0], p[0]) * divisor(st.W, x, k[1], s[1], p[1]));
      }
      divisors.push(drow);
    }
    for (var c = 0; c < st.C; c++) {
      for (y = 0; y < oh; y++) {
        for (x = 0; x < ow; x++) {
          var acc = max ? -Infinity : 0;
          windows[y][x].forEach(function (t) {
            if (t[2] < 0 || t[2] >= st.H || t[3] < 0 || t[3] >= st.W) return;
            var v = st.x[c][t[2]][t[3]];
            acc = max ? Math.max(acc, v) : acc + v;
          });
          values[c][y][x] = max ? acc : acc / divisors[y][x];
        }
      }
    }
    return {out_shape: [st.C, oh, ow], values: values, windows: windows, pads: [p[0], p[0], p[1], p[1]],
      call: "pair", divisors: divisors};
  }

  /** What PyTorch and TensorFlow give for the current sizes, or their messages. */
  function frameworks(st) {
    var out = {};
    var attempt = function (fn) {
      try {
        return {shape: fn()};
      } catch (e) {
        if (e instanceof ValueError) return {error: e.message};
        throw e;
      }
    };
    var k = st.kernel, s = st.stride, d = st.dilation;
    if (st.op === "conv") {
      ["same", "valid"].forEach(function (m) {
        out["torch_" + m] = attempt(function () {
          var alt = Object.assign({}, st, {pad_mode: m});
          return conv(alt).out_shape;
        });
      });
      ["SAME", "VALID"].forEach(function (m) {
        out["tf_" + m] = attempt(function () {
          return [st.F, tfOutputSize(st.H, k[0], s[0], d[0], m)[0], tfOutputSize(st.W, k[1], s[1], d[1], m)[0]];
        });
      });
    } else if (st.op === "conv_transpose") {
      // Keras Conv2DTranspose (output_padding=None): 'SAME' gives H*s, 'VALID' H*s + max(k_eff - s, 0);
      // it refuses a stride above 1 with a dilation above 1 (tensorflow.check_keras_conv_transpose).
      ["SAME", "VALID"].forEach(function (m) {
        out["tf_" + m] = attempt(function () {
          checkConvArgs([st.H, st.W], k, s, [0, 0], d);
          F.checkKerasConvTranspose(s, d, null);
          return [st.F].concat([0, 1].map(function (i) {
            return F.kerasConvTransposeOutputSize([st.H, st.W][i], k[i], s[i], m, null, d[i]);
          }));
        });
      });
    } else {
      ["SAME", "VALID"].forEach(function (m) {
        out["tf_" + m] = attempt(function () {
          var dd = st.op === "max_pool" ? d : [1, 1];
          F.checkKerasConv(s, dd);  // tf.nn.pool refuses a dilation with a stride, as Keras's convolutions do
          return [st.C, tfOutputSize(st.H, k[0], s[0], dd[0], m)[0], tfOutputSize(st.W, k[1], s[1], dd[1], m)[0]];
        });
      });
    }
    return out;
  }

  /**
   * The explorer's whole computation for one setting.
   *
   * state: {op, C, H, W, F, kernel: [KH, KW], stride, dilation, pad_mode, padding: [top, bottom,
   * left, right], output_padding, groups, bias, ceil_mode, count_include_pad,
   * x: C×H×W, w: F×(C/groups)×KH×KW (transposed: C×(F/groups)×KH×KW), b: F}.
   * Returns {error} or {out_shape, values, windows[y][x] = [[i, j, row, col], ...], pads}.
   */
  function compute(st) {
    try {
      var r;
      if (st.op === "conv") r = conv(st);
      else if (st.op === "conv_transpose") r = convTranspose(st);
      else if (st.op === "max_pool") r = pool(st, true);
      else if (st.op === "avg_pool") r = pool(st, false);
      else throw new ValueError("unknown operation " + st.op);
      r.error = null;
      return r;
    } catch (e) {
      if (e instanceof ValueError) return {error: e.message};
      throw e;
    }
  }

  // ------------------------------------------------------------ receptive field of a stack

  var RF_KINDS = {conv: "conv", maxpool: "max_pool", avgpool: "avg_pool"};
  var RF_FIELDS = ["kernel", "stride", "padding", "dilation"];

  /** "conv kernel=3 stride=2" per line -> [{kind, kernel, stride, padding, dilation}] or a ValueError. */
  function parseStack(text) {
    var layers = [];
    text.split(/\n|;/).forEach(function (line) {
      var words = line.trim().split(/[\s,]+/).filter(function (w) { return w; });
      if (!words.length) return;
      var where = "layer " + (layers.length + 1);
      var kind = words[0].toLowerCase();
      if (!RF_KINDS.hasOwnProperty(kind)) {
        throw new ValueError(where + ": unknown kind '" + words[0] + "' (conv, maxpool or avgpool)");
      }
      var layer = {kind: kind, kernel: null, stride: null, padding: 0, dilation: 1};
      words.slice(1).forEach(function (w) {
        var m = /^([a-z_]+)[=:](-?\d+)$/.exec(w);
        if (!m || RF_FIELDS.indexOf(m[1]) < 0 || (kind === "avgpool" && m[1] === "dilation")) {
          throw new ValueError(where + " (" + kind + "): cannot read '" + w + "' (" +
            RF_FIELDS.filter(function (f) { return kind !== "avgpool" || f !== "dilation"; }).join("=, ") + "=)");
        }
        layer[m[1]] = parseInt(m[2], 10);
      });
      if (layer.kernel === null) throw new ValueError(where + " (" + kind + "): missing field 'kernel'");
      if (layer.stride === null) layer.stride = kind === "conv" ? 1 : layer.kernel;
      layers.push(layer);
    });
    if (!layers.length) throw new ValueError("the stack has no layers");
    if (layers.length > 12) throw new ValueError("at most 12 layers, got " + layers.length);
    return layers;
  }

  /**
   * The sizes after each layer of a stack on an H×W input, and the input rows and columns that
   * output (y, x) of the last map depends on (the region is their product).
   */
  function receptive(H, W, text, y, x) {
    try {
      var layers = parseStack(text), sizes = [[H, W]];
      layers.forEach(function (l, i) {
        var hw = sizes[sizes.length - 1], k = [l.kernel, l.kernel], s = [l.stride, l.stride];
        var p = [l.padding, l.padding], d = [l.dilation, l.dilation];
        try {
          if (l.kind === "conv") {
            checkConvArgs(hw, k, s, [p[0], p[1], p[0], p[1]], d);
            checkFits(hw, k, [2 * p[0], 2 * p[1]], d);
            sizes.push(hw.map(function (n) { return convFormula(n, l.kernel, l.stride, 2 * l.padding, l.dilation); }));
          } else {
            sizes.push(F.pool2dOutputHW(hw, k, s, p, d, false));
          }
        } catch (e) {
          if (e instanceof ValueError) e.message = "layer " + (i + 1) + " (" + l.kind + "): " + e.message;
          throw e;
        }
      });
      var last = sizes[sizes.length - 1];
      y = Math.min(Math.max(y || 0, 0), last[0] - 1);
      x = Math.min(Math.max(x || 0, 0), last[1] - 1);
      var back = function (axis, start) {
        var set = [start];
        for (var i = layers.length - 1; i >= 0; i--) {
          var l = layers[i], n = sizes[i][axis], seen = {};
          set.forEach(function (o) {
            for (var t = 0; t < l.kernel; t++) {
              var q = o * l.stride - l.padding + t * l.dilation;
              if (q >= 0 && q < n) seen[q] = true;
            }
          });
          set = Object.keys(seen).map(Number).sort(function (a, b) { return a - b; });
        }
        return set;
      };
      return {error: null, layers: layers, sizes: sizes, at: [y, x], rows: back(0, y), cols: back(1, x)};
    } catch (e) {
      if (e instanceof ValueError) return {error: e.message};
      throw e;
    }
  }

  // ------------------------------------------------------------ state, values, URL

  var DEFAULT = {
    op: "conv", C: 1, H: 6, W: 6, F: 1, kernel: [3, 3], stride: [1, 1], dilation: [1, 1],
    pad_mode: "numbers", padding: [0, 0, 0, 0], output_padding: [0, 0], groups: 1, bias: false,
    ceil_mode: false, count_include_pad: true, seed: 1,
    rf: "conv kernel=3\nconv kernel=3\nmaxpool kernel=2\nconv kernel=3 dilation=2", rf_at: [0, 0], rf_hw: [16, 16],
  };

  /** A small integer for position idx of a tensor: deterministic, so a link reopens the same values. */
  function seeded(seed, tensor, idx, lo, hi) {
    var h = (seed * 2654435761 + tensor * 97531 + idx * 40503) >>> 0;
    h ^= h >>> 15;
    h = Math.imul(h, 2246822519) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 3266489917) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
    return lo + (h % (hi - lo + 1));
  }

  function weightShape(st) {
    var g = Math.max(1, st.groups | 0);
    if (st.op === "conv") return [st.F, Math.max(1, Math.floor(st.C / g)), st.kernel[0], st.kernel[1]];
    if (st.op === "conv_transpose") return [st.C, Math.max(1, Math.floor(st.F / g)), st.kernel[0], st.kernel[1]];
    return [0, 0, 0, 0];
  }

  function count(shape) {
    return shape.reduce(function (a, b) { return a * Math.max(b, 0); }, 1);
  }

  function nest(flat, shape) {
    if (shape.length === 1) return flat.slice(0, shape[0]);
    var step = count(shape.slice(1)), out = [];
    for (var i = 0; i < shape[0]; i++) out.push(nest(flat.slice(i * step, (i + 1) * step), shape.slice(1)));
    return out;
  }

  function flatten(a) {
    return Array.isArray(a) ? a.reduce(function (acc, v) { return acc.concat(flatten(v)); }, []) : [a];
  }

  /** Fill st.x, st.w, st.b: the reader's values where given (st.vx, ...), else the seeded defaults. */
  function materialise(st) {
    var xs = [st.C, st.H, st.W], ws = weightShape(st).map(function (v) { return Math.max(v, 0); });
    var fill = function (given, shape, tensor, lo, hi) {
      var n = count(shape), flat = [];
      for (var i = 0; i < n; i++) flat.push(given && i < given.length ? given[i] : seeded(st.seed, tensor, i, lo, hi));
      return nest(flat, shape);
    };
    st.x = fill(st.vx, xs, 1, 0, 3);
    st.w = count(ws) ? fill(st.vw, ws, 2, -1, 1) : [];
    st.b = fill(st.vb, [st.F], 3, -2, 2);
    return st;
  }

  function pairText(p) {
    return p[0] + "," + p[1];
  }

  function encodeState(st) {
    var parts = ["v1"];
    if (st.preset) {  // an example as it opened: its name is enough
      parts.push("ex=" + encodeURIComponent(st.preset));
      return parts.concat(viewParts(st)).join("&");
    }
    parts.push("op=" + st.op, "in=" + [st.C, st.H, st.W].join(","), "k=" + pairText(st.kernel),
      "s=" + pairText(st.stride));
    if (st.dilation[0] !== 1 || st.dilation[1] !== 1) parts.push("d=" + pairText(st.dilation));
    parts.push("pad=" + (st.pad_mode === "numbers" ? st.padding.join(",") : st.pad_mode));
    if (st.op === "conv" || st.op === "conv_transpose") {
      parts.push("f=" + st.F, "g=" + st.groups);
      if (st.bias) parts.push("bias=1");
    }
    if (st.op === "conv_transpose" && (st.output_padding[0] || st.output_padding[1])) parts.push("op_pad=" + pairText(st.output_padding));
    if (st.ceil_mode) parts.push("ceil=1");
    if (!st.count_include_pad) parts.push("cip=0");
    if (st.seed !== 1) parts.push("seed=" + st.seed);
    ["vx", "vw", "vb"].forEach(function (key) {
      if (st[key]) parts.push(key + "=" + st[key].map(function (v) { return String(v); }).join(","));
    });
    return parts.concat(viewParts(st)).join("&");
  }

  /** Where the reader is: the output position and the receptive-field stack. */
  function viewParts(st) {
    var parts = [];
    if (st.pos) parts.push("at=" + st.pos);
    if (st.rf !== DEFAULT.rf) parts.push("rf=" + encodeURIComponent(st.rf));
    if (st.rf_at[0] || st.rf_at[1]) parts.push("rfat=" + pairText(st.rf_at));
    if (st.rf_hw[0] !== DEFAULT.rf_hw[0] || st.rf_hw[1] !== DEFAULT.rf_hw[1]) parts.push("rfhw=" + pairText(st.rf_hw));
    return parts;
  }

  function intOr(text, fallback, lo, hi) {
    var v = parseInt(text, 10);
    if (!/^-?\d+$/.test(String(text).trim()) || Number.isNaN(v)) return fallback;
    return Math.min(hi, Math.max(lo, v));
  }

  function decodeState(hash) {
    hash = hash.replace(/^#/, "");
    if (hash.slice(0, 3) !== "v1&") return null;
    var st = JSON.parse(JSON.stringify(DEFAULT));
    var pair = function (v, fallback, lo, hi) {
      var a = v.split(",");
      return [intOr(a[0], fallback[0], lo, hi), intOr(a.length > 1 ? a[1] : a[0], fallback[1], lo, hi)];
    };
    var nums = function (v) {
      var out = v.split(",").map(Number).filter(function (n) { return Number.isFinite(n); });
      return out.length ? out.slice(0, 4096) : null;
    };
    hash.slice(3).split("&").forEach(function (part) {
      var eq = part.indexOf("="), key = part.slice(0, eq), v = part.slice(eq + 1);
      if (eq < 0) return;
      if (key === "op" && OPS.hasOwnProperty(v)) st.op = v;
      else if (key === "in") {
        var a = v.split(",");
        st.C = intOr(a[0], st.C, 1, LIMITS.channels);
        st.H = intOr(a[1], st.H, 1, LIMITS.size);
        st.W = intOr(a[2], st.W, 1, LIMITS.size);
      } else if (key === "k") st.kernel = pair(v, st.kernel, 0, LIMITS.small);
      else if (key === "s") st.stride = pair(v, st.stride, 0, LIMITS.small);
      else if (key === "d") st.dilation = pair(v, st.dilation, 0, LIMITS.small);
      else if (key === "op_pad") st.output_padding = pair(v, st.output_padding, 0, LIMITS.small);
      else if (key === "pad") {
        if (PAD_MODES.hasOwnProperty(v) && v !== "numbers") st.pad_mode = v;
        else {
          var p = v.split(",");
          st.padding = [0, 1, 2, 3].map(function (i) { return intOr(p[Math.min(i, p.length - 1)], 0, 0, LIMITS.small); });
        }
      } else if (key === "f") st.F = intOr(v, st.F, 1, LIMITS.filters);
      else if (key === "g") st.groups = intOr(v, st.groups, 0, LIMITS.channels);
      else if (key === "bias") st.bias = v === "1";
      else if (key === "ceil") st.ceil_mode = v === "1";
      else if (key === "cip") st.count_include_pad = v !== "0";
      else if (key === "seed") st.seed = intOr(v, 1, 1, 1e9);
      else if (key === "vx" || key === "vw" || key === "vb") st[key] = nums(v);
      else if (key === "at") st.pos = intOr(v, 0, 0, 1e6);
      else if (key === "rfat") st.rf_at = pair(v, [0, 0], 0, 1e6);
      else if (key === "rfhw") st.rf_hw = pair(v, DEFAULT.rf_hw, 1, LIMITS.size);
      else if (key === "rf") {
        try { st.rf = decodeURIComponent(v).slice(0, 2000); } catch (e) { st.rf = DEFAULT.rf; }
      }
      else if (key === "ex") {
        try { st.preset = decodeURIComponent(v); } catch (e) { st.preset = null; }
      }
    });
    return st;
  }

  function presets() {
    var data = window.ATLAS_EXPLORER;
    return data && data.presets ? data.presets : [];
  }

  /** A preset (generator/pages/explorer.py) as a state. */
  function presetState(id) {
    var found = presets().filter(function (p) { return p.id === id; })[0];
    if (!found) return null;
    var st = JSON.parse(JSON.stringify(DEFAULT));
    Object.keys(found.state).forEach(function (k) { st[k] = JSON.parse(JSON.stringify(found.state[k])); });
    st.preset = id;
    return st;
  }

  // ------------------------------------------------------------ the code to copy

  function pyList(a) {
    if (!Array.isArray(a)) return pyNum(a);
    return "[" + a.map(pyList).join(", ") + "]";
  }
  function pyPair(p) {
    return p[0] === p[1] ? String(p[0]) : "(" + p[0] + ", " + p[1] + ")";
  }

  /** The generator.nn call and the torch.nn.functional call for the state (two Python sources). */
  function code(st, result) {
    var lines = {nn: [], torch: []};
    var shape = [st.C, st.H, st.W];
    var x = pyList(st.x);
    lines.nn.push("import numpy as np", "from generator import nn", "",
      "x = np.array(" + x + ", dtype=float)  # " + shapeText(shape) + " (C" + TIMES + "H" + TIMES + "W)");
    lines.torch.push("import torch", "import torch.nn.functional as F", "",
      "x = torch.tensor(" + x + ", dtype=torch.float64)  # " + shapeText(shape));
    var args = [], fn;
    var conv = st.op === "conv" || st.op === "conv_transpose";
    if (conv) {
      var ws = weightShape(st);
      lines.nn.push("w = np.array(" + pyList(st.w) + ", dtype=float)  # " + shapeText(ws));
      lines.torch.push("w = torch.tensor(" + pyList(st.w) + ", dtype=torch.float64)");
      if (st.bias) {
        lines.nn.push("b = np.array(" + pyList(st.b) + ", dtype=float)");
        lines.torch.push("b = torch.tensor(" + pyList(st.b) + ", dtype=torch.float64)");
      }
      args.push("x", "w");
      if (st.bias) args.push("b");
    } else {
      args.push("x", "kernel_size=" + pyPair(st.kernel));
    }
    if (conv || st.stride[0] !== st.kernel[0] || st.stride[1] !== st.kernel[1]) {
      if (st.stride[0] !== 1 || st.stride[1] !== 1 || !conv) args.push("stride=" + pyPair(st.stride));
    }
    var padArg = null;
    if (st.op === "conv") {
      var call = result && !result.error ? result.call : null;
      if (st.pad_mode === "same" || st.pad_mode === "valid") padArg = "'" + st.pad_mode + "'";
      else if (call === "pad" || (!call && st.pad_mode !== "numbers")) {
        var P = result && !result.error ? result.pads : st.padding;
        var note = st.pad_mode === "SAME" || st.pad_mode === "VALID"
          ? "  # TensorFlow '" + st.pad_mode + "': (left, right, top, bottom)" : "  # (left, right, top, bottom)";
        var padTuple = "(" + [P[2], P[3], P[0], P[1]].join(", ") + ")";
        lines.nn.push("x = nn.pad(x, " + padTuple + ")" + note);
        lines.torch.push("x = F.pad(x, " + padTuple + ")" + note);
      } else if (st.padding[0] || st.padding[2]) padArg = pyPair([st.padding[0], st.padding[2]]);
    } else if (st.padding[0] || st.padding[2]) padArg = pyPair([st.padding[0], st.padding[2]]);
    if (padArg) args.push("padding=" + padArg);
    if (st.op === "conv_transpose" && (st.output_padding[0] || st.output_padding[1])) {
      args.push("output_padding=" + pyPair(st.output_padding));
    }
    if (conv && st.groups !== 1) args.push("groups=" + st.groups);
    if (st.op !== "avg_pool" && (st.dilation[0] !== 1 || st.dilation[1] !== 1)) args.push("dilation=" + pyPair(st.dilation));
    if (!conv && st.ceil_mode) args.push("ceil_mode=True");
    if (st.op === "avg_pool" && !st.count_include_pad) args.push("count_include_pad=False");
    fn = {conv: "conv2d", conv_transpose: "conv_transpose2d", max_pool: "max_pool2d", avg_pool: "avg_pool2d"}[st.op];
    var tail = result && !result.error ? "  # " + shapeText(result.out_shape) : "  # ValueError: " + (result ? result.error : "");
    lines.nn.push("y = nn." + fn + "(" + args.join(", ") + ")", "print(y.shape)" + tail);
    lines.torch.push("y = F." + fn + "(" + args.join(", ") + ")", "print(y.shape)" + tail);
    return {nn: lines.nn.join("\n") + "\n", torch: lines.torch.join("\n") + "\n"};
  }

  // ------------------------------------------------------------ the page

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "text") node.textContent = v;
      else if (k === "className") node.className = v;
      else node.setAttribute(k, v === true ? "" : v);
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  var reducedMotion = function () {
    return !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  };

  function Explorer(root, index) {
    this.root = root;
    this.prefix = "atlas-xp" + index + "-";
    this.embedded = root.hasAttribute("data-preset");
    this.useHash = !this.embedded;
    this.written = null;
    this.timer = null;
    this.selectedInput = null;
    var fromHash = this.useHash ? decodeState(location.hash) : null;
    var preset = root.getAttribute("data-preset") || (window.ATLAS_EXPLORER && window.ATLAS_EXPLORER.default_preset);
    var st = fromHash;
    var openRf = !!fromHash && /(^|&)rf(at|hw)?=/.test(location.hash);
    if (fromHash && fromHash.preset && !/(^|&)(in|k)=/.test(location.hash)) {
      st = presetState(fromHash.preset);
      if (st) {
        st.rf = fromHash.rf;
        st.rf_at = fromHash.rf_at;
        st.rf_hw = fromHash.rf_hw;
        st.pos = fromHash.pos;
      }
    }
    this.state = st || presetState(preset) || JSON.parse(JSON.stringify(DEFAULT));
    this.build();
    this.sync(true);
    var self = this;
    if (root.hasAttribute("data-autoplay") && !reducedMotion()) this.play();
    if (root.hasAttribute("data-rf")) {  // an embed that opens on a stack: data-rf="conv kernel=3; conv kernel=3"
      this.state.rf = root.getAttribute("data-rf");
      openRf = true;
    }
    if (openRf) {
      this.rfBox.open = true;
      this.renderReceptive();
    }
    if (this.useHash) {
      window.addEventListener("hashchange", function () {
        if (location.hash.replace(/^#/, "") === self.written) return;
        var next = decodeState(location.hash);
        if (next) {
          self.state = next;
          self.sync(true);
        }
      });
    }
  }

  Explorer.prototype.id = function (s) {
    return this.prefix + s;
  };

  Explorer.prototype.number = function (key, label, min, max, index) {
    var self = this;
    var input = el("input", {type: "number", id: this.id(key + (index === undefined ? "" : index)), min: min, max: max,
      step: 1, inputmode: "numeric", autocomplete: "off", "aria-describedby": this.id("message")});
    input.addEventListener("input", function () {
      var v = input.value.trim();
      if (!/^-?\d+$/.test(v)) return;
      var n = Math.min(max, Math.max(min, parseInt(v, 10)));
      self.setField(key, index, n);
    });
    input.addEventListener("change", function () { self.showControls(); });
    var wrap = el("label", {className: "atlas-xp__field", "for": input.id}, [el("span", {text: label}), input]);
    this.controls.push({key: key, index: index, input: input, wrap: wrap});
    return wrap;
  };

  Explorer.prototype.check = function (key, label) {
    var self = this;
    var input = el("input", {type: "checkbox", id: this.id(key)});
    input.addEventListener("change", function () { self.setField(key, undefined, input.checked); });
    var wrap = el("label", {className: "atlas-xp__check", "for": input.id}, [input, " " + label]);
    this.controls.push({key: key, input: input, wrap: wrap, checkbox: true});
    return wrap;
  };

  Explorer.prototype.setField = function (key, index, value) {
    var st = this.state;
    var before = {x: st.x, w: st.w, b: st.b};
    if (index === undefined) st[key] = value;
    else st[key][index] = value;
    if (key === "kernel" && (st.op === "max_pool" || st.op === "avg_pool") && this.strideFollows) {
      st.stride = st.kernel.slice();
    }
    if (key === "stride") this.strideFollows = false;
    st.preset = null;
    this.reshapeValues(before);
    this.sync(false);
  };

  /** After a change of shape, a reader's (or a preset's) values stay where their indices still exist. */
  Explorer.prototype.reshapeValues = function (before) {
    var st = this.state;
    var shapes = {x: [st.C, st.H, st.W], w: weightShape(st), b: [st.F]};
    ["x", "w", "b"].forEach(function (k) {
      var old = before[k], key = "v" + k;
      if (!st[key] || !old || !old.length) return;
      var oldShape = [], probe = old;
      while (Array.isArray(probe)) {
        oldShape.push(probe.length);
        probe = probe[0];
      }
      var shape = shapes[k];
      if (JSON.stringify(oldShape) === JSON.stringify(shape)) return;
      var flat = [], n = count(shape), tensor = {x: 1, w: 2, b: 3}[k];
      var range = {x: [0, 3], w: [-1, 1], b: [-2, 2]}[k];
      for (var i = 0; i < n; i++) {
        var idx = [], rest = i;
        for (var d = shape.length - 1; d >= 0; d--) {
          idx.unshift(rest % shape[d]);
          rest = Math.floor(rest / shape[d]);
        }
        var v = old, inside = idx.length === oldShape.length;
        for (d = 0; inside && d < idx.length; d++) {
          if (idx[d] >= oldShape[d]) inside = false;
          else v = v[idx[d]];
        }
        flat.push(inside ? v : seeded(st.seed, tensor, i, range[0], range[1]));
      }
      st[key] = flat;
    });
  };

  Explorer.prototype.build = function () {
    var self = this, root = this.root;
    root.textContent = "";
    root.classList.add("atlas-xp--ready");
    this.controls = [];

    this.opSelect = el("select", {id: this.id("op")}, Object.keys(OPS).map(function (k) {
      return el("option", {value: k, text: OPS[k]});
    }));
    this.opSelect.addEventListener("change", function () {
      var st = self.state, op = self.opSelect.value;
      var wasPool = st.op === "max_pool" || st.op === "avg_pool", isPool = op === "max_pool" || op === "avg_pool";
      st.op = op;
      if (isPool && !wasPool) {
        st.stride = st.kernel.slice();
        self.strideFollows = true;
        st.pad_mode = "numbers";
        st.padding = [0, 0, 0, 0];
      }
      if (op === "avg_pool") st.dilation = [1, 1];
      if (op !== "conv") {
        st.pad_mode = "numbers";
        st.padding = [st.padding[0], st.padding[0], st.padding[2], st.padding[2]];
      }
      st.preset = null;
      st.vw = st.vb = null;
      self.sync(true);
    });
    this.presetSelect = el("select", {id: this.id("preset")}, [el("option", {value: "", text: "your own setting"})]
      .concat(presets().map(function (p) { return el("option", {value: p.id, text: p.title}); })));
    this.presetSelect.addEventListener("change", function () {
      var st = presetState(self.presetSelect.value);
      if (st) {
        self.state = st;
        self.sync(true);
      }
    });
    this.padSelect = el("select", {id: this.id("pad-mode")}, Object.keys(PAD_MODES).map(function (k) {
      return el("option", {value: k, text: PAD_MODES[k]});
    }));
    this.padSelect.addEventListener("change", function () {
      self.state.pad_mode = self.padSelect.value;
      self.state.preset = null;
      self.sync(true);
    });
    var randomButton = el("button", {type: "button", className: "atlas-xp__button", text: "New values"});
    randomButton.addEventListener("click", function () {
      var st = self.state;
      st.seed = (st.seed % 997) + 1;
      st.vx = st.vw = st.vb = null;
      st.preset = null;
      self.sync(false);
    });

    var fieldset = function (legend, children, cls) {
      return el("fieldset", {className: "atlas-xp__group" + (cls ? " " + cls : "")}, [el("legend", {text: legend})].concat(children));
    };
    this.groups = {};
    this.groups.input = fieldset("Input (C" + TIMES + "H" + TIMES + "W)", [
      this.number("C", "channels", 1, LIMITS.channels), this.number("H", "height", 1, LIMITS.size),
      this.number("W", "width", 1, LIMITS.size)]);
    this.groups.kernel = fieldset("Kernel", [this.number("kernel", "height", 0, LIMITS.small, 0),
      this.number("kernel", "width", 0, LIMITS.small, 1)]);
    this.groups.stride = fieldset("Stride", [this.number("stride", "down", 0, LIMITS.small, 0),
      this.number("stride", "across", 0, LIMITS.small, 1)]);
    this.groups.dilation = fieldset("Dilation", [this.number("dilation", "down", 0, LIMITS.small, 0),
      this.number("dilation", "across", 0, LIMITS.small, 1)]);
    this.padMode = el("label", {className: "atlas-xp__field", "for": this.padSelect.id}, [el("span", {text: "mode"}), this.padSelect]);
    this.groups.padding = fieldset("Padding", [this.padMode,
      this.number("padding", "top", 0, LIMITS.small, 0), this.number("padding", "bottom", 0, LIMITS.small, 1),
      this.number("padding", "left", 0, LIMITS.small, 2), this.number("padding", "right", 0, LIMITS.small, 3)]);
    this.groups.filters = fieldset("Filters", [this.number("F", "count (out channels)", 1, LIMITS.filters),
      this.number("groups", "groups", 0, LIMITS.channels), this.check("bias", "bias")]);
    this.groups.output_padding = fieldset("Output padding", [this.number("output_padding", "bottom", 0, LIMITS.small, 0),
      this.number("output_padding", "right", 0, LIMITS.small, 1)]);
    this.groups.pool = fieldset("Pooling", [this.check("ceil_mode", "ceil_mode"),
      this.check("count_include_pad", "count_include_pad")]);

    this.message = el("p", {className: "atlas-xp__message", id: this.id("message"), role: "status", "aria-live": "polite"});
    this.formula = el("div", {className: "atlas-xp__formula"});

    // player
    var button = function (label, text, fn) {
      var b = el("button", {type: "button", className: "atlas-xp__button", "aria-label": label, title: label, text: text});
      b.addEventListener("click", fn);
      return b;
    };
    this.playButton = button("Play", "▶ Play", function () { self.togglePlay(); });
    this.scrub = el("input", {type: "range", id: this.id("scrub"), min: 0, max: 0, value: 0, step: 1});
    this.scrub.addEventListener("input", function () { self.go(parseInt(self.scrub.value, 10)); });
    this.positionText = el("output", {className: "atlas-xp__position", "for": this.scrub.id});
    var player = el("div", {className: "atlas-xp__player", role: "group", "aria-label": "Output position"}, [
      button("First output", "First", function () { self.stop(); self.go(0); }),
      button("Step back", "◀", function () { self.stop(); self.step(-1); }),
      this.playButton,
      button("Step forward", "▶", function () { self.stop(); self.step(1); }),
      el("label", {className: "atlas-xp__scrub", "for": this.scrub.id}, [el("span", {text: "Output position"}), this.scrub]),
      this.positionText,
    ]);

    this.stage = el("div", {className: "atlas-xp__stage"});
    this.detail = el("div", {className: "atlas-xp__detail", "aria-live": "polite"});
    this.codeNN = el("code");
    this.codeTorch = el("code");
    var copyButton = function (codeNode, what) {
      var b = el("button", {type: "button", className: "atlas-xp__button", text: "Copy " + what});
      b.addEventListener("click", function () {
        var done = function () { b.textContent = "Copied"; setTimeout(function () { b.textContent = "Copy " + what; }, 1200); };
        if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(codeNode.textContent).then(done, function () {});
        else {
          var range = document.createRange();
          range.selectNodeContents(codeNode);
          var sel = window.getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
          try { document.execCommand("copy"); done(); } catch (e) { /* the text stays selected */ }
        }
      });
      return b;
    };
    this.valuesArea = {};
    var valueBox = function (key, label) {
      var area = el("textarea", {id: self.id("values-" + key), rows: 4, spellcheck: "false", autocomplete: "off"});
      area.addEventListener("input", function () { self.readValues(key, area.value); });
      self.valuesArea[key] = area;
      return el("label", {className: "atlas-xp__values", "for": area.id}, [el("span", {text: label}), area]);
    };
    this.valuesError = el("p", {className: "atlas-xp__message", "aria-live": "polite"});
    var values = el("details", {className: "atlas-xp__more"}, [
      el("summary", {text: "Edit the values"}),
      el("p", {className: "atlas-xp__hint", text: "Numbers separated by spaces or commas, row after row; " +
        "the planes (channels, then filters) one after the other. Missing numbers keep their generated value."}),
      valueBox("x", "Input"), valueBox("w", "Weights"), valueBox("b", "Bias"), this.valuesError,
    ]);
    var codeBox = el("details", {className: "atlas-xp__more atlas-xp__code"}, [
      el("summary", {text: "Show the code"}),
      el("p", {className: "atlas-xp__hint"}, ["The site's NumPy operators (", el("code", {text: "generator.nn"}),
        ") and PyTorch, with these numbers:"]),
      el("div", {className: "atlas-xp__code-head"}, [el("strong", {text: "generator.nn"}), copyButton(this.codeNN, "generator.nn code")]),
      el("pre", {}, [this.codeNN]),
      el("div", {className: "atlas-xp__code-head"}, [el("strong", {text: "torch.nn.functional"}), copyButton(this.codeTorch, "PyTorch code")]),
      el("pre", {}, [this.codeTorch]),
    ]);

    var settings = el("div", {className: "atlas-xp__settings"}, [
      el("div", {className: "atlas-xp__line"}, [
        el("label", {className: "atlas-xp__field", "for": this.opSelect.id}, [el("span", {text: "Operation"}), this.opSelect]),
        el("label", {className: "atlas-xp__field", "for": this.presetSelect.id}, [el("span", {text: "Example"}), this.presetSelect]),
        randomButton,
      ]),
      el("div", {className: "atlas-xp__groups"}, [this.groups.input, this.groups.kernel, this.groups.stride,
        this.groups.dilation, this.groups.padding, this.groups.output_padding, this.groups.filters, this.groups.pool]),
    ]);
    root.appendChild(settings);
    root.appendChild(this.message);
    root.appendChild(this.formula);
    root.appendChild(player);
    root.appendChild(el("p", {className: "atlas-xp__hint", text: "Click an output cell to see its window and its sum; " +
      "click an input cell to see every output it feeds. Arrow keys step through the outputs."}));
    root.appendChild(this.stage);
    root.appendChild(this.detail);
    root.appendChild(values);
    root.appendChild(codeBox);
    root.appendChild(this.buildReceptive());

    root.addEventListener("keydown", function (e) { self.onKey(e); });
  };

  Explorer.prototype.showControls = function () {
    var st = this.state;
    this.opSelect.value = st.op;
    this.presetSelect.value = st.preset || "";
    this.padSelect.value = st.pad_mode;
    var conv = st.op === "conv" || st.op === "conv_transpose";
    this.controls.forEach(function (c) {
      if (c.checkbox) c.input.checked = !!st[c.key];
      else {
        var v = c.index === undefined ? st[c.key] : st[c.key][c.index];
        if (document.activeElement !== c.input || String(v) !== c.input.value) c.input.value = v;
      }
    });
    var show = function (node, on) { node.hidden = !on; };
    show(this.groups.dilation, st.op !== "avg_pool");
    show(this.groups.filters, conv);
    show(this.groups.output_padding, st.op === "conv_transpose");
    show(this.groups.pool, !conv);
    show(this.padMode, st.op === "conv");
    var numbers = st.pad_mode === "numbers" || st.op !== "conv";
    var self = this;
    this.controls.forEach(function (c) {
      if (c.key !== "padding") return;
      c.wrap.hidden = !numbers || (st.op !== "conv" && (c.index === 1 || c.index === 3));
      c.wrap.firstChild.textContent = st.op !== "conv" ? (c.index === 0 ? "rows (each side)" : "columns (each side)")
        : ["top", "bottom", "left", "right"][c.index];
    });
    this.controls.forEach(function (c) {
      if (c.key === "count_include_pad") c.wrap.hidden = st.op !== "avg_pool";
    });
    void self;
  };

  /** Recompute everything from this.state; `controls` also rewrites the form. */
  Explorer.prototype.sync = function (controls) {
    var st = this.state;
    if (st.op !== "conv") {
      // transposed convolution and pooling take one padding per dimension
      st.padding = [st.padding[0], st.padding[0], st.padding[2], st.padding[2]];
    }
    if (st.op === "avg_pool") st.dilation = [1, 1];
    materialise(st);
    if (controls) this.showControls();
    this.result = compute(st);
    this.frameworks = frameworks(st);
    var r = this.result;
    this.message.textContent = r.error ? "Error: " + r.error : "";
    this.message.classList.toggle("atlas-xp__message--error", !!r.error);
    this.total = r.error ? 0 : r.out_shape[0] * r.out_shape[1] * r.out_shape[2];
    if (!st.pos || st.pos >= this.total) st.pos = 0;
    this.scrub.max = Math.max(this.total - 1, 0);
    this.scrub.disabled = !this.total;
    this.renderFormula();
    this.renderStage();
    this.fillValues();
    var c = code(st, r);
    this.codeNN.textContent = c.nn;
    this.codeTorch.textContent = c.torch;
    this.renderReceptive();
    this.go(st.pos || 0, true);
  };

  Explorer.prototype.fillValues = function () {
    var st = this.state, self = this;
    var planes = function (a, depth) {
      if (depth === 1) return a.map(numPlain).join(" ");
      if (depth === 2) return a.map(function (row) { return row.map(numPlain).join(" "); }).join("\n");
      return a.map(function (p) { return planes(p, depth - 1); }).join("\n\n");
    };
    var set = function (key, text) {
      if (document.activeElement !== self.valuesArea[key]) self.valuesArea[key].value = text;
    };
    set("x", planes(st.x, 3));
    set("w", st.w.length ? planes(st.w, 4) : "");
    set("b", planes(st.b, 1));
    this.valuesArea.w.parentNode.hidden = !(st.op === "conv" || st.op === "conv_transpose");
    this.valuesArea.b.parentNode.hidden = !((st.op === "conv" || st.op === "conv_transpose") && st.bias);
  };

  function numPlain(v) {
    return String(v);
  }

  Explorer.prototype.readValues = function (key, text) {
    var tokens = text.split(/[\s,;]+/).filter(function (t) { return t !== ""; });
    var bad = tokens.filter(function (t) { return !Number.isFinite(Number(t)); });
    if (bad.length) {
      this.valuesError.textContent = "Not a number: " + bad[0];
      return;
    }
    this.valuesError.textContent = "";
    this.state["v" + key] = tokens.map(Number);
    this.state.preset = null;
    this.sync(false);
  };

  function sub(a, b) {
    return el("span", {}, [a, el("sub", {text: b})]);
  }

  Explorer.prototype.renderFormula = function () {
    var st = this.state, r = this.result, box = this.formula;
    box.textContent = "";
    var k = st.kernel, s = st.stride, d = st.op === "avg_pool" ? [1, 1] : st.dilation;
    var lines = [];
    var dimName = ["H", "W"], sizes = [st.H, st.W];
    [0, 1].forEach(function (i) {
      var n = sizes[i], name = dimName[i], text;
      if (r.error) return;
      var out = r.out_shape[i + 1];
      var p1 = r.pads[i * 2], p2 = r.pads[i * 2 + 1];
      if (st.op === "conv") {
        text = name + "′ = ⌊(" + name + " + pad₁ + pad₂ − d·(f − 1) − 1) / s⌋ + 1 = ⌊(" + n + " + " + p1 + " + " + p2 +
          " − " + d[i] + "·(" + k[i] + " − 1) − 1) / " + s[i] + "⌋ + 1 = " + out;
      } else if (st.op === "conv_transpose") {
        text = name + "′ = (" + name + " − 1)·s − 2p + d·(f − 1) + output_padding + 1 = (" + n + " − 1)·" + s[i] + " − 2·" + p1 +
          " + " + d[i] + "·(" + k[i] + " − 1) + " + st.output_padding[i] + " + 1 = " + out;
      } else {
        var open = st.ceil_mode ? "⌈" : "⌊", close = st.ceil_mode ? "⌉" : "⌋";
        text = name + "′ = " + open + "(" + name + " + 2p − d·(f − 1) − 1) / s" + close + " + 1 = " + open + "(" + n + " + 2·" + p1 +
          " − " + d[i] + "·(" + k[i] + " − 1) − 1) / " + s[i] + close + " + 1";
        var raw = poolFormula(n, k[i], s[i], p1, d[i], false);
        var ceiled = st.ceil_mode ? Math.floor((n + 2 * p1 - d[i] * (k[i] - 1) - 1 + s[i] - 1) / s[i]) + 1 : raw;
        text += " = " + ceiled;
        if (ceiled !== out) text += ", minus the last window, which would start in the padding: " + out;
      }
      lines.push(el("p", {className: "atlas-xp__eq", text: text}));
    });
    if (r.error) lines.push(el("p", {text: "No output for this setting."}));
    else {
      var padsText = st.op === "conv" && (r.call === "pad" || st.pad_mode !== "numbers")
        ? " (padding top " + r.pads[0] + ", bottom " + r.pads[1] + ", left " + r.pads[2] + ", right " + r.pads[3] + ")" : "";
      lines.push(el("p", {}, ["Output ", el("strong", {text: shapeText(r.out_shape)}), " (C" + TIMES + "H" + TIMES + "W)" + padsText + "."]));
    }
    var fw = this.frameworks, parts = [];
    var say = function (label, v) {
      if (!v) return;
      parts.push(label + ": " + (v.error ? "error (" + v.error + ")" : shapeText(v.shape)));
    };
    if (st.op === "conv") {
      say("PyTorch padding='same'", fw.torch_same);
      say("PyTorch padding='valid'", fw.torch_valid);
      say("TensorFlow padding='SAME'", fw.tf_SAME);
      say("TensorFlow padding='VALID'", fw.tf_VALID);
    } else if (st.op === "conv_transpose") {
      say("Keras Conv2DTranspose padding='same'", fw.tf_SAME);
      say("padding='valid'", fw.tf_VALID);
    } else {
      say("TensorFlow padding='SAME'", fw.tf_SAME);
      say("TensorFlow padding='VALID'", fw.tf_VALID);
    }
    lines.push(el("p", {className: "atlas-xp__frameworks", text: "With the same kernel and stride: " + parts.join(" · ") + "."}));
    lines.forEach(function (l) { box.appendChild(l); });
  };

  /** One plane as a grid of buttons; cells[i][j] for the in-bounds ones. */
  Explorer.prototype.plane = function (opts) {
    var rows = opts.rows, cols = opts.cols, self = this;
    var grid = el("div", {className: "atlas-xp__grid", role: "grid", "aria-label": opts.label,
      style: "--cols:" + cols});
    var cells = [];
    for (var i = 0; i < rows; i++) {
      var row = el("div", {className: "atlas-xp__row", role: "row"});
      var line = [];
      for (var j = 0; j < cols; j++) {
        var info = opts.cell(i, j);
        var cell = el(info.button ? "button" : "span", {
          type: info.button ? "button" : null, role: "gridcell",
          className: "atlas-xp__cell" + (info.pad ? " atlas-xp__cell--pad" : ""),
          tabindex: info.button ? "-1" : null, "aria-label": info.label, text: info.text,
        });
        if (info.button) {
          (function (data) {
            cell.addEventListener("click", function () { data.click(); });
          })(info);
        }
        row.appendChild(cell);
        line.push(cell);
      }
      grid.appendChild(row);
      cells.push(line);
    }
    void self;
    return {node: el("figure", {className: "atlas-xp__plane"}, [grid, el("figcaption", {text: opts.caption})]), cells: cells};
  };

  Explorer.prototype.renderStage = function () {
    var st = this.state, r = this.result, self = this, stage = this.stage;
    stage.textContent = "";
    this.inCells = [];
    this.outCells = [];
    this.wCells = [];
    var small = Math.max(st.W, r.error ? 0 : r.out_shape[2]) > 12;
    stage.classList.toggle("atlas-xp__stage--small", small);
    var conv = st.op === "conv" || st.op === "conv_transpose";
    var P = r.error || st.op === "conv_transpose" ? [0, 0, 0, 0] : r.pads.slice();
    if (!r.error && (st.op === "max_pool" || st.op === "avg_pool")) {
      // the ceil_mode overhang: windows running past the bottom/right padding
      var over = function (n, o, kk, ss, dd, pp) { return Math.max((o - 1) * ss + dd * (kk - 1) + 1 - (n + pp), pp); };
      var dd = st.op === "max_pool" ? st.dilation : [1, 1];
      P[1] = over(st.H, r.out_shape[1], st.kernel[0], st.stride[0], dd[0], P[0]);
      P[3] = over(st.W, r.out_shape[2], st.kernel[1], st.stride[1], dd[1], P[2]);
    }
    this.shownPads = P;
    var padText = st.op === "max_pool" ? "" : "0";  // max pooling pads with −∞: shown empty
    var inputs = el("div", {className: "atlas-xp__column"}, [el("h3", {className: "atlas-xp__title", text: "Input " +
      shapeText([st.C, st.H, st.W])})]);
    var stack = el("div", {className: "atlas-xp__stack"});
    for (var c = 0; c < st.C; c++) {
      (function (c) {
        var p = self.plane({
          rows: st.H + P[0] + P[1], cols: st.W + P[2] + P[3], label: "Input channel " + c,
          caption: st.C > 1 ? "channel " + c : "",
          cell: function (i, j) {
            var y = i - P[0], x = j - P[2];
            if (y < 0 || y >= st.H || x < 0 || x >= st.W) return {pad: true, text: padText, label: "padding " + (padText || "−∞")};
            return {button: true, text: numText(st.x[c][y][x]), label: "input channel " + c + " row " + y + " column " + x +
              ": " + numText(st.x[c][y][x]), click: function () { self.selectInput(c, y, x); }};
          },
        });
        self.inCells.push(p.cells);
        stack.appendChild(p.node);
      })(c);
    }
    inputs.appendChild(stack);
    stage.appendChild(inputs);

    if (conv && !r.error) {
      var ws = weightShape(st);
      var weights = el("div", {className: "atlas-xp__column"}, [el("h3", {className: "atlas-xp__title",
        text: "Weights " + shapeText(ws)})]);
      this.weightBox = el("div", {className: "atlas-xp__stack"});
      weights.appendChild(this.weightBox);
      this.biasText = el("p", {className: "atlas-xp__bias"});
      weights.appendChild(this.biasText);
      stage.appendChild(weights);
    } else {
      this.weightBox = null;
    }

    if (!r.error) {
      var outs = el("div", {className: "atlas-xp__column"}, [el("h3", {className: "atlas-xp__title",
        text: "Output " + shapeText(r.out_shape)})]);
      var ostack = el("div", {className: "atlas-xp__stack"});
      for (var f = 0; f < r.out_shape[0]; f++) {
        (function (f) {
          var p = self.plane({
            rows: r.out_shape[1], cols: r.out_shape[2], label: "Output channel " + f,
            caption: r.out_shape[0] > 1 ? (conv ? "filter " + f : "channel " + f) : "",
            cell: function (y, x) {
              return {button: true, text: numText(r.values[f][y][x]), label: "output channel " + f + " row " + y +
                " column " + x + ": " + numText(r.values[f][y][x]),
                click: function () { self.stop(); self.go((f * r.out_shape[1] + y) * r.out_shape[2] + x); self.focusCurrent(); }};
            },
          });
          self.outCells.push(p.cells);
          ostack.appendChild(p.node);
        })(f);
      }
      outs.appendChild(ostack);
      stage.appendChild(outs);
    }
  };

  Explorer.prototype.buildReceptive = function () {
    var self = this;
    this.rfText = el("textarea", {id: this.id("rf"), rows: 5, spellcheck: "false", autocomplete: "off",
      "aria-describedby": this.id("rf-message")});
    this.rfText.addEventListener("input", function () {
      self.state.rf = self.rfText.value;
      self.renderReceptive();
      self.writeHash();
    });
    this.rfMessage = el("p", {className: "atlas-xp__message", id: this.id("rf-message"), role: "status", "aria-live": "polite"});
    this.rfSizes = el("p", {className: "atlas-xp__hint"});
    this.rfStage = el("div", {className: "atlas-xp__stage"});
    this.rfDetail = el("p", {className: "atlas-xp__terms", "aria-live": "polite"});
    this.rfBox = el("details", {className: "atlas-xp__more atlas-xp__rf"}, [
      el("summary", {text: "Receptive field of a stack of layers"}),
      el("p", {className: "atlas-xp__hint", text: "One layer a line: " +
        "conv, maxpool or avgpool with kernel=, stride=, padding= and dilation= (square). Click a cell of the last map " +
        "to see the input cells it depends on; the arrow keys move it."}),
      el("div", {className: "atlas-xp__line"}, [this.rfNumber(0, "input height"), this.rfNumber(1, "input width")]),
      el("label", {className: "atlas-xp__values", "for": this.rfText.id}, [el("span", {text: "Layers"}), this.rfText]),
      this.rfMessage, this.rfSizes, this.rfStage, this.rfDetail,
    ]);
    this.rfBox.addEventListener("toggle", function () { if (self.rfBox.open) self.renderReceptive(); });
    return this.rfBox;
  };

  Explorer.prototype.rfNumber = function (i, label) {
    var self = this;
    this.rfInputs = this.rfInputs || [];
    var input = el("input", {type: "number", id: this.id("rf-hw" + i), min: 1, max: LIMITS.size, step: 1,
      inputmode: "numeric", autocomplete: "off"});
    input.addEventListener("input", function () {
      if (!/^\d+$/.test(input.value.trim())) return;
      self.state.rf_hw[i] = Math.min(LIMITS.size, Math.max(1, parseInt(input.value, 10)));
      self.renderReceptive();
      self.writeHash();
    });
    this.rfInputs.push(input);
    return el("label", {className: "atlas-xp__field", "for": input.id}, [el("span", {text: label}), input]);
  };

  Explorer.prototype.renderReceptive = function () {
    if (!this.rfBox || !this.rfBox.open) return;
    var st = this.state, self = this;
    if (document.activeElement !== this.rfText) this.rfText.value = st.rf;
    var H = st.rf_hw[0], W = st.rf_hw[1];
    this.rfInputs.forEach(function (input, i) {
      if (document.activeElement !== input) input.value = st.rf_hw[i];
    });
    var r = receptive(H, W, st.rf, st.rf_at[0], st.rf_at[1]);
    this.rfResult = r;
    this.rfMessage.textContent = r.error ? "Error: " + r.error : "";
    this.rfMessage.classList.toggle("atlas-xp__message--error", !!r.error);
    this.rfStage.textContent = "";
    this.rfDetail.textContent = "";
    if (r.error) {
      this.rfSizes.textContent = "";
      return;
    }
    st.rf_at = r.at;
    this.rfSizes.textContent = "Sizes: " + r.sizes.map(function (hw, i) {
      return (i ? r.layers[i - 1].kind + " → " : "input ") + shapeText(hw);
    }).join(", ") + ".";
    var rows = {}, cols = {};
    r.rows.forEach(function (v) { rows[v] = true; });
    r.cols.forEach(function (v) { cols[v] = true; });
    var input = this.plane({rows: H, cols: W, label: "Input, the region marked", caption: "input " + shapeText([H, W]),
      cell: function (i, j) { return {text: "", label: rows[i] && cols[j] ? "in the region" : "outside"}; }});
    input.cells.forEach(function (row, i) {
      row.forEach(function (cell, j) { if (rows[i] && cols[j]) cell.classList.add("atlas-xp__cell--window"); });
    });
    var last = r.sizes[r.sizes.length - 1];
    var out = this.plane({rows: last[0], cols: last[1], label: "Last map", caption: "last map " + shapeText(last),
      cell: function (i, j) {
        return {button: true, text: "", label: "row " + i + " column " + j, click: function () {
          st.rf_at = [i, j];
          self.renderReceptive();
          self.writeHash();
          var again = self.rfCells[i][j];
          if (again) again.focus({preventScroll: true});
        }};
      }});
    this.rfCells = out.cells;
    var cur = out.cells[r.at[0]][r.at[1]];
    cur.classList.add("atlas-xp__cell--current");
    cur.setAttribute("tabindex", "0");
    out.node.addEventListener("keydown", function (e) {
      var move = {ArrowRight: [0, 1], ArrowLeft: [0, -1], ArrowDown: [1, 0], ArrowUp: [-1, 0]}[e.key];
      if (!move) return;
      e.preventDefault();
      e.stopPropagation();
      var y = Math.min(last[0] - 1, Math.max(0, r.at[0] + move[0])), x = Math.min(last[1] - 1, Math.max(0, r.at[1] + move[1]));
      self.rfCells[y][x].click();
    });
    this.rfStage.appendChild(el("div", {className: "atlas-xp__column"}, [input.node]));
    this.rfStage.appendChild(el("div", {className: "atlas-xp__column"}, [out.node]));
    var span = function (list) { return list.length ? list[0] + "–" + list[list.length - 1] : "none"; };
    var holes = r.rows.length !== r.rows[r.rows.length - 1] - r.rows[0] + 1 || r.cols.length !== r.cols[r.cols.length - 1] - r.cols[0] + 1;
    this.rfDetail.textContent = "Cell (" + r.at[0] + ", " + r.at[1] + ") of the last map depends on input rows " + span(r.rows) +
      " and columns " + span(r.cols) + ": " + r.rows.length + TIMES + r.cols.length + " cells" +
      (holes ? ", with gaps (dilation skips rows and columns)" : "") + ".";
  };

  Explorer.prototype.position = function (pos) {
    var r = this.result, hw = r.out_shape[1] * r.out_shape[2];
    var f = Math.floor(pos / hw), rest = pos % hw;
    return [f, Math.floor(rest / r.out_shape[2]), rest % r.out_shape[2]];
  };

  Explorer.prototype.clearMarks = function () {
    this.root.querySelectorAll(".atlas-xp__cell--window, .atlas-xp__cell--current, .atlas-xp__cell--fed, .atlas-xp__cell--picked, .atlas-xp__cell--max")
      .forEach(function (n) {
        n.classList.remove("atlas-xp__cell--window", "atlas-xp__cell--current", "atlas-xp__cell--fed", "atlas-xp__cell--picked", "atlas-xp__cell--max");
        n.removeAttribute("data-tap");
      });
    this.root.querySelectorAll(".atlas-xp__cell[tabindex='0']").forEach(function (n) { n.setAttribute("tabindex", "-1"); });
  };

  /** The input channels filter f reads (its group's), for a convolution. */
  Explorer.prototype.channelsOf = function (f) {
    var st = this.state;
    if (st.op === "max_pool" || st.op === "avg_pool") return [f];
    var out = this.result.out_shape[0];
    var cg = st.C / st.groups, fg = out / st.groups, g = Math.floor(f / fg), list = [];
    for (var c = 0; c < cg; c++) list.push(g * cg + c);
    return list;
  };

  Explorer.prototype.go = function (pos, quiet) {
    var st = this.state, r = this.result;
    this.clearMarks();
    if (r.error || !this.total) {
      this.positionText.textContent = "";
      this.detail.textContent = "";
      this.writeHash();
      return;
    }
    pos = ((pos % this.total) + this.total) % this.total;
    st.pos = pos;
    this.scrub.value = pos;
    this.selectedInput = null;
    var at = this.position(pos), f = at[0], y = at[1], x = at[2];
    this.positionText.textContent = "output [" + f + ", " + y + ", " + x + "] · " + (pos + 1) + " of " + this.total;
    var cur = this.outCells[f][y][x];
    cur.classList.add("atlas-xp__cell--current");
    cur.setAttribute("tabindex", "0");
    var P = this.shownPads, self = this;
    var channels = this.channelsOf(f);
    var win = r.windows[y][x];
    var inb = function (t) { return t[2] >= 0 && t[2] < st.H && t[3] >= 0 && t[3] < st.W; };
    var maxAt = null;
    if (st.op === "max_pool") {
      win.forEach(function (t) {
        if (inb(t) && st.x[f][t[2]][t[3]] === r.values[f][y][x] && !maxAt) maxAt = t;
      });
    }
    channels.forEach(function (c) {
      win.forEach(function (t) {
        var row = self.inCells[c][t[2] + P[0]], cell = row && row[t[3] + P[2]];
        if (!cell) return;
        cell.classList.add("atlas-xp__cell--window");
        if (maxAt === t) cell.classList.add("atlas-xp__cell--max");
      });
    });
    // one input cell in the tab order: the window's first, from which the arrows move a pick
    var first = win.filter(inb)[0] || [0, 0, 0, 0];
    var firstCell = this.inCells[channels[0]][first[2] + P[0]][first[3] + P[2]];
    firstCell.setAttribute("tabindex", "0");
    keepVisible(firstCell);
    keepVisible(cur);
    this.renderWeights(f, win);
    this.renderDetail(f, y, x, channels, win, maxAt);
    if (!quiet) this.writeHash();
    else this.writeHash();
  };

  /** Scroll a wide plane sideways (only the plane, never the page) so that `cell` shows. */
  function keepVisible(cell) {
    var box = cell.closest(".atlas-xp__plane");
    if (!box || box.scrollWidth <= box.clientWidth) return;
    var c = cell.getBoundingClientRect(), b = box.getBoundingClientRect();
    if (c.left < b.left) box.scrollLeft -= b.left - c.left + c.width;
    else if (c.right > b.right) box.scrollLeft += c.right - b.right + c.width;
  }

  Explorer.prototype.renderWeights = function (f, win) {
    if (!this.weightBox) return;
    var st = this.state, r = this.result, self = this;
    this.weightBox.textContent = "";
    var transposed = st.op === "conv_transpose";
    var fg = r.out_shape[0] / st.groups;
    var channels = this.channelsOf(f);
    var used = {};
    win.forEach(function (t) { used[t[0] + "," + t[1]] = true; });
    channels.forEach(function (cin, c) {
      var plane = transposed ? st.w[cin][f % fg] : st.w[f][c];
      var p = self.plane({
        rows: st.kernel[0], cols: st.kernel[1], label: "Weights of output " + f + " for input channel " + cin,
        caption: (transposed ? "w[" + cin + ", " + (f % fg) + "]" : "w[" + f + ", " + c + "]") + (channels.length > 1 ? " · input channel " + cin : ""),
        cell: function (i, j) {
          return {text: numText(plane[i][j]), label: "weight row " + i + " column " + j + ": " + numText(plane[i][j])};
        },
      });
      p.cells.forEach(function (row, i) {
        row.forEach(function (cell, j) { if (used[i + "," + j]) cell.classList.add("atlas-xp__cell--window"); });
      });
      self.weightBox.appendChild(p.node);
    });
    this.biasText.textContent = st.bias ? "bias b[" + f + "] = " + numText(st.b[f]) : "no bias";
  };

  /** The output's value written out: input × weight per tap, per channel, + bias. */
  Explorer.prototype.renderDetail = function (f, y, x, channels, win, maxAt) {
    var st = this.state, r = this.result, box = this.detail;
    box.textContent = "";
    var value = r.values[f][y][x];
    var head = "out[" + f + ", " + y + ", " + x + "] = ";
    var inb = function (t) { return t[2] >= 0 && t[2] < st.H && t[3] >= 0 && t[3] < st.W; };
    var xv = function (c, t) { return inb(t) ? st.x[c][t[2]][t[3]] : 0; };
    var paren = function (v) { return v < 0 ? "(" + numText(v) + ")" : numText(v); };
    var lines = [];
    if (st.op === "conv" || st.op === "conv_transpose") {
      var transposed = st.op === "conv_transpose", fg = r.out_shape[0] / st.groups, sums = [], termLists = [];
      channels.forEach(function (cin, c) {
        var terms = [], part = 0;
        win.forEach(function (t) {
          var wv = transposed ? st.w[cin][f % fg][t[0]][t[1]] : st.w[f][c][t[0]][t[1]];
          var v = xv(cin, t);
          part += v * wv;
          terms.push(paren(v) + "×" + paren(wv) + (inb(t) ? "" : "ᵖ"));
        });
        sums.push(part);
        termLists.push(terms.length ? terms.join(" + ") : "0 (no tap reaches this output)");
      });
      var biasText = st.bias ? " + " + paren(st.b[f]) + " (bias)" : "";
      if (channels.length === 1) {
        lines.push(head + termLists[0] + biasText + " = " + numText(value));
      } else {
        channels.forEach(function (cin, c) {
          lines.push("input channel " + cin + ": " + termLists[c] + " = " + numText(sums[c]));
        });
        lines.push(head + sums.map(paren).join(" + ") + biasText + " = " + numText(value));
      }
      if (win.some(function (t) { return !inb(t); })) lines.push("ᵖ: a padding position, read as 0.");
      if (transposed) lines.push("A transposed convolution scatters each input value, times the kernel, into the output: " +
        "these are the inputs whose stamp covers this output.");
    } else {
      var vals = win.filter(inb).map(function (t) { return st.x[f][t[2]][t[3]]; });
      if (st.op === "max_pool") {
        lines.push(vals.length ? head + "max(" + vals.map(numText).join(", ") + ") = " + numText(value) +
          (maxAt ? " (input row " + maxAt[2] + ", column " + maxAt[3] + ")" : "")
          : head + "−∞: the window covers only padding, which max pooling reads as −∞.");
      } else {
        var sum = vals.reduce(function (a, b) { return a + b; }, 0), div = r.divisors[y][x];
        lines.push(head + "(" + vals.map(paren).join(" + ") + ") / " + div + " = " + numText(sum) + " / " + div + " = " + numText(value));
        lines.push(st.count_include_pad ? "The divisor counts the padding inside the window (count_include_pad=True), never the part past it."
          : "The divisor counts only the input cells inside the window (count_include_pad=False).");
      }
    }
    box.appendChild(el("h3", {className: "atlas-xp__title", text: "Output [" + f + ", " + y + ", " + x + "]"}));
    lines.forEach(function (l, i) {
      box.appendChild(el("p", {className: /^out\[/.test(l) ? "atlas-xp__sum" : "atlas-xp__terms", text: l}));
    });
  };

  Explorer.prototype.selectInput = function (c, iy, ix) {
    var st = this.state, r = this.result, self = this;
    if (r.error) return;
    this.stop();
    this.clearMarks();
    var P = this.shownPads;
    var cell = this.inCells[c][iy + P[0]][ix + P[2]];
    cell.classList.add("atlas-xp__cell--picked");
    cell.setAttribute("tabindex", "0");
    var at = this.position(st.pos || 0);
    this.outCells[at[0]][at[1]][at[2]].setAttribute("tabindex", "0");  // the way back to the outputs
    this.selectedInput = [c, iy, ix];
    var fed = [];
    var outs = [];
    for (var f = 0; f < r.out_shape[0]; f++) {
      if (this.channelsOf(f).indexOf(c) >= 0) outs.push(f);
    }
    r.windows.forEach(function (row, y) {
      row.forEach(function (win, x) {
        win.forEach(function (t) {
          if (t[2] === iy && t[3] === ix) {
            fed.push([y, x, t[0], t[1]]);
            outs.forEach(function (f) { self.outCells[f][y][x].classList.add("atlas-xp__cell--fed"); });
          }
        });
      });
    });
    this.detail.textContent = "";
    this.detail.appendChild(el("h3", {className: "atlas-xp__title", text: "Input [" + c + ", " + iy + ", " + ix + "] = " + numText(st.x[c][iy][ix])}));
    var where = fed.map(function (t) {
      return "(" + t[0] + ", " + t[1] + ")" + (st.op === "conv" || st.op === "conv_transpose" ? " via weight (" + t[2] + ", " + t[3] + ")" : "");
    });
    this.detail.appendChild(el("p", {className: "atlas-xp__terms", text: fed.length
      ? "feeds " + fed.length + " output position" + (fed.length === 1 ? "" : "s") + (outs.length > 1 ? " in each of the output channels " + outs.join(", ") : "") + ": " + where.join(", ") + "."
      : "feeds no output: no window covers it."}));
  };

  Explorer.prototype.isInput = function (node) {
    return this.inCells.some(function (plane) {
      return plane.some(function (row) { return row.indexOf(node) >= 0; });
    });
  };

  Explorer.prototype.step = function (delta) {
    if (!this.total) return;
    this.go((this.state.pos || 0) + delta);
  };

  Explorer.prototype.togglePlay = function () {
    if (this.timer) this.stop();
    else this.play();
  };

  Explorer.prototype.play = function () {
    var self = this;
    if (!this.total) return;
    this.playButton.textContent = "⏸ Pause";
    this.playButton.setAttribute("aria-label", "Pause");
    this.playButton.setAttribute("aria-pressed", "true");
    this.timer = setInterval(function () { self.step(1); }, reducedMotion() ? 1500 : 700);
  };

  Explorer.prototype.stop = function () {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.playButton.textContent = "▶ Play";
    this.playButton.setAttribute("aria-label", "Play");
    this.playButton.setAttribute("aria-pressed", "false");
  };

  Explorer.prototype.focusCurrent = function () {
    var cur = this.root.querySelector(".atlas-xp__cell--current");
    if (cur) cur.focus({preventScroll: true});
  };

  Explorer.prototype.onKey = function (e) {
    var t = e.target;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var tag = t.tagName;
    if (tag === "INPUT" && t.type !== "range" && t.type !== "checkbox" || tag === "TEXTAREA" || tag === "SELECT") return;
    if (t === this.scrub) return;  // the slider steps by itself
    var r = this.result;
    if (r.error) return;
    var keys = {ArrowRight: 1, ArrowLeft: -1, ArrowDown: r.out_shape[2], ArrowUp: -r.out_shape[2]};
    if (!this.selectedInput && t.classList && t.classList.contains("atlas-xp__cell") && this.isInput(t)) {
      if (!{ArrowRight: 1, ArrowLeft: 1, ArrowDown: 1, ArrowUp: 1}[e.key]) return;
      e.preventDefault();
      t.click();  // pick the cell, then the arrows move the pick
      return;
    }
    if (this.selectedInput && t.classList.contains("atlas-xp__cell--picked")) {
      var st = this.state, s = this.selectedInput;
      var move = {ArrowRight: [0, 1], ArrowLeft: [0, -1], ArrowDown: [1, 0], ArrowUp: [-1, 0]}[e.key];
      if (!move) return;
      e.preventDefault();
      this.selectInput(s[0], Math.min(st.H - 1, Math.max(0, s[1] + move[0])), Math.min(st.W - 1, Math.max(0, s[2] + move[1])));
      this.inCells[s[0]][this.selectedInput[1] + this.shownPads[0]][this.selectedInput[2] + this.shownPads[2]].focus({preventScroll: true});
      return;
    }
    var onGrid = t.classList && t.classList.contains("atlas-xp__cell");
    var inPlayer = t.closest && t.closest(".atlas-xp__player");
    if (!onGrid && !inPlayer) return;
    if (e.key === " " && inPlayer && tag === "BUTTON") return;
    if (!(e.key in keys) && e.key !== "Home" && e.key !== "End") return;
    if (!onGrid && (e.key === "ArrowUp" || e.key === "ArrowDown")) return;
    e.preventDefault();
    this.stop();
    if (e.key === "Home") this.go(0);
    else if (e.key === "End") this.go(this.total - 1);
    else this.step(keys[e.key]);
    if (onGrid) this.focusCurrent();
  };

  Explorer.prototype.writeHash = function () {
    if (!this.useHash) return;
    var hash = encodeState(this.state);
    if (hash === location.hash.replace(/^#/, "")) return;
    this.written = hash;
    try {
      history.replaceState(history.state, "", "#" + hash);
    } catch (e) {
      location.replace("#" + hash);
    }
  };

  /** A full state from `given`: missing settings from DEFAULT, missing x, w, b from the values rule. */
  function complete(given) {
    var st = JSON.parse(JSON.stringify(DEFAULT));
    Object.keys(given).forEach(function (k) { st[k] = JSON.parse(JSON.stringify(given[k])); });
    var made = materialise(JSON.parse(JSON.stringify(st)));
    ["x", "w", "b"].forEach(function (k) { if (!given[k]) st[k] = made[k]; });
    return st;
  }

  var count_ = 0;
  function start() {
    var roots = document.querySelectorAll(".atlas-xp:not([data-ready])");
    for (var i = 0; i < roots.length; i++) {
      var root = roots[i];
      root.setAttribute("data-ready", "1");
      try {
        var x = new Explorer(root, count_++);
        api.pages.push(x);
        if (!api.page) api.page = x;
      } catch (e) {
        root.textContent = "The explorer could not start: " + e.message;
        throw e;
      }
    }
  }

  var api = {
    /** compute() on a copy of st; missing settings take the defaults, missing x/w/b the seeded values. */
    compute: function (st) { return compute(complete(st)); },
    computeWith: compute,
    frameworks: frameworks,
    code: function (st) { var s = complete(st); return code(s, compute(s)); },
    complete: complete,
    receptive: receptive,
    start: start,
    encodeState: encodeState,
    decodeState: decodeState,
    presetState: presetState,
    DEFAULT: DEFAULT,
    pages: [],
    page: null,
  };
  window.AtlasExplorer = api;

  if (typeof document === "undefined") return;
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { api.pages = []; api.page = null; start(); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
