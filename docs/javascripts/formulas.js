// ConvNet Atlas formulas: the one JavaScript core of the calculator, the explorer and
// the exercises. Plain JavaScript, no network, no page: window.AtlasFormulas.
//
// One formula, two languages. Each function restates, check for check and message for
// message, its Python original:
//   generator/nn/shapes.py        output sizes, padding rules, their ValueError messages
//   generator/nn/tensorflow.py    TensorFlow / Keras 'SAME' and 'VALID', Conv2DTranspose
//   generator/nn/resize.py, shuffle.py   upsampling sizes, broadcasting
//   generator/tables/counts.py    parameters and multiply-accumulates
//   generator/tables/receptive.py receptive fields (size, jump, start per dimension)
//   generator/tables/table.py     one row per leaf layer kind (LEAVES below)
// tests/browser/test_formulas.py runs this file alone against those modules on a few
// hundred random cases; the pages' own tests check what they build on it.
(function () {
  "use strict";

  /** The multiplication sign of shapes and sizes (generator.text.TIMES). */
  var TIMES = "\u00d7";

  /** A ValueError of generator.nn or generator.tables: ``message`` is Python's text. */
  function ShapeError(message) {
    this.message = message;
  }

  // ------------------------------------------------------------ Python-style text

  /** Python's repr() of a tuple of ints: (1, 2), (3,). */
  function tupleRepr(values) {
    return "(" + values.join(", ") + (values.length === 1 ? ",)" : ")");
  }
  /** shapes._dims: 7, or 7x5. */
  function dims(values) {
    return values.join("x");
  }
  /** A (height, width) pair as generator.text.size2 writes it: 3, or 3×5. */
  function hwText(pair) {
    return pair[0] === pair[1] ? String(pair[0]) : pair[0] + TIMES + pair[1];
  }
  /** A shape as generator.text.shape writes it: 64×55×55. */
  function shapeText(shape) {
    return shape.join(TIMES);
  }
  /** What Python's str.isprintable() refuses (besides the space, which it prints). */
  var UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;
  function has(obj, key) {
    return Object.prototype.hasOwnProperty.call(obj, key);
  }
  /** A code point as Python's repr() escapes it: \x7f, \u2028, \U0010ffff (YAML reads the same). */
  function escapeCode(cp) {
    var hex = cp.toString(16);
    if (cp < 0x100) return "\\x" + hex.padStart(2, "0");
    if (cp < 0x10000) return "\\u" + hex.padStart(4, "0");
    return "\\U" + hex.padStart(8, "0");
  }
  /** Each code point of ``s`` (a lone surrogate as itself) through ``f(char, codePoint)``. */
  function mapCodePoints(s, f) {
    var out = "";
    for (var i = 0; i < s.length;) {
      var cp = s.codePointAt(i), c = String.fromCodePoint(cp);
      i += c.length;
      out += f(c, cp);
    }
    return out;
  }
  /** Python's repr() of a str. */
  function strRepr(s) {
    var q = s.indexOf("'") >= 0 && s.indexOf('"') < 0 ? '"' : "'";
    var special = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"};
    special[q] = "\\" + q;
    return q + mapCodePoints(s, function (c, cp) {
      if (has(special, c)) return special[c];
      return c !== " " && UNPRINTABLE.test(c) ? escapeCode(cp) : c;
    }) + q;
  }
  var quote = strRepr;
  function same2(a, b) {
    return a[0] === b[0] && a[1] === b[1];
  }
  function allSame(values) {
    return values.every(function (v) { return v === values[0]; });
  }

  // ------------------------------------------------------------ shapes.py: checks

  function kernelText(kernels, dilations) {
    if (allSame(kernels) && allSame(dilations)) {
      kernels = kernels.slice(0, 1);
      dilations = dilations.slice(0, 1);
    }
    var text = "kernel size " + dims(kernels);
    if (dilations.some(function (d) { return d !== 1; })) {
      text += " (dilated " + dims(kernels.map(function (k, i) { return dilations[i] * (k - 1) + 1; })) + ")";
    }
    return text;
  }
  function checkPositive(values, name) {
    if (values.some(function (v) { return v < 1; })) {
      var shown = values.length === 1 ? values[0] : tupleRepr(values);
      throw new ShapeError(name + " should be greater than zero, but got " + shown);
    }
  }
  function checkNonNegative(values, name) {
    if (values.some(function (v) { return v < 0; })) {
      var shown = values.length === 1 ? values[0] : tupleRepr(values);
      throw new ShapeError(name + " must be non-negative, but got " + shown);
    }
  }
  /** Does the dilated kernel fit into the padded input (one dimension)? */
  function fits(size, kernel, padTotal, dilation) {
    return dilation * (kernel - 1) + 1 <= size + padTotal;
  }
  function checkFits(sizes, kernels, padsTotal, dilations) {
    var padded = sizes.map(function (s, i) { return s + padsTotal[i]; });
    if (kernels.some(function (k, i) { return !fits(sizes[i], k, padsTotal[i], dilations[i]); })) {
      throw new ShapeError(kernelText(kernels, dilations) + " is larger than padded input " + dims(padded));
    }
  }
  function checkConvArgs(sizes, kernels, strides, pads, dilations) {
    checkPositive(sizes, "input size");
    checkPositive(kernels, "kernel size");
    checkPositive(strides, "stride");
    checkPositive(dilations, "dilation");
    checkNonNegative(pads, "padding");
  }
  /** PyTorch's pooling checks, in PyTorch's order. */
  function checkPoolArgs(sizes, kernels, strides, pads, dilations) {
    checkConvArgs(sizes, kernels, strides, pads, dilations);
    kernels.forEach(function (k, i) {
      var p = pads[i], d = dilations[i];
      if (p > Math.floor(((k - 1) * d + 1) / 2)) {
        throw new ShapeError("pad should be at most half of effective kernel size, but got pad=" + p +
          ", kernel_size=" + k + " and dilation=" + d);
      }
    });
    kernels.forEach(function (k, i) {
      var p = pads[i];
      if (p > Math.floor(k / 2)) {
        throw new ShapeError("pad should be smaller than or equal to half of kernel size, but got pad=" + p +
          ", kernel_size=" + k);
      }
    });
  }
  function checkOutputPadding(ops, strides, dilations) {
    checkNonNegative(ops, "output_padding");
    ops.forEach(function (op, i) {
      if (!(op < strides[i] || op < dilations[i])) {
        throw new ShapeError("output padding must be smaller than either stride or dilation, but got output_padding=" +
          op + ", stride=" + strides[i] + " and dilation=" + dilations[i]);
      }
    });
  }
  function tooSmall(out, hw) {
    if (Math.min.apply(null, out) < 1) {
      throw new ShapeError("calculated output size " + dims(out) + " is too small (input size " + dims(hw) + ")");
    }
  }

  // ------------------------------------------------------------ shapes.py: formulas

  /** floor((size + padTotal - d(k - 1) - 1) / s) + 1, unchecked. */
  function convFormula(size, kernel, stride, padTotal, dilation) {
    return Math.floor((size + padTotal - dilation * (kernel - 1) - 1) / stride) + 1;
  }
  /** (size - 1)s - 2p + d(k - 1) + output_padding + 1, unchecked. */
  function convTransposeFormula(size, kernel, stride, padding, outputPadding, dilation) {
    return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1;
  }
  /** PyTorch pooling (padding per side), ceil_mode dropping a window that would start in
   *  the right padding; unchecked. */
  function poolFormula(size, kernel, stride, padding, dilation, ceilMode) {
    var span = size + 2 * padding - dilation * (kernel - 1) - 1;
    var out = Math.floor((span + (ceilMode ? stride - 1 : 0)) / stride) + 1;
    if (ceilMode && (out - 1) * stride >= size + padding) out -= 1;
    return out;
  }

  /** shapes.conv_output_size */
  function convOutputSize(size, kernel, stride, padding, dilation) {
    checkConvArgs([size], [kernel], [stride], [padding], [dilation]);
    checkFits([size], [kernel], [2 * padding], [dilation]);
    return convFormula(size, kernel, stride, 2 * padding, dilation);
  }
  /** shapes.conv_transpose_output_size */
  function convTransposeOutputSize(size, kernel, stride, padding, outputPadding, dilation) {
    checkConvArgs([size], [kernel], [stride], [padding], [dilation]);
    checkOutputPadding([outputPadding], [stride], [dilation]);
    var out = convTransposeFormula(size, kernel, stride, padding, outputPadding, dilation);
    if (out < 1) throw new ShapeError("calculated output size " + out + " is too small (input size " + size + ")");
    return out;
  }
  /** shapes.pool_output_size (stride null: the kernel) */
  function poolOutputSize(size, kernel, stride, padding, dilation, ceilMode) {
    stride = stride === null || stride === undefined ? kernel : stride;
    checkPoolArgs([size], [kernel], [stride], [padding], [dilation]);
    var out = poolFormula(size, kernel, stride, padding, dilation, !!ceilMode);
    if (out < 1) checkFits([size], [kernel], [2 * padding], [dilation]);
    return out;
  }
  /** shapes.same_padding -> [before, after] */
  function samePadding(kernel, dilation) {
    checkPositive([kernel], "kernel size");
    checkPositive([dilation], "dilation");
    var total = dilation * (kernel - 1);
    var before = Math.floor(total / 2);
    return [before, total - before];
  }
  /** shapes.tf_output_size -> [out, padBefore, padAfter]; mode 'SAME' or 'VALID', any case. */
  function tfOutputSize(size, kernel, stride, dilation, padding) {
    checkConvArgs([size], [kernel], [stride], [0], [dilation]);
    var mode = padding.toUpperCase();
    var effective = dilation * (kernel - 1) + 1;
    if (mode === "SAME") {
      var out = Math.ceil(size / stride);
      var total = Math.max((out - 1) * stride + effective - size, 0);
      return [out, Math.floor(total / 2), total - Math.floor(total / 2)];
    }
    if (mode === "VALID") {
      checkFits([size], [kernel], [0], [dilation]);
      return [Math.ceil((size - effective + 1) / stride), 0, 0];
    }
    throw new ShapeError("padding must be 'SAME' or 'VALID', got '" + padding + "'");
  }
  /** tensorflow.check_keras_conv: Keras refuses a stride above 1 with a dilation above 1. */
  function checkKerasConv(strides, dilations) {
    if (Math.max(strides[0], strides[1]) > 1 && Math.max(dilations[0], dilations[1]) > 1) {
      throw new ShapeError("`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: strides=" +
        tupleRepr(strides) + " and dilation_rate=" + tupleRepr(dilations));
    }
  }
  /** tensorflow.check_keras_conv_transpose: no groups (Conv2DTranspose has no such argument),
   *  that, and an output_padding (null: not given) below the stride in every dimension. */
  function checkKerasConvTranspose(strides, dilations, outputPadding, groups) {
    if (groups !== undefined && groups !== 1) {
      throw new ShapeError("Unrecognized keyword arguments passed to Conv2DTranspose: {'groups': " + groups + "}");
    }
    checkKerasConv(strides, dilations);
    if (outputPadding === null || outputPadding === undefined) return;
    for (var i = 0; i < 2; i++) {
      if (outputPadding[i] >= strides[i]) {
        throw new ShapeError("`output_padding` must be strictly less than `strides` for all dimensions. At dimension " +
          i + ", `output_padding` is " + outputPadding[i] + " but `strides` is " + strides[i] +
          ". Received: output_padding=" + tupleRepr(outputPadding) + ", strides=" + tupleRepr(strides));
      }
    }
  }
  /** tensorflow.check_keras_pool: Keras pooling layers take no dilation. */
  function checkKerasPool(dilations) {
    if (Math.max(dilations[0], dilations[1]) > 1) {
      throw new ShapeError("Keras pooling layers take no dilation (dilation=" + tupleRepr(dilations) +
        "); tf.nn.pool takes one only with strides 1");
    }
  }
  /** tensorflow.conv_transpose_output_size (Keras Conv2DTranspose, one dimension);
   *  outputPadding null: Keras's own sizes. */
  function kerasConvTransposeOutputSize(size, kernel, strides, padding, outputPadding, dilation) {
    checkConvArgs([size], [kernel], [strides], [0], [dilation]);
    var given = outputPadding !== null && outputPadding !== undefined;
    checkKerasConvTranspose([strides, strides], [dilation, dilation], given ? [outputPadding, outputPadding] : null);
    var mode = padding.toUpperCase(), effective = dilation * (kernel - 1) + 1;
    if (!given) {
      return mode === "VALID" ? size * strides + Math.max(effective - strides, 0) : size * strides;
    }
    var crop = mode === "VALID" ? 0 : Math.floor(effective / 2);
    var out = (size - 1) * strides + effective - 2 * crop + outputPadding;
    if (mode === "SAME" && !((size - 1) * strides < out && out <= size * strides)) {
      throw new ShapeError("Conv2DTranspose(padding='same', output_padding=" + outputPadding + ") would give " + out +
        ", which 'SAME' does not take back to " + size + ": TensorFlow fails when it runs it (an even kernel, here dilated " +
        effective + ", needs output_padding of at least 1)");
    }
    return out;
  }

  // ------------------------------------------------------------ shapes.py: 2-D

  /** shapes.conv2d_padding -> [[top, bottom], [left, right]] */
  function conv2dPadding(k, padding, s, d) {
    if (typeof padding === "string") {
      if (padding === "valid") return [[0, 0], [0, 0]];
      if (s[0] !== 1 || s[1] !== 1) throw new ShapeError("padding='same' is not supported for strided convolutions");
      return [samePadding(k[0], d[0]), samePadding(k[1], d[1])];
    }
    checkNonNegative(padding, "padding");
    return [[padding[0], padding[0]], [padding[1], padding[1]]];
  }
  function conv2dOutputHW(hw, k, s, padding, d) {
    var p = conv2dPadding(k, padding, s, d);
    checkConvArgs(hw, k, s, [p[0][0], p[1][0], p[0][1], p[1][1]], d);
    var totals = [p[0][0] + p[0][1], p[1][0] + p[1][1]];
    checkFits(hw, k, totals, d);
    return [0, 1].map(function (i) { return convFormula(hw[i], k[i], s[i], totals[i], d[i]); });
  }
  function convTranspose2dOutputHW(hw, k, s, p, op, d) {
    checkConvArgs(hw, k, s, p, d);
    checkOutputPadding(op, s, d);
    var out = [0, 1].map(function (i) { return convTransposeFormula(hw[i], k[i], s[i], p[i], op[i], d[i]); });
    tooSmall(out, hw);
    return out;
  }
  /**
   * Keras Conv2DTranspose, then Cropping2D(padding) for PyTorch's padding: without an
   * output_padding 'valid' (kerasConvTransposeOutputSize); with one, PyTorch's formula.
   * Keras's refusals first (tensorflow.check_keras_conv_transpose).
   */
  function kerasConvTranspose2dOutputHW(hw, k, s, p, op, d, groups) {
    checkKerasConvTranspose(s, d, op[0] || op[1] ? op : null, groups);
    if (op[0] || op[1]) return convTranspose2dOutputHW(hw, k, s, p, op, d);
    checkConvArgs(hw, k, s, p, d);
    var out = [0, 1].map(function (i) {
      return kerasConvTransposeOutputSize(hw[i], k[i], s[i], "valid", null, d[i]) - 2 * p[i];
    });
    tooSmall(out, hw);
    return out;
  }
  /** shapes.pool2d_output_hw (s null: the kernel) */
  function pool2dOutputHW(hw, k, s, p, d, ceilMode) {
    s = s || k;
    checkPoolArgs(hw, k, s, p, d);
    var out = [0, 1].map(function (i) { return poolFormula(hw[i], k[i], s[i], p[i], d[i], !!ceilMode); });
    if (Math.min(out[0], out[1]) < 1) checkFits(hw, k, [2 * p[0], 2 * p[1]], d);
    return out;
  }
  /** resize.interpolate_output_hw with integer factors: size, or floor(n * scale). */
  function interpolateOutputHW(hw, size, scale) {
    var out = size ? size.slice() : [hw[0] * scale[0], hw[1] * scale[1]];
    if (Math.min(out[0], out[1]) < 1) {
      throw new ShapeError("interpolate: the output size " + out[0] + TIMES + out[1] + " is empty");
    }
    return out;
  }
  /** shuffle.broadcast_shape of two shapes of one length; null when they do not broadcast. */
  function broadcastShape(a, b) {
    if (a.length !== b.length) return null;
    var out = [];
    for (var i = 0; i < a.length; i++) {
      if (a[i] !== b[i] && a[i] !== 1 && b[i] !== 1) return null;
      out.push(a[i] === 1 ? b[i] : a[i]);
    }
    return out;
  }

  /** split.chunk_sizes: the parts torch.chunk cuts ``size`` into, each ceil(size / chunks),
   *  the last what is left (so there may be fewer than ``chunks``). */
  function chunkSizes(size, chunks) {
    if (chunks < 1) throw new ShapeError("chunk: chunks must be at least 1, got " + chunks);
    if (size < 1) throw new ShapeError("chunk: nothing to cut, the axis has " + size + " elements");
    var step = Math.ceil(size / chunks), out = [];
    for (var start = 0; start < size; start += step) out.push(Math.min(step, size - start));
    return out;
  }

  // ------------------------------------------------------------ counts.py

  function checkGroups(inChannels, outChannels, groups) {
    if (inChannels % groups) throw new ShapeError("groups " + groups + " does not divide the " + inChannels + " input channels");
    if (outChannels % groups) throw new ShapeError("groups " + groups + " does not divide the " + outChannels + " output channels");
  }
  /** outer × (inner / groups) × kh × kw, once the groups divide both channel counts. */
  function grouped(cin, cout, groups, outer, inner, kernel) {
    checkGroups(cin, cout, groups);
    return outer * Math.floor(inner / groups) * kernel[0] * kernel[1];
  }
  /** [weights, biases]: weight (out, in / groups, kh, kw). */
  function conv2dParams(cin, cout, kernel, groups, bias) {
    return [grouped(cin, cout, groups, cout, cin, kernel), bias ? cout : 0];
  }
  /** One dot product of (in / groups) × kh × kw terms per output value. */
  function conv2dMacs(cin, cout, kernel, outHW, groups) {
    return grouped(cin, cout, groups, cout * outHW[0] * outHW[1], cin, kernel);
  }
  /** [weights, biases]: weight (in, out / groups, kh, kw). */
  function convTranspose2dParams(cin, cout, kernel, groups, bias) {
    return [grouped(cin, cout, groups, cin, cout, kernel), bias ? cout : 0];
  }
  /** Each input value multiplied into (out / groups) × kh × kw outputs. */
  function convTranspose2dMacs(cin, cout, kernel, inHW, groups) {
    return grouped(cin, cout, groups, cin * inHW[0] * inHW[1], cout, kernel);
  }
  function linearParams(nin, nout, bias) {
    return [nin * nout, bias ? nout : 0];
  }
  function linearMacs(nin, nout) {
    return nin * nout;
  }
  /** Batchnorm and layer norm: a learned scale and shift per channel when affine. */
  function normParams(channels, affine) {
    return affine ? [channels, channels] : [0, 0];
  }
  /** Batchnorm's running mean and variance: buffers, not parameters. */
  function batchnormBuffers(channels) {
    return 2 * channels;
  }
  /** Bytes per activation value (float32; counts.FLOAT32_BYTES). */
  var FLOAT32_BYTES = 4;

  // ------------------------------------------------------------ receptive.py

  var INPUT_FIELD = [{size: 1, jump: 1, start: 0}, {size: 1, jump: 1, start: 0}];

  /** receptive.window: the field after a sliding window; arguments are [h, w]. */
  function windowField(field, kernel, stride, padBefore, dilation) {
    if (!field) return null;
    dilation = dilation || [1, 1];
    return field.map(function (f, i) {
      var span = dilation[i] * (kernel[i] - 1) + 1;
      return {size: f.size + (span - 1) * f.jump, jump: f.jump * stride[i], start: f.start - padBefore[i] * f.jump};
    });
  }
  /** receptive.union: the field of an output that depends on every one of ``fields``. */
  function unionField(fields) {
    if (fields.some(function (f) { return !f; })) return null;
    var out = [];
    for (var i = 0; i < 2; i++) {
      var dim = fields.map(function (f) { return f[i]; });
      if (dim.some(function (f) { return f.jump !== dim[0].jump; })) return null;
      var start = Math.min.apply(null, dim.map(function (f) { return f.start; }));
      var end = Math.max.apply(null, dim.map(function (f) { return f.start + f.size - 1; }));
      out.push({size: end - start + 1, jump: dim[0].jump, start: start});
    }
    return out;
  }
  /**
   * receptive.adaptive_window, in closed form: [kernel, stride] of adaptive pooling
   * from ``size`` to ``out``, or null when its windows differ. With size = q*out + r
   * they are alike only for r = 0 (kernel q, stride q) or r = 1 (kernel q + 1,
   * stride q); one window has stride 1.
   */
  function adaptiveWindow(size, out) {
    if (out === 1) return [size, 1];
    var q = Math.floor(size / out), r = size - q * out;
    if (r === 0) return [q, q];
    if (r === 1) return [q + 1, q];
    return null;
  }

  // ------------------------------------------------------------ table.py: one row per leaf

  function extras(dilation, groups, bias) {
    var text = "";
    if (!same2(dilation, [1, 1])) text += ", d=" + hwText(dilation);
    if (groups !== 1) text += ", groups=" + groups;
    if (!bias) text += ", no bias";
    return text;
  }
  function needMap(kind, shape) {
    if (shape.length !== 3) {
      throw new ShapeError(kind + " needs a C×H×W input, found a flat vector of " + shape[0] +
        " features (is there a flatten before it?)");
    }
  }
  function leaf(shape, details, field) {
    return {output_shape: shape, details: details, weights: 0, biases: 0, buffers: 0, macs: 0, field: field};
  }
  /** Python's format(x, "g"), for dropout's p. */
  function formatG(x) {
    if (x === 0) return "0";
    var m = x.toExponential(5).match(/^(-?\d)(?:\.(\d+))?e([+-]\d+)$/);
    var exp = parseInt(m[3], 10);
    var strip = function (s) { return s.indexOf(".") < 0 ? s : s.replace(/0+$/, "").replace(/\.$/, ""); };
    if (exp < -4 || exp >= 6) {
      var e = Math.abs(exp);
      return strip(m[1] + "." + (m[2] || "")) + "e" + (exp < 0 ? "-" : "+") + (e < 10 ? "0" : "") + e;
    }
    return strip(x.toFixed(Math.max(0, 5 - exp)));
  }

  function pool(kind) {
    return function (v, shape, field, tf) {
      needMap(kind, shape);
      var dilation = v.dilation || [1, 1];
      var stride = v.stride || v.kernel, out;
      if (tf) checkKerasPool(dilation);  // tensorflow.check_keras_pool
      if (tf && v.ceil_mode) {
        // Keras has no ceil_mode: ZeroPadding2D(padding), then pooling with padding='same'
        // keeps the last partial window, ceil(size / stride) (tensorflow.pool_output_size)
        out = [0, 1].map(function (i) {
          return tfOutputSize(shape[1 + i] + 2 * v.padding[i], v.kernel[i], stride[i], 1, "same")[0];
        });
      } else {
        out = pool2dOutputHW([shape[1], shape[2]], v.kernel, v.stride, v.padding, dilation, v.ceil_mode);
      }
      var details = "f=" + hwText(v.kernel) + ", s=" + hwText(stride);
      if (!same2(v.padding, [0, 0])) details += ", p=" + hwText(v.padding);
      if (!same2(dilation, [1, 1])) details += ", d=" + hwText(dilation);
      if (v.ceil_mode) details += ", ceil";
      return leaf([shape[0], out[0], out[1]], details, windowField(field, v.kernel, stride, v.padding, dilation));
    };
  }
  function adaptive(kind) {
    return function (v, shape, field) {
      needMap(kind, shape);
      var hw = v.output;
      var wh = adaptiveWindow(shape[1], hw[0]), ww = adaptiveWindow(shape[2], hw[1]);
      var f = wh && ww ? windowField(field, [wh[0], ww[0]], [wh[1], ww[1]], [0, 0]) : null;
      return leaf([shape[0], hw[0], hw[1]], "to " + hwText(hw), f);
    };
  }
  function merge(verb) {
    return function (v, shapes, fields) {
      var out = shapes[0];
      for (var i = 1; i < shapes.length; i++) {
        var next = broadcastShape(out, shapes[i]);
        if (!next) {
          throw new ShapeError("inputs: cannot " + verb + " " + shapeText(out) + " (" + quote(v.inputs[0]) + ") and " +
            shapeText(shapes[i]) + " (" + quote(v.inputs[i]) + ")");
        }
        out = next;
      }
      return leaf(out, shapes.length + " inputs", unionField(fields));
    };
  }

  /**
   * Each leaf kind: (values, input shape, input field, tf) -> {output_shape, details,
   * weights, biases, buffers, macs, field}, or a ShapeError with table.py's message. A
   * merge (add, multiply, crop to a second input) gets the lists of its inputs' shapes
   * and fields. ``tf``: the layer as its usual Keras port (the calculator's second column).
   */
  var LEAVES = {
    conv: function (v, shape, field, tf) {
      needMap("conv", shape);
      var c = shape[0], hw = [shape[1], shape[2]], out, top, left;
      if (tf) checkKerasConv(v.stride, v.dilation);
      if (tf && typeof v.padding === "string") {
        // TensorFlow 'SAME' / 'VALID': shapes.tf_output_size along each dimension
        var rh = tfOutputSize(hw[0], v.kernel[0], v.stride[0], v.dilation[0], v.padding);
        var rw = tfOutputSize(hw[1], v.kernel[1], v.stride[1], v.dilation[1], v.padding);
        out = [rh[0], rw[0]];
        top = rh[1];
        left = rw[1];
      } else {
        out = conv2dOutputHW(hw, v.kernel, v.stride, v.padding, v.dilation);
        var p = conv2dPadding(v.kernel, v.padding, v.stride, v.dilation);
        top = p[0][0];
        left = p[1][0];
      }
      var wb = conv2dParams(c, v.out, v.kernel, v.groups, v.bias);
      var pad = typeof v.padding === "string" ? v.padding : hwText(v.padding);
      return {
        output_shape: [v.out, out[0], out[1]],
        details: "f=" + hwText(v.kernel) + ", s=" + hwText(v.stride) + ", p=" + pad + extras(v.dilation, v.groups, v.bias),
        weights: wb[0], biases: wb[1], buffers: 0,
        macs: conv2dMacs(c, v.out, v.kernel, out, v.groups),
        field: windowField(field, v.kernel, v.stride, [top, left], v.dilation),
      };
    },
    conv_transpose: function (v, shape, field, tf) {
      needMap("conv_transpose", shape);
      var c = shape[0], hw = [shape[1], shape[2]];
      var out = (tf ? kerasConvTranspose2dOutputHW : convTranspose2dOutputHW)(
        hw, v.kernel, v.stride, v.padding, v.output_padding, v.dilation, v.groups);
      var wb = convTranspose2dParams(c, v.out, v.kernel, v.groups, v.bias);
      var details = "f=" + hwText(v.kernel) + ", s=" + hwText(v.stride) + ", p=" + hwText(v.padding);
      if (!same2(v.output_padding, [0, 0])) details += ", output padding " + hwText(v.output_padding);
      return {
        output_shape: [v.out, out[0], out[1]],
        details: details + extras(v.dilation, v.groups, v.bias),
        weights: wb[0], biases: wb[1], buffers: 0,
        macs: convTranspose2dMacs(c, v.out, v.kernel, hw, v.groups), field: null,
      };
    },
    maxpool: pool("maxpool"),
    avgpool: pool("avgpool"),
    adaptive_avgpool: adaptive("adaptive_avgpool"),
    adaptive_maxpool: adaptive("adaptive_maxpool"),
    global_pool: function (v, shape, field) {
      needMap("global_pool", shape);
      return leaf([shape[0], 1, 1], v.mode, windowField(field, [shape[1], shape[2]], [1, 1], [0, 0]));
    },
    linear: function (v, shape, field) {
      if (shape.length !== 1) {
        throw new ShapeError("linear needs a flat input, found " + shapeText(shape) + " (put a flatten before it)");
      }
      var r = leaf([v.out], shape[0] + " → " + v.out + (v.bias ? "" : ", no bias"), field);
      var wb = linearParams(shape[0], v.out, v.bias);
      r.weights = wb[0];
      r.biases = wb[1];
      r.macs = linearMacs(shape[0], v.out);
      return r;
    },
    batchnorm: function (v, shape, field) {
      var r = leaf(shape, v.affine ? "" : "not affine", field);
      var wb = normParams(shape[0], v.affine);
      r.weights = wb[0];
      r.biases = wb[1];
      r.buffers = batchnormBuffers(shape[0]);
      return r;
    },
    layernorm: function (v, shape, field) {
      var r = leaf(shape, "over channels" + (v.affine ? "" : ", not affine"), field);
      var wb = normParams(shape[0], v.affine);
      r.weights = wb[0];
      r.biases = wb[1];
      return r;
    },
    scale: function (v, shape, field) {
      var r = leaf(shape, "per channel", field);
      r.weights = shape[0];  // counts.scale_params: a C×1×1 tensor
      return r;
    },
    flatten: function (v, shape, field) {
      if (shape.length === 1) return leaf(shape, "", field);
      var n = shape[0] * shape[1] * shape[2];
      return leaf([n], shapeText(shape) + " → " + n, windowField(field, [shape[1], shape[2]], [1, 1], [0, 0]));
    },
    dropout: function (v, shape, field) {
      return leaf(shape, "p=" + formatG(v.p), field);
    },
    placeholder: function (v, shape, field) {  // table.placeholder_text
      return leaf(shape, v.op ? "placeholder for " + v.op + " (not imported)" : "placeholder (not imported)", field);
    },
    channel_shuffle: function (v, shape, field) {
      if (shape[0] % v.groups) {
        throw new ShapeError("groups " + v.groups + " does not divide the " + shape[0] + " channels");
      }
      return leaf(shape, "groups=" + v.groups, field);
    },
    channel_split: function (v, shape, field) {
      var sizes = chunkSizes(shape[0], v.chunks);
      if (v.index >= sizes.length) {
        throw new ShapeError("index: " + shape[0] + " channels cut into " + v.chunks + " parts of at most " + sizes[0] +
          " make " + sizes.length + ", numbered 0 to " + (sizes.length - 1));
      }
      return leaf([sizes[v.index]].concat(shape.slice(1)), "part " + (v.index + 1) + " of " + sizes.length, field);
    },
    upsample: function (v, shape) {
      needMap("upsample", shape);
      var hw = interpolateOutputHW([shape[1], shape[2]], v.size, v.scale);
      var how = v.scale ? TIMES + hwText(v.scale) : "to " + hwText(hw);
      // an output pixel reads one or two input pixels per axis at a place that does not
      // advance by a whole step: no single (r, j, u)
      return leaf([shape[0], hw[0], hw[1]], v.mode + " " + how, null);
    },
    crop: function (v, shape, field) {
      var what = "size", size = v.size;
      if (!size) {  // a merge: the first input cropped to the second's height and width
        var like = shape[1];
        shape = shape[0];
        field = field[0];
        what = "inputs";
        if (like.length !== 3) {
          throw new ShapeError("inputs: crop takes its size from a C×H×W map, found a flat vector of " + like[0] +
            " features (" + quote(v.inputs[1]) + ")");
        }
        size = [like[1], like[2]];
      }
      needMap("crop", shape);
      if (size[0] > shape[1] || size[1] > shape[2]) {
        throw new ShapeError(what + ": cannot crop " + shapeText(shape) + " to the larger " + size[0] + "×" + size[1] +
          " (height × width)");
      }
      var top = Math.floor((shape[1] - size[0]) / 2), left = Math.floor((shape[2] - size[1]) / 2);
      return leaf([shape[0], size[0], size[1]], "centre " + hwText(size),
        windowField(field, [1, 1], [1, 1], [-top, -left]));
    },
    pad: function (v, shape, field) {
      needMap("pad", shape);
      var p = v.padding;  // left, right, top, bottom
      return leaf([shape[0], shape[1] + p[2] + p[3], shape[2] + p[0] + p[1]],
        "l=" + p[0] + ", r=" + p[1] + ", t=" + p[2] + ", b=" + p[3], windowField(field, [1, 1], [1, 1], [p[2], p[0]]));
    },
    add: merge("add"),
    multiply: merge("multiply"),
  };
  ["relu", "tanh", "sigmoid", "softmax", "lrn", "relu6", "hardswish", "hardsigmoid", "silu", "gelu"].forEach(function (kind) {
    LEAVES[kind] = function (v, shape, field) { return leaf(shape, "", field); };
  });

  window.AtlasFormulas = {
    TIMES: TIMES, FLOAT32_BYTES: FLOAT32_BYTES, ShapeError: ShapeError,
    // text
    tupleRepr: tupleRepr, dims: dims, hwText: hwText, shapeText: shapeText, formatG: formatG,
    strRepr: strRepr, escapeCode: escapeCode, mapCodePoints: mapCodePoints,
    // checks
    checkPositive: checkPositive, checkNonNegative: checkNonNegative, fits: fits, checkFits: checkFits,
    checkConvArgs: checkConvArgs, checkPoolArgs: checkPoolArgs, checkOutputPadding: checkOutputPadding,
    checkKerasConv: checkKerasConv, checkKerasConvTranspose: checkKerasConvTranspose, checkKerasPool: checkKerasPool,
    checkGroups: checkGroups,
    // sizes
    convFormula: convFormula, convTransposeFormula: convTransposeFormula, poolFormula: poolFormula,
    convOutputSize: convOutputSize, convTransposeOutputSize: convTransposeOutputSize,
    poolOutputSize: poolOutputSize, samePadding: samePadding, tfOutputSize: tfOutputSize,
    kerasConvTransposeOutputSize: kerasConvTransposeOutputSize,
    conv2dPadding: conv2dPadding, conv2dOutputHW: conv2dOutputHW,
    convTranspose2dOutputHW: convTranspose2dOutputHW, kerasConvTranspose2dOutputHW: kerasConvTranspose2dOutputHW,
    pool2dOutputHW: pool2dOutputHW, interpolateOutputHW: interpolateOutputHW, broadcastShape: broadcastShape, chunkSizes: chunkSizes,
    // counts
    conv2dParams: conv2dParams, conv2dMacs: conv2dMacs, convTranspose2dParams: convTranspose2dParams,
    convTranspose2dMacs: convTranspose2dMacs, linearParams: linearParams, linearMacs: linearMacs,
    normParams: normParams, batchnormBuffers: batchnormBuffers,
    // receptive fields
    INPUT_FIELD: INPUT_FIELD, windowField: windowField, unionField: unionField, adaptiveWindow: adaptiveWindow,
    // rows
    LEAVES: LEAVES,
  };
})();
