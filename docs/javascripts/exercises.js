/* ConvNet Atlas exercises: questions with fresh numbers from a seed, answers checked
 * in the browser, known slips named, worked solutions on request.
 *
 * Everything is computed from the site's one JavaScript core, formulas.js
 * (window.AtlasFormulas), through AtlasExercises.F; tests/browser/test_exercises.py
 * checks them against generator.nn and generator.tables on a few hundred seeded
 * question sets, and test_formulas.py the core itself. The parameters of named
 * networks' layers come from generator.tables through exercises/data.js
 * (window.ATLAS_EXERCISES), written by generator/pages/exercises.py.
 *
 * Markup the script fills (written by the generator):
 *   <div class="atlas-ex" data-kinds="output-size tf-same" data-count="3" data-seed="">
 *     a "Check yourself" block; an empty data-seed means fresh numbers on each visit
 *     (a ?seed=N in the address fixes them);
 *   <div class="atlas-ex" data-mode="practice" data-kinds="..." data-count="12">  the
 *     practice page, with a score; with ?seed=N&sheet=1 in the address it is the printable
 *     worksheet of set N: the questions, then the answer key on a page of its own.
 * No network access, no innerHTML with data: every text goes in through textContent.
 */
(function () {
  "use strict";

  /** What exercises/data.js holds (read when used: the data script may come after this one). */
  function data() { return window.ATLAS_EXERCISES || {}; }
  var TIMES = window.AtlasFormulas.TIMES;
  var MINUS = "\u2212";

  // ------------------------------------------------------------ seeded random numbers

  /** mulberry32: a small, well-mixed 32-bit generator; the same seed, the same numbers. */
  function rng(seed) {
    var a = seed >>> 0;
    var next = function () {
      a = (a + 0x6d2b79f5) >>> 0;
      var t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    return {
      next: next,
      /** An integer in [lo, hi]. */
      int: function (lo, hi) { return lo + Math.floor(next() * (hi - lo + 1)); },
      pick: function (list) { return list[Math.floor(next() * list.length)]; },
      chance: function (p) { return next() < p; },
    };
  }

  /** The seed of question ``i`` of set ``seed`` (a hash, so neighbouring sets differ). */
  function mix(seed, i) {
    var h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i + 1, 0xc2b2ae35);
    h ^= h >>> 16;
    h = Math.imul(h, 0x7feb352d);
    h ^= h >>> 15;
    return h >>> 0;
  }

  // ------------------------------------------------------------ the formulas (PyTorch)

  var core = window.AtlasFormulas;
  var F = {
    /** Output length of a convolution: floor((n + pads - d(k-1) - 1) / s) + 1, pads = both sides. */
    convOut: core.convFormula,
    /** Does a (dilated) kernel fit into the padded input? */
    fits: core.fits,
    /** Output length of PyTorch pooling (padding p per side), ceil_mode dropping a window
     *  that would start in the right padding. */
    poolOut: core.poolFormula,
    /** Output length of a transposed convolution. */
    transposedOut: core.convTransposeFormula,
    /** TensorFlow 'SAME': [out, pad before, pad after]; the odd pixel goes after. */
    tfSame: function (n, k, s, d) { return core.tfOutputSize(n, k, s, d, "SAME"); },
    /** [weights, biases] of a convolution: weight (out, in/groups, kh, kw). */
    convParams: function (cin, cout, kh, kw, groups, bias) {
      return core.conv2dParams(cin, cout, [kh, kw], groups, bias);
    },
    /** [weights, biases] of a linear layer. */
    linearParams: core.linearParams,
    /** Multiply-accumulates of a convolution: one dot product per output value. */
    convMacs: function (cin, cout, kh, kw, oh, ow, groups) {
      return core.conv2dMacs(cin, cout, [kh, kw], [oh, ow], groups);
    },
    /** Receptive field through window layers [{k, s, d}] (padding does not change its size):
     *  {size, jump} with size' = size + d(k-1) jump, jump' = jump s (receptive.window). */
    receptive: function (layers) {
      var field = core.INPUT_FIELD;
      layers.forEach(function (l) {
        field = core.windowField(field, [l.k, l.k], [l.s, l.s], [0, 0], [l.d || 1, l.d || 1]);
      });
      return {size: field[0].size, jump: field[0].jump};
    },
    /** Max or average pooling of a 2-D grid (rows of numbers), no padding. */
    pool2d: function (grid, k, s, op) {
      var oh = F.poolOut(grid.length, k, s, 0, 1, false);
      var ow = F.poolOut(grid[0].length, k, s, 0, 1, false);
      var out = [];
      for (var i = 0; i < oh; i++) {
        var row = [];
        for (var j = 0; j < ow; j++) {
          var win = F.window(grid, i * s, j * s, k);
          row.push(op === "max" ? Math.max.apply(null, win)
            : win.reduce(function (a, b) { return a + b; }, 0) / win.length);
        }
        out.push(row);
      }
      return out;
    },
    /** The k×k values of ``grid`` from row r, column c, row by row. */
    window: function (grid, r, c, k) {
      var vals = [];
      for (var a = 0; a < k; a++) for (var b = 0; b < k; b++) vals.push(grid[r + a][c + b]);
      return vals;
    },
  };

  // ------------------------------------------------------------ formatting

  function thousands(n) {
    var s = String(Math.abs(n)), out = "";
    while (s.length > 3) { out = "," + s.slice(-3) + out; s = s.slice(0, -3); }
    return (n < 0 ? "-" : "") + s + out;
  }
  /** A number as the site writes it: 61,100,840; 2.25; 4.333 (three decimals at most). */
  function num(x) {
    if (Number.isInteger(x)) return thousands(x);
    return String(Math.round(x * 1000) / 1000);
  }
  function shape(dims) { return dims.join(TIMES); }
  function sq(k) { return k + TIMES + k; }
  function flat(value) {
    return Array.isArray(value) ? [].concat.apply([], value.map(flat)) : [value];
  }
  /** An answer as text, in the form it is asked for. */
  function answerText(q, value) {
    var v = value === undefined ? q.answer : value;
    if (q.format === "shape") return shape(v);
    if (q.format === "pair") return v.join(", ");
    if (q.format === "grid") return v.map(function (row) { return row.map(num).join(" "); }).join("; ");
    return num(v);
  }

  // ------------------------------------------------------------ reading an answer

  /** The numbers a reader typed, or null when the text is not numbers in the asked form. */
  function parse(q, text) {
    var t = String(text).trim().replace(/[\u2009\u202f\u00a0_']/g, " ");
    if (!t) return null;
    if (q.format === "int") {
      t = t.replace(/,(?=\d{3}(\D|$))/g, "").replace(/\s+(?=\d{3}(\D|$))/g, "");
      return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t) ? Number(t) : null;
    }
    var parts = t.replace(/[\u00d7xX*;,()\[\]/|]/g, " ").trim().split(/\s+/);
    if (!parts.every(function (p) { return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(p); })) return null;
    return parts.map(Number);
  }

  /** Equal within ``tol`` (absolute), or exactly (up to rounding) without it. */
  function close(a, b, tol) {
    return Math.abs(a - b) <= (tol === undefined ? 1e-9 * Math.max(1, Math.abs(b)) : tol);
  }
  /** Does a parsed answer equal ``value`` (a number, a list, or a grid)? */
  function same(got, value, tol) {
    if (got === null || got === undefined) return false;
    var want = flat(value), have = flat(got);
    if (have.length !== want.length) return false;
    for (var i = 0; i < want.length; i++) if (!close(have[i], want[i], tol)) return false;
    return true;
  }

  /** Check a typed answer: {status: "right" | "slip" | "wrong" | "unreadable", slip, message}. */
  function check(q, text) {
    var got = parse(q, text);
    if (got === null) return {status: "unreadable", message: "Could not read that: " + q.how + "."};
    if (same(got, q.answer, q.tol)) return {status: "right", message: "Right: " + answerText(q) + "."};
    for (var i = 0; i < q.slips.length; i++) {
      var slip = q.slips[i];
      if (same(got, slip.value, slip.tol === undefined ? q.tol : slip.tol)) {
        return {status: "slip", slip: slip.id, message: "Not quite: " + says(slip.id) + "."};
      }
    }
    return {status: "wrong", message: "Not quite. Try again, or show the solution."};
  }

  // ------------------------------------------------------------ the slips

  /** What a slip says to the reader: its words come from generator/pages/exercises.py. */
  function says(id) { return (data().slips || {})[id] || id; }

  function slip(id, value, tol) { return {id: id, value: value, tol: tol}; }

  // ------------------------------------------------------------ the question kinds

  var HOW_INT = "type a whole number (1,234 or 1234)";
  var HOW_SHAPE = "type the shape as C" + TIMES + "H" + TIMES + "W, for example 16" + TIMES + "32" + TIMES + "32 or 16x32x32";
  var HOW_PAIR = "type two numbers: top, bottom";
  /** Averages may be typed rounded to two decimals. */
  var GRID_TOL = 0.006;
  var HOW_GRID = "type the output row by row, numbers separated by spaces, rows by ;";

  function convLine(n, k, s, padTotal, d) {
    var padded = padTotal ? n + " + " + padTotal : String(n);
    var inner = d === 1
      ? "(" + padded + " " + MINUS + " " + k + ")"
      : "(" + padded + " " + MINUS + " " + d + TIMES + "(" + k + " " + MINUS + " 1) " + MINUS + " 1)";
    var top = n + padTotal - d * (k - 1) - 1 + (d === 1 ? 1 : 0);
    var res = F.convOut(n, k, s, padTotal, d);
    return "\u230a" + inner + " / " + s + "\u230b + 1 = \u230a" + top + " / " + s + "\u230b + 1 = " + res;
  }

  var KINDS = {};

  KINDS["output-size"] = function (r, opts) {
    var dilated = opts && opts.dilated;
    var cin = r.pick([1, 3, 8, 16, 32, 64]);
    var cout = r.pick([4, 6, 10, 12, 20, 24, 48, 96, 128]);
    var n = r.int(6, 64);
    var k = dilated ? r.pick([3, 5]) : r.pick([3, 3, 5, 7]);
    var d = dilated ? r.pick([2, 3]) : (r.chance(0.15) ? 2 : 1);
    var s = r.pick([1, 1, 2, 2, 3]);
    var p = r.int(1, Math.max(1, (d * (k - 1)) >> 1));
    if (!F.fits(n, k, 2 * p, d)) return null;
    var o = F.convOut(n, k, s, 2 * p, d);
    var slips = [slip("hwc", [o, o, cout]), slip("in-channels", [cin, o, o]),
      slip("forgot-plus-1", [cout, o - 1, o - 1])];
    if (F.fits(n, k, 0, d)) { var o0 = F.convOut(n, k, s, 0, d); slips.push(slip("forgot-2p", [cout, o0, o0])); }
    if (F.fits(n, k, p, d)) { var o1 = F.convOut(n, k, s, p, d); slips.push(slip("one-p", [cout, o1, o1])); }
    if (s > 1) {
      var oc = Math.ceil((n + 2 * p - d * (k - 1) - 1) / s) + 1;
      slips.push(slip("ceil", [cout, oc, oc]));
      var o1s = F.convOut(n, k, 1, 2 * p, d);
      slips.push(slip("forgot-stride", [cout, o1s, o1s]));
    }
    if (d > 1) { var od = F.convOut(n, k, s, 2 * p, 1); slips.push(slip("forgot-dilation", [cout, od, od])); }
    return {
      params: {cin: cin, cout: cout, n: n, k: k, s: s, p: p, d: d},
      prompt: "A convolution with " + cout + " filters of " + sq(k) + ", stride " + s + ", padding " + p +
        (d > 1 ? ", dilation " + d : "") + " takes a " + shape([cin, n, n]) +
        " input (C" + TIMES + "H" + TIMES + "W). What is the shape of its output?",
      format: "shape", how: HOW_SHAPE, answer: [cout, o, o], slips: slips,
      solution: [
        (d === 1 ? "H' = \u230a(H + 2p " + MINUS + " k) / s\u230b + 1 = "
          : "H' = \u230a(H + 2p " + MINUS + " d(k " + MINUS + " 1) " + MINUS + " 1) / s\u230b + 1 = ") + convLine(n, k, s, 2 * p, d),
        "W' is the same: " + o + ". One output channel per filter: " + cout + ".",
        "Output: " + shape([cout, o, o]) + " (C" + TIMES + "H" + TIMES + "W).",
      ],
    };
  };

  KINDS["dilated-size"] = function (r) { return KINDS["output-size"](r, {dilated: true}); };

  KINDS["window-fit"] = function (r) {
    var k = r.pick([2, 3, 4, 5]), s = r.pick([2, 3, 4]), n = r.int(7, 40);
    var rest = (n - k) % s;
    if (n < k + s || rest === 0) return null;
    var o = F.convOut(n, k, s, 0, 1);
    var exact = (n - k) / s + 1;
    return {
      params: {n: n, k: k, s: s},
      prompt: "A " + sq(k) + " window slides over a " + sq(n) + " input with stride " + s +
        " and no padding. (" + n + " " + MINUS + " " + k + ") / " + s + " is not a whole number, so the last step" +
        " does not fit. How many outputs are there along the width (PyTorch)?",
      format: "int", how: HOW_INT, answer: o,
      slips: [slip("ceil", o + 1), slip("fraction", exact, 0.05), slip("forgot-plus-1", o - 1)],
      solution: [
        "W' = \u230a(W " + MINUS + " k) / s\u230b + 1 = " + convLine(n, k, s, 0, 1),
        "The last " + rest + " column" + (rest === 1 ? " is" : "s are") + " never covered: " +
          "(" + n + " " + MINUS + " " + k + ") mod " + s + " = " + rest + ".",
      ],
    };
  };

  KINDS["pooling-values"] = function (r) {
    var op = r.pick(["max", "avg"]);
    var setup = op === "max" ? r.pick([[4, 2, 2], [5, 3, 2], [4, 3, 1]]) : r.pick([[4, 2, 2], [6, 2, 2], [3, 2, 1]]);
    var n = setup[0], k = setup[1], s = setup[2];
    var grid = [];
    for (var i = 0; i < n; i++) {
      var row = [];
      for (var j = 0; j < n; j++) row.push(r.int(0, 9));
      grid.push(row);
    }
    var out = F.pool2d(grid, k, s, op);
    var other = F.pool2d(grid, k, s, op === "max" ? "avg" : "max");
    var transposed = out[0].map(function (_, j) { return out.map(function (row) { return row[j]; }); });
    var slips = [slip(op === "max" ? "avg-for-max" : "max-for-avg", other), slip("grid-transposed", transposed)];
    if (s > 1) slips.push(slip("stride-1", F.pool2d(grid, k, 1, op)));
    var lines = [];
    out.forEach(function (row, a) {
      row.forEach(function (v, b) {
        var win = F.window(grid, a * s, b * s, k);
        lines.push("row " + (a + 1) + ", column " + (b + 1) + ": " + op + "(" + win.join(", ") + ") = " + num(v) +
          (op === "avg" ? " (sum " + win.reduce(function (x, y) { return x + y; }, 0) + " / " + win.length + ")" : ""));
      });
    });
    return {
      params: {op: op, k: k, s: s, grid: grid},
      prompt: (op === "max" ? "Max" : "Average") + " pooling with a " + sq(k) + " window and stride " + s +
        " on the " + sq(n) + " grid below. What is the output, row by row?",
      grid: grid, format: "grid", how: HOW_GRID, tol: GRID_TOL, answer: out, slips: slips,
      solution: ["The output is " + sq(out.length) + ": \u230a(" + n + " " + MINUS + " " + k + ") / " + s + "\u230b + 1 = " +
        out.length + " windows each way."].concat(lines),
    };
  };

  KINDS["parameters"] = function (r) {
    if (r.chance(0.3)) {
      var c = r.pick([3, 8, 16, 32, 64]), h = r.pick([4, 5, 6, 7, 8]), m = r.pick([10, 64, 84, 100, 120, 256]);
      var nin = c * h * h, lp = F.linearParams(nin, m, true);
      return {
        params: {variant: "linear", c: c, h: h, m: m},
        prompt: "A " + shape([c, h, h]) + " volume is flattened and fed to a fully connected layer of " + m +
          " units (with biases). How many parameters does that layer learn?",
        format: "int", how: HOW_INT, answer: lp[0] + lp[1],
        slips: [slip("forgot-bias-linear", lp[0]), slip("flat-no-channels", (h * h + 1) * m)],
        solution: [
          "The layer sees " + c + TIMES + h + TIMES + h + " = " + thousands(nin) + " inputs.",
          "(inputs + 1) " + TIMES + " units = (" + thousands(nin) + " + 1) " + TIMES + " " + m + " = " + thousands(lp[0] + lp[1]),
        ],
      };
    }
    var cin = r.pick([1, 3, 16, 32, 64, 128, 256]), cout = r.pick([6, 16, 32, 64, 96, 128, 256, 512]);
    var k = r.pick([3, 5, 7, 11]), bias = r.chance(0.7), n = r.pick([28, 32, 56, 64, 224]);
    var w = F.convParams(cin, cout, k, k, 1, bias);
    var total = w[0] + w[1];
    var slips = [slip("forgot-channels", k * k * cout + w[1]), slip("forgot-square", k * cin * cout + w[1])];
    slips.push(bias ? slip("forgot-bias", w[0]) : slip("extra-bias", w[0] + cout));
    return {
      params: {variant: "conv", cin: cin, cout: cout, k: k, bias: bias, n: n},
      prompt: "A convolution takes a " + shape([cin, n, n]) + " input and has " + cout + " filters of " + sq(k) +
        (bias ? ", each with a bias" : ", without bias (bias=False)") + ". How many parameters does it learn?",
      format: "int", how: HOW_INT, answer: total, slips: slips,
      solution: [
        "Each filter is f" + TIMES + "f" + TIMES + "c_in = " + k + TIMES + k + TIMES + cin + " = " + thousands(k * k * cin) +
          " weights" + (bias ? ", plus 1 bias" : " (no bias)") + ".",
        (bias ? "(f" + TIMES + "f" + TIMES + "c_in + 1)" : "f" + TIMES + "f" + TIMES + "c_in") + " " + TIMES + " c_out = " +
          (bias ? "(" + thousands(k * k * cin) + " + 1)" : thousands(k * k * cin)) + " " + TIMES + " " + cout + " = " + thousands(total),
        "The input's height and width do not matter: the same weights slide over every position.",
      ],
    };
  };

  KINDS["macs"] = function (r) {
    var cin = r.pick([3, 16, 32, 64, 128]), cout = r.pick([16, 32, 64, 128, 256]);
    var n = r.int(8, 56), k = r.pick([3, 5, 7]), s = r.pick([1, 1, 2]), p = r.int(0, (k - 1) >> 1);
    if (!F.fits(n, k, 2 * p, 1)) return null;
    var o = F.convOut(n, k, s, 2 * p, 1);
    if (o === n) return null;
    var macs = F.convMacs(cin, cout, k, k, o, o, 1);
    return {
      params: {cin: cin, cout: cout, n: n, k: k, s: s, p: p},
      prompt: "A convolution with " + cout + " filters of " + sq(k) + ", stride " + s + ", padding " + p + " takes a " +
        shape([cin, n, n]) + " input. How many multiply-accumulates (MACs) does it take? (Bias additions are not counted.)",
      format: "int", how: HOW_INT, answer: macs,
      slips: [slip("input-positions", cout * n * n * cin * k * k), slip("forgot-channels", cout * o * o * k * k),
        slip("forgot-positions", cin * k * k * cout)],
      solution: [
        "Output: H' = " + convLine(n, k, s, 2 * p, 1) + ", so " + shape([cout, o, o]) + ".",
        "Each output value is a dot product of f" + TIMES + "f" + TIMES + "c_in = " + k + TIMES + k + TIMES + cin + " = " +
          thousands(k * k * cin) + " terms.",
        "MACs = c_out" + TIMES + "H'" + TIMES + "W'" + TIMES + "f" + TIMES + "f" + TIMES + "c_in = " + [cout, o, o, k, k, cin].join(TIMES) +
          " = " + thousands(macs),
      ],
    };
  };

  KINDS["bottleneck"] = function (r) {
    var cin = r.pick([128, 192, 256, 512]), cmid = r.pick([16, 24, 32, 64]), cout = r.pick([32, 64, 128, 256]);
    var n = r.pick([7, 14, 28, 56]), k = r.pick([3, 5]);
    if (cmid >= cin) return null;
    var first = F.convMacs(cin, cmid, 1, 1, n, n, 1), second = F.convMacs(cmid, cout, k, k, n, n, 1);
    var direct = F.convMacs(cin, cout, k, k, n, n, 1);
    return {
      params: {cin: cin, cmid: cmid, cout: cout, n: n, k: k},
      prompt: "A " + shape([cin, n, n]) + " volume goes through a 1" + TIMES + "1 convolution with " + cmid +
        " filters, then a " + sq(k) + " 'same' convolution (stride 1) with " + cout +
        " filters. How many multiply-accumulates do the two layers take together?",
      format: "int", how: HOW_INT, answer: first + second,
      slips: [slip("only-1x1", first), slip("only-kxk", second), slip("no-bottleneck", direct),
        slip("kept-channels", first + F.convMacs(cin, cout, k, k, n, n, 1))],
      solution: [
        "1" + TIMES + "1 layer: " + [n, n, cmid].join(TIMES) + " outputs " + TIMES + " " + cin + " terms = " + thousands(first),
        sq(k) + " layer: " + [n, n, cout].join(TIMES) + " outputs " + TIMES + " " + [k, k, cmid].join(TIMES) + " terms = " + thousands(second),
        "Together: " + thousands(first) + " + " + thousands(second) + " = " + thousands(first + second) + ".",
        "Straight from the input it would be " + [n, n, cout].join(TIMES) + " " + TIMES + " " + [k, k, cin].join(TIMES) +
          " = " + thousands(direct) + ", " + num(Math.round(direct / (first + second) * 10) / 10) + " times as much.",
      ],
    };
  };

  KINDS["receptive-field"] = function (r) {
    var count = r.int(2, 4), layers = [];
    for (var i = 0; i < count; i++) {
      var pool = i > 0 && r.chance(0.35);
      layers.push(pool ? {type: "max pool", k: 2, s: 2} : {type: "conv", k: r.pick([1, 3, 3, 5, 7]), s: r.pick([1, 1, 2])});
    }
    var strided = false, counted = false;
    layers.forEach(function (l) { if (strided && l.k > 1) counted = true; if (l.s > 1) strided = true; });
    if (!counted) return null;
    var rf = F.receptive(layers).size;
    var noStrides = 1, own = 1, jump = 1, sum = 0;
    layers.forEach(function (l) { noStrides += l.k - 1; own += (l.k - 1) * jump * l.s; jump *= l.s; sum += l.k; });
    var lines = [], size = 1;
    jump = 1;
    layers.forEach(function (l, i) {
      var before = size;
      size += (l.k - 1) * jump;
      lines.push("layer " + (i + 1) + ": r = " + before + " + (" + l.k + " " + MINUS + " 1)" + TIMES + jump + " = " + size +
        (l.s > 1 ? "; the jump becomes " + jump + TIMES + l.s + " = " + jump * l.s : ""));
      jump *= l.s;
    });
    return {
      params: {layers: layers.map(function (l) { return {k: l.k, s: l.s}; })},
      prompt: "Layers, from the input on: " + layers.map(function (l) {
        return l.type + " " + sq(l.k) + " stride " + l.s;
      }).join(", then ") + ". How many input pixels wide is the receptive field of one output of the last layer?",
      format: "int", how: HOW_INT, answer: rf,
      slips: [slip("rf-no-strides", noStrides), slip("rf-own-stride", own), slip("rf-sum-kernels", sum)],
      solution: ["r = 1 + \u03a3 (k_l " + MINUS + " 1) " + TIMES + " (product of the strides before layer l)"].concat(lines),
    };
  };

  KINDS["transposed"] = function (r) {
    var n = r.int(2, 16), k = r.pick([2, 3, 4, 5]), s = r.pick([1, 2, 2, 3]), p = r.int(1, k - 1);
    var op = s > 1 && r.chance(0.5) ? r.int(1, s - 1) : 0;
    var o = F.transposedOut(n, k, s, p, op, 1);
    if (o < 1) return null;
    var slips = [slip("tr-n-times-s", n * s), slip("tr-n-not-minus-1", n * s - 2 * p + k + op),
      slip("tr-forgot-2p", o + 2 * p)];
    if (F.fits(n, k, 2 * p, 1)) slips.push(slip("tr-conv-formula", F.convOut(n, k, s, 2 * p, 1)));
    if (op > 0) slips.push(slip("tr-forgot-op", o - op));
    return {
      params: {n: n, k: k, s: s, p: p, op: op},
      prompt: "A transposed convolution (ConvTranspose2d) with kernel " + sq(k) + ", stride " + s + ", padding " + p +
        (op ? ", output_padding " + op : "") + " takes an input of height " + n + ". What is the output height?",
      format: "int", how: HOW_INT, answer: o, slips: slips,
      solution: [
        "H' = (H " + MINUS + " 1)" + TIMES + "s " + MINUS + " 2p + k" + (op ? " + output_padding" : "") + " = (" + n + " " + MINUS + " 1)" +
          TIMES + s + " " + MINUS + " " + 2 * p + " + " + k + (op ? " + " + op : "") + " = " + o,
      ],
    };
  };

  KINDS["tf-same"] = function (r) {
    var n = r.int(5, 64), k = r.int(2, 7), s = r.pick([1, 2, 2, 3]);
    var t = F.tfSame(n, k, s, 1), total = t[1] + t[2];
    if (total % 2 === 0) return null;
    var slips = [slip("tf-swapped", [t[2], t[1]])];
    if (s > 1) slips.push(slip("tf-stride-1", [(k - 1) >> 1, k - 1 - ((k - 1) >> 1)]));
    return {
      params: {n: n, k: k, s: s},
      prompt: "TensorFlow's conv2d with padding='SAME', kernel " + sq(k) + " and stride " + s + " on an input of height " + n +
        ": how many rows of zeros go at the top, and how many at the bottom?",
      format: "pair", how: HOW_PAIR, answer: [t[1], t[2]], slips: slips,
      solution: [
        "out = \u2308n / s\u2309 = \u2308" + n + " / " + s + "\u2309 = " + t[0],
        "total = max((out " + MINUS + " 1)" + TIMES + "s + k " + MINUS + " n, 0) = max(" + (t[0] - 1) + TIMES + s + " + " + k + " " + MINUS +
          " " + n + ", 0) = " + total,
        "top = \u230atotal / 2\u230b = " + t[1] + ", bottom = total " + MINUS + " top = " + t[2] + " (the odd row goes at the bottom).",
      ],
    };
  };

  KINDS["depthwise-separable"] = function (r) {
    var cin = r.pick([16, 32, 64, 128, 256]), cout = r.pick([32, 64, 128, 256, 512]), k = r.pick([3, 5]);
    var dw = F.convParams(cin, cin, k, k, cin, false)[0], pw = F.convParams(cin, cout, 1, 1, 1, false)[0];
    var standard = F.convParams(cin, cout, k, k, 1, false)[0];
    return {
      params: {cin: cin, cout: cout, k: k},
      prompt: "A depthwise-separable convolution turns " + cin + " channels into " + cout + ": a " + sq(k) +
        " depthwise convolution (groups = " + cin + "), then a 1" + TIMES + "1 convolution with " + cout +
        " filters, both without bias. How many parameters do the two layers have together?",
      format: "int", how: HOW_INT, answer: dw + pw,
      slips: [slip("dw-standard", standard), slip("dw-only-depthwise", dw), slip("dw-only-pointwise", pw),
        slip("dw-full-depthwise", F.convParams(cin, cin, k, k, 1, false)[0] + pw)],
      solution: [
        "Depthwise: one " + sq(k) + " filter per channel, " + k + TIMES + k + TIMES + cin + " = " + thousands(dw),
        "Pointwise: c_in" + TIMES + "c_out = " + cin + TIMES + cout + " = " + thousands(pw),
        "Together: " + thousands(dw) + " + " + thousands(pw) + " = " + thousands(dw + pw) + " (a standard " + sq(k) +
          " convolution: " + [k, k, cin, cout].join(TIMES) + " = " + thousands(standard) + ").",
      ],
    };
  };

  KINDS["flatten"] = function (r) {
    var c = r.pick([3, 6, 16, 32, 64, 256]), h = r.int(2, 32), w = r.chance(0.7) ? h : r.int(2, 32);
    return {
      params: {c: c, h: h, w: w},
      prompt: "A " + shape([c, h, w]) + " volume (C" + TIMES + "H" + TIMES + "W) is flattened into a vector. How many numbers does the vector hold?",
      format: "int", how: HOW_INT, answer: c * h * w,
      slips: [slip("flat-no-channels", h * w), slip("flat-added", c + h + w)],
      solution: ["C" + TIMES + "H" + TIMES + "W = " + [c, h, w].join(TIMES) + " = " + thousands(c * h * w)],
    };
  };

  KINDS["named-layer"] = function (r, opts) {
    var layers = (data().layers || []).filter(function (l) { return !(opts && opts.network) || l.network === opts.network; });
    if (!layers.length) throw new Error("no network layers (exercises/data.js is not loaded)");
    var L = r.pick(layers);
    var w, lines, slips;
    if (L.kind === "conv") {
      var cin = L.input[0], kh = L.kernel[0], kw = L.kernel[1];
      w = F.convParams(cin, L.out, kh, kw, 1, L.bias);
      slips = [slip("forgot-channels", kh * kw * L.out + w[1])];
      if (kh > 1) slips.push(slip("forgot-square", kh * cin * L.out + w[1]));
      lines = [(L.bias ? "(f" + TIMES + "f" + TIMES + "c_in + 1)" : "f" + TIMES + "f" + TIMES + "c_in") + " " + TIMES + " c_out = " +
        (L.bias ? "(" + [kh, kw, cin].join(TIMES) + " + 1)" : [kh, kw, cin].join(TIMES)) + " " + TIMES + " " + L.out +
        " = " + thousands(w[0] + w[1])];
    } else {
      w = F.linearParams(L.input[0], L.out, L.bias);
      slips = [];
      lines = [(L.bias ? "(inputs + 1)" : "inputs") + " " + TIMES + " units = " + (L.bias ? "(" + thousands(L.input[0]) + " + 1)" :
        thousands(L.input[0])) + " " + TIMES + " " + L.out + " = " + thousands(w[0] + w[1])];
    }
    if (w[0] !== L.weights || w[1] !== L.biases) throw new Error("layer " + L.index + " of " + L.network + " disagrees with its table");
    slips.push(L.bias ? slip(L.kind === "conv" ? "forgot-bias" : "forgot-bias-linear", w[0]) : slip("extra-bias", w[0] + L.out));
    var what = L.kind === "conv"
      ? "a convolution with " + L.out + " filters of " + L.kernel.join(TIMES) + ", stride " + L.stride + ", padding " + L.padding
      : "a fully connected layer with " + L.out + " units";
    return {
      params: {network: L.network, index: L.index},
      prompt: "In " + L.title + ", layer " + L.index + (L.name ? " '" + L.name + "'" : "") + " is " + what +
        (L.bias ? "" : ", without bias") + ". Its input is " + (L.input.length === 3 ? shape(L.input) : L.input[0] + " features") +
        ". How many parameters does it have?",
      format: "int", how: HOW_INT, answer: w[0] + w[1], slips: slips,
      solution: lines.concat(["The " + L.title + " table on its architecture page gives the same: " +
        thousands(L.weights) + " weights + " + thousands(L.biases) + " biases."]),
    };
  };

  var KIND_IDS = Object.keys(KINDS);

  /** Question ``kind`` from ``seed``: drawn again (same generator, next numbers) until every
   *  slip it recognises gives an answer different from the right one and from each other. */
  function generate(kind, seed, opts) {
    if (!KINDS[kind]) throw new Error("unknown question kind " + kind);
    var r = rng(seed);
    for (var attempt = 0; attempt < 1000; attempt++) {
      var q = KINDS[kind](r, opts || {});
      if (!q) continue;
      q.slips = q.slips.filter(function (s) { return flat(s.value).every(isFinite); });
      var values = [q.answer].concat(q.slips.map(function (s) { return s.value; }));
      var tols = [q.tol].concat(q.slips.map(function (s) { return s.tol === undefined ? q.tol : s.tol; }));
      var clash = values.some(function (v, i) {
        return values.some(function (w, j) { return j > i && (same(v, w, tols[j]) || same(w, v, tols[i])); });
      });
      if (clash) continue;
      q.kind = kind;
      q.seed = seed;
      q.attempts = attempt + 1;
      q.answerText = answerText(q);
      return q;
    }
    throw new Error("no question of kind " + kind + " for seed " + seed);
  }

  /** ``count`` questions cycling through ``kinds``, question i from mix(seed, i). */
  function makeSet(seed, kinds, count, opts) {
    var out = [];
    for (var i = 0; i < count; i++) {
      var kind = kinds[i % kinds.length];
      try {
        out.push(generate(kind, mix(seed, i), opts));
      } catch (e) {
        if (kind !== "named-layer") throw e;  // only missing data is skipped
      }
    }
    return out;
  }

  /** The practice page's order: every kind once, shuffled by the seed. */
  function shuffled(kinds, seed) {
    var r = rng(mix(seed, 0x5eed)), list = kinds.slice();
    for (var i = list.length - 1; i > 0; i--) {
      var j = r.int(0, i), t = list[i];
      list[i] = list[j];
      list[j] = t;
    }
    return list;
  }

  // ------------------------------------------------------------ the page

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function gridTable(grid) {
    var t = el("table", "atlas-ex__grid");
    var body = el("tbody");
    grid.forEach(function (row) {
      var tr = el("tr");
      row.forEach(function (v) { tr.appendChild(el("td", null, num(v))); });
      body.appendChild(tr);
    });
    t.appendChild(body);
    return t;
  }

  function urlSeed() {
    var m = /[?&]seed=(\d{1,9})(&|$)/.exec(window.location.search);
    return m ? Number(m[1]) : null;
  }
  function freshSeed() {
    var a = new Uint32Array(1);
    (window.crypto || {getRandomValues: function (x) { x[0] = Math.random() * 4294967296; return x; }}).getRandomValues(a);
    return 1 + (a[0] % 999999);
  }
  function setUrlSeed(seed) {
    try {
      var url = window.location.pathname + "?seed=" + seed + window.location.hash;
      window.history.replaceState(null, "", url);
    } catch (e) { /* file:// in some browsers: the seed stays on the page */ }
  }

  var uid = 0;

  /** One question card with its input, Check and Solution buttons. */
  function card(q, number, onChecked) {
    var id = "atlas-ex-" + (++uid);
    var box = el("div", "atlas-ex__q");
    box.setAttribute("data-kind", q.kind);
    var head = el("p", "atlas-ex__prompt");
    head.appendChild(el("span", "atlas-ex__number", number + ". "));
    head.appendChild(document.createTextNode(q.prompt));
    head.id = id + "-prompt";
    box.appendChild(head);
    if (q.grid) box.appendChild(gridTable(q.grid));
    var row = el("div", "atlas-ex__row");
    var label = el("label", "atlas-ex__label", "Answer");
    label.htmlFor = id + "-input";
    var input = el("input", "atlas-ex__input");
    input.type = "text";
    input.id = id + "-input";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.setAttribute("aria-describedby", id + "-prompt " + id + "-how");
    if (q.format === "int") input.inputMode = "decimal";
    var checkBtn = el("button", "atlas-ex__button", "Check");
    checkBtn.type = "button";
    var solBtn = el("button", "atlas-ex__button atlas-ex__button--quiet", "Show solution");
    solBtn.type = "button";
    solBtn.setAttribute("aria-expanded", "false");
    solBtn.setAttribute("aria-controls", id + "-solution");
    row.appendChild(label);
    row.appendChild(input);
    row.appendChild(checkBtn);
    row.appendChild(solBtn);
    box.appendChild(row);
    var how = el("p", "atlas-ex__how", q.how.charAt(0).toUpperCase() + q.how.slice(1) + ".");
    how.id = id + "-how";
    box.appendChild(how);
    var feedback = el("p", "atlas-ex__feedback");
    feedback.setAttribute("role", "status");
    feedback.setAttribute("aria-live", "polite");
    box.appendChild(feedback);
    var sol = el("div", "atlas-ex__solution");
    sol.id = id + "-solution";
    sol.hidden = true;
    q.solution.forEach(function (line) { sol.appendChild(el("p", null, line)); });
    sol.appendChild(el("p", "atlas-ex__answer", "Answer: " + q.answerText));
    box.appendChild(sol);

    function doCheck() {
      var result = check(q, input.value);
      feedback.textContent = result.message;
      feedback.setAttribute("data-status", result.status);
      box.setAttribute("data-status", result.status);
      if (result.slip) feedback.setAttribute("data-slip", result.slip);
      else feedback.removeAttribute("data-slip");
      if (onChecked && result.status !== "unreadable") onChecked(q, result);
    }
    checkBtn.addEventListener("click", doCheck);
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { ev.preventDefault(); doCheck(); }
    });
    solBtn.addEventListener("click", function () {
      sol.hidden = !sol.hidden;
      solBtn.setAttribute("aria-expanded", String(!sol.hidden));
      solBtn.textContent = sol.hidden ? "Show solution" : "Hide solution";
      if (onChecked && !sol.hidden) onChecked(q, {status: "shown"});
    });
    return box;
  }

  function kindsOf(root) {
    return (root.getAttribute("data-kinds") || "").split(/\s+/).filter(function (k) { return KINDS[k]; });
  }

  function renderBlock(root, seed) {
    var kinds = kindsOf(root);
    var count = Number(root.getAttribute("data-count")) || kinds.length;
    var opts = {network: root.getAttribute("data-network") || null};
    var list = root.querySelector(".atlas-ex__list");
    list.textContent = "";
    makeSet(seed, kinds, count, opts).forEach(function (q, i) { list.appendChild(card(q, i + 1)); });
    root.setAttribute("data-seed-used", String(seed));
  }

  function initBlock(root) {
    var seed = urlSeed() || Number(root.getAttribute("data-seed")) || freshSeed();
    root.textContent = "";
    root.appendChild(el("div", "atlas-ex__list"));
    var again = el("button", "atlas-ex__button atlas-ex__button--quiet", "New questions");
    again.type = "button";
    again.addEventListener("click", function () { renderBlock(root, freshSeed()); });
    root.appendChild(again);
    renderBlock(root, seed);
  }

  function initPractice(root) {
    var kinds = kindsOf(root);
    var count = Number(root.getAttribute("data-count")) || kinds.length;
    root.textContent = "";
    var bar = el("div", "atlas-ex__bar");
    var seedText = el("span", "atlas-ex__seed");
    var score = el("span", "atlas-ex__score");
    score.setAttribute("role", "status");
    score.setAttribute("aria-live", "polite");
    var again = el("button", "atlas-ex__button", "New set");
    again.type = "button";
    var sheet = el("a", "atlas-ex__button atlas-ex__button--quiet", "Printable worksheet");
    sheet.setAttribute("data-role", "worksheet");
    bar.appendChild(seedText);
    bar.appendChild(score);
    bar.appendChild(again);
    bar.appendChild(sheet);
    root.appendChild(bar);
    var list = el("div", "atlas-ex__list");
    root.appendChild(list);
    var state;

    function showScore() {
      score.textContent = "Score: " + state.right + " of " + state.total + " right" +
        (state.tries ? " (" + state.tries + " " + (state.tries === 1 ? "try" : "tries") + ")" : "");
      score.setAttribute("data-right", String(state.right));
    }
    function start(seed) {
      state = {right: 0, tries: 0, total: 0, done: {}};
      setUrlSeed(seed);
      root.setAttribute("data-seed-used", String(seed));
      seedText.textContent = "Set " + seed;
      sheet.href = "?seed=" + seed + "&sheet=1";
      list.textContent = "";
      var set = makeSet(seed, shuffled(kinds, seed), count);
      state.total = set.length;
      set.forEach(function (q, i) {
        list.appendChild(card(q, i + 1, function (q2, result) {
          if (state.done[i]) return;  // a question scores once: right before its solution is shown
          if (result.status === "shown") { state.done[i] = true; return; }
          state.tries += 1;
          if (result.status === "right") { state.right += 1; state.done[i] = true; }
          showScore();
        }));
      });
      showScore();
    }
    again.addEventListener("click", function () { start(freshSeed()); });
    start(urlSeed() || Number(root.getAttribute("data-seed")) || freshSeed());
  }

  /** The practice page's print mode (?seed=N&sheet=1): the questions without inputs, then
   *  the answer key with the worked solutions on a page of its own. */
  function initWorksheet(root) {
    var kinds = kindsOf(root);
    var count = Number(root.getAttribute("data-count")) || kinds.length;
    var seed = urlSeed() || Number(root.getAttribute("data-seed")) || freshSeed();
    document.body.classList.add("atlas-ex-sheet-mode");
    root.classList.add("atlas-ex--sheet");
    root.textContent = "";
    var bar = el("div", "atlas-ex__bar atlas-ex__noprint");
    var printBtn = el("button", "atlas-ex__button", "Print");
    printBtn.type = "button";
    printBtn.addEventListener("click", function () { window.print(); });
    bar.appendChild(el("span", "atlas-ex__seed", "Set " + seed));
    bar.appendChild(printBtn);
    var online = el("a", "atlas-ex__button atlas-ex__button--quiet", "Answer online");
    online.href = "?seed=" + seed;
    bar.appendChild(online);
    root.appendChild(bar);
    root.setAttribute("data-seed-used", String(seed));
    var set = makeSet(seed, shuffled(kinds, seed), count);
    var qs = el("ol", "atlas-ex__sheet");
    set.forEach(function (q) {
      var li = el("li", "atlas-ex__sheet-q");
      li.setAttribute("data-kind", q.kind);
      li.appendChild(el("p", "atlas-ex__prompt", q.prompt));
      if (q.grid) li.appendChild(gridTable(q.grid));
      li.appendChild(el("p", "atlas-ex__blank", "Answer: ______________________"));
      qs.appendChild(li);
    });
    root.appendChild(el("h2", "atlas-ex__sheet-title", "Questions (set " + seed + ")"));
    root.appendChild(qs);
    var key = el("section", "atlas-ex__key");
    key.appendChild(el("h2", "atlas-ex__sheet-title", "Answer key (set " + seed + ")"));
    var ans = el("ol", "atlas-ex__sheet");
    set.forEach(function (q) {
      var li = el("li", "atlas-ex__key-a");
      li.appendChild(el("p", "atlas-ex__answer", q.answerText));
      q.solution.forEach(function (line) { li.appendChild(el("p", "atlas-ex__key-line", line)); });
      ans.appendChild(li);
    });
    key.appendChild(ans);
    root.appendChild(key);
  }

  function init() {
    var roots = document.querySelectorAll(".atlas-ex[data-kinds]");
    for (var i = 0; i < roots.length; i++) {
      var root = roots[i];
      if (root.getAttribute("data-ready")) continue;
      var mode = root.getAttribute("data-mode");
      if (mode === "practice" && /[?&]sheet=1(&|$)/.test(window.location.search)) initWorksheet(root);
      else if (mode === "practice") initPractice(root);
      else initBlock(root);
      root.setAttribute("data-ready", "true");
    }
  }

  window.AtlasExercises = {
    F: F, rng: rng, mix: mix, KINDS: KIND_IDS, generate: generate, makeSet: makeSet,
    shuffled: shuffled, check: check, parse: parse, answerText: answerText, init: init,
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
