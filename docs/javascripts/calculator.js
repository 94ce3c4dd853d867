// ConvNet Atlas shape calculator: plain JavaScript, no framework, no network.
//
// One formula, two languages. The functions below re-implement, line for line,
//   generator/specs/schema.py   (field checks of a network spec, same messages)
//   generator/nn/shapes.py      (output sizes and their ValueError messages)
//   generator/tables/counts.py  (parameters and multiply-accumulates)
//   generator/tables/receptive.py and table.py (receptive field, rows, totals)
// and tests/browser/test_calculator.py checks a few hundred random networks
// against the Python. Field types, expected-value texts and the built-in networks
// come from the generator as window.ATLAS_CALC (generated/calculator/data.js).
//
// window.AtlasCalc.compute(spec, {convention: "torch" | "tf"}) takes a spec as the
// YAML data of a spec file ({name, input, layers: [{conv: {...}}, "relu", ...]}).
(function () {
  "use strict";

  // ------------------------------------------------------------ Python-style text

  /** A float whose value is integral (typed as "2.0"): kept apart from the int 2. */
  function PyFloat(value) {
    this.value = value;
  }

  var MISSING = {};  // a field the reader left empty: as if the spec omitted it

  /** An integer: a number, or a BigInt for one typed with more digits than a double keeps. */
  function isInt(v) {
    return (typeof v === "number" && Number.isInteger(v)) || typeof v === "bigint";
  }
  function isFloat(v) {
    return (typeof v === "number" && !Number.isInteger(v)) || v instanceof PyFloat;
  }
  function num(v) {
    return v instanceof PyFloat ? v.value : v;
  }
  function isMapping(v) {
    return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof PyFloat);
  }

  /** Python's repr() of a float. */
  function floatRepr(x) {
    if (Number.isNaN(x)) return "nan";
    if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
    if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
    var sign = x < 0 ? "-" : "";
    var m = Math.abs(x).toExponential().match(/^(\d)(?:\.(\d+))?e([+-]\d+)$/);
    var digits = m[1] + (m[2] || "");
    var exp = parseInt(m[3], 10);
    if (exp < -4 || exp >= 16) {
      var mant = digits[0] + (digits.length > 1 ? "." + digits.slice(1) : "");
      var e = Math.abs(exp);
      return sign + mant + "e" + (exp < 0 ? "-" : "+") + (e < 10 ? "0" : "") + e;
    }
    if (exp < 0) return sign + "0." + "0".repeat(-exp - 1) + digits;
    while (digits.length < exp + 1) digits += "0";
    var frac = digits.slice(exp + 1);
    return sign + digits.slice(0, exp + 1) + "." + (frac || "0");
  }

  /** Python's format(x, "g"). */
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

  /** What Python's str.isprintable() refuses (besides the space, which it prints). */
  var UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

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

  /** What a name may not contain: fields.NOT_IN_LINE, as the generator sends it. */
  var notInLine = null;
  function badInLine() {
    return notInLine || (notInLine = new RegExp(schema().not_in_line, "u"));
  }

  /** Python's str.strip(): its whitespace has U+001C..U+001F and U+0085, not U+FEFF. */
  var PY_SPACE = "[\\t-\\r\\x1c- \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  var PY_STRIP = new RegExp("^" + PY_SPACE + "+|" + PY_SPACE + "+$", "g");

  /**
   * A string as a YAML double-quoted scalar that reads back to exactly it: every
   * character a name may not hold (controls, line breaks, noncharacters, lone
   * surrogates) and U+FEFF escaped, as YAML's reader refuses or folds them raw.
   */
  function yamlQuoted(s) {
    return '"' + mapCodePoints(s, function (c, cp) {
      if (c === '"' || c === "\\") return "\\" + c;
      return badInLine().test(c) || c === "\ufeff" ? escapeCode(cp) : c;
    }) + '"';
  }

  /** How a YAML scalar of this value is written (PyYAML's safe_dump, flow style). */
  var YAML_WORDS = /^(y|yes|n|no|true|false|on|off|null|~)$/i;
  var PLAIN = /^[\p{L}_][\p{L}\p{N}_.\-]*$/u;
  var PLAIN_TEXT = /^[\p{L}_][\p{L}\p{N}_ .()×+\-\/]*$/u;
  function yamlFloat(x) {
    var text = floatRepr(x).toLowerCase();
    if (text === "inf") return ".inf";
    if (text === "-inf") return "-.inf";
    if (text === "nan") return ".nan";
    return text.indexOf(".") < 0 && text.indexOf("e") >= 0 ? text.replace("e", ".0e") : text;
  }
  function yamlValue(v, text) {
    if (v === null || v === undefined) return "null";
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "bigint") return String(v);
    if (isInt(v)) return String(v);
    if (isFloat(v)) return yamlFloat(num(v));
    if (typeof v === "string") {
      var plain = text ? PLAIN_TEXT : PLAIN;
      return plain.test(v) && !YAML_WORDS.test(v) && !/\s$/.test(v) ? v : yamlQuoted(v);
    }
    if (Array.isArray(v)) return "[" + v.map(function (x) { return yamlValue(x); }).join(", ") + "]";
    return "{" + Object.keys(v).map(function (k) { return yamlValue(k) + ": " + yamlValue(v[k]); }).join(", ") + "}";
  }

  /** schema._found: how a value the spec gave is described in "found ...". */
  function found(v) {
    if (v === null || v === undefined) return "nothing";
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "string") return "the string " + strRepr(v);
    if (isInt(v)) return String(v);  // a BigInt too: every digit, as Python's repr
    if (isFloat(v)) return floatRepr(num(v));
    if (Array.isArray(v)) return "the list " + yamlValue(v).slice(0, 60);
    return "a mapping";
  }

  /** Python's repr() of a tuple of ints: (1, 2). */
  function tupleRepr(values) {
    return "(" + values.join(", ") + (values.length === 1 ? ",)" : ")");
  }

  // ------------------------------------------------------------ spec fields (schema.py)

  function Mismatch() {}
  /** A size of the right type past limits.MAX_DIM (fields.TooLarge). */
  function TooLarge() {}
  TooLarge.prototype = Object.create(Mismatch.prototype);

  /** The bounds of a spec (generator/specs/limits.py): max_dim, max_layers. */
  function limits() {
    return schema().limits;
  }
  function bounded(v) {
    if (v > limits().max_dim) throw new TooLarge();
    return Number(v);
  }
  function positive(v) {
    if (isInt(v) && v >= 1) return bounded(v);
    throw new Mismatch();
  }
  function nonNegative(v) {
    if (isInt(v) && v >= 0) return bounded(v);
    throw new Mismatch();
  }
  function pairOf(convert) {
    return function (v) {
      if (Array.isArray(v) && v.length === 2) return [convert(v[0]), convert(v[1])];
      var x = convert(v);
      return [x, x];
    };
  }
  function isNumber(v) {
    return typeof v === "number" || v instanceof PyFloat;
  }

  var CONVERT = {
    COUNT: positive,
    SIZE: pairOf(positive),
    PAD: pairOf(nonNegative),
    CONV_PAD: function (v) {
      return v === "same" || v === "valid" ? v : pairOf(nonNegative)(v);
    },
    BOOL: function (v) {
      if (typeof v === "boolean") return v;
      throw new Mismatch();
    },
    PROB: function (v) {
      if (isNumber(v) && num(v) >= 0 && num(v) <= 1) return num(v);
      throw new Mismatch();
    },
    POSITIVE: function (v) {
      if (isNumber(v) && num(v) > 0) return num(v);
      throw new Mismatch();
    },
    TEXT: function (v) {  // fields._line
      var text = typeof v === "string" && !badInLine().test(v) ? v.replace(PY_STRIP, "") : "";
      if (text) return text;
      throw new Mismatch();
    },
    SHAPE: function (v) {
      if (Array.isArray(v) && (v.length === 1 || v.length === 3)) return v.map(positive);
      throw new Mismatch();
    },
  };

  /** UserError's one line: runs of whitespace become one space (errors.py). */
  function oneLine(text) {
    return String(text).split(/\s+/).filter(Boolean).join(" ");
  }

  function SpecError(where, message) {
    this.where = oneLine(where);
    this.message = oneLine(message);
    this.text = where ? this.where + ": " + this.message : this.message;
  }

  function schema() {
    var data = window.ATLAS_CALC;
    if (!data) throw new Error("calculator data missing (generated/calculator/data.js)");
    return data;
  }

  /** The layer kinds in the order of the spec format's documentation. */
  function kindOrder() {
    return schema().kind_order || Object.keys(schema().kinds);
  }

  /** schema._lower: the first sentence of a field's doc, lower-cased. */
  function lowerDoc(doc) {
    var first = doc.split(". ")[0].replace(/\.+$/, "");
    return first.slice(0, 1).toLowerCase() + first.slice(1);
  }

  function has(obj, key) {
    return Object.prototype.hasOwnProperty.call(obj, key);
  }

  /** _Parser.values: check ``data`` against ``fields``; converted values, or a SpecError. */
  function checkValues(fields, data, where, what) {
    var known = fields.map(function (f) { return f.name; });
    Object.keys(data).forEach(function (key) {
      if (known.indexOf(key) < 0) {
        throw new SpecError(where, "unknown field '" + key + "' (" + what + " takes: " + known.join(", ") + ")");
      }
    });
    var out = {};
    fields.forEach(function (f) {
      if (!has(data, f.name) || data[f.name] === MISSING) {
        if (f.required) throw new SpecError(where, "missing field '" + f.name + "' (" + lowerDoc(f.doc) + ")");
        return;
      }
      var convert = CONVERT[f.type];
      if (!convert) return;  // layers: checked one by one by the caller
      try {
        out[f.name] = convert(data[f.name]);
      } catch (e) {
        if (e instanceof TooLarge) {
          throw new SpecError(where, f.name + " must be at most " + countText(limits().max_dim) + ", found " +
            found(data[f.name]));
        }
        if (!(e instanceof Mismatch)) throw e;
        throw new SpecError(where, f.name + " must be " + f.expected + ", found " + found(data[f.name]));
      }
    });
    return out;
  }

  /** _Parser.layer: the layer ``entry`` at position ``index`` (1-based). */
  function parseLayer(entry, index) {
    var here = "layer " + index;
    var kinds = schema().kinds;
    if (typeof entry === "string") {
      var bare = {};
      bare[entry] = null;
      entry = bare;
    }
    if (!isMapping(entry) || Object.keys(entry).length !== 1) {
      throw new SpecError(here, "expected a one-key mapping like 'conv: {out: 6, kernel: 5}' " +
        "or a bare kind like 'relu', found " + found(entry));
    }
    var kind = Object.keys(entry)[0];
    var data = entry[kind];
    kind = schema().aliases[kind] || kind;
    if (!has(kinds, kind)) {
      throw new SpecError(here, "unknown layer type '" + kind + "' (the calculator knows: " +
        kindOrder().join(", ") + ")");
    }
    var fields = kinds[kind].fields;
    if (data === null || data === undefined) data = {};
    if (!isMapping(data)) {
      var required = fields.filter(function (f) { return f.required; }).map(function (f) { return f.name + ": ..."; });
      throw new SpecError(here + " (" + kind + ")", "the fields of a " + kind + " layer must be a mapping like '" +
        kind + ": {" + (required.join(", ") || "name: ...") + "}', found " + found(data));
    }
    var name = typeof data.name === "string" ? data.name : null;
    var where = here + (name ? " " + strRepr(name) : "") + " (" + kind + ")";
    if (index > limits().max_layers) {  // every kind of the calculator counts as one layer
      throw new SpecError(where, "more than " + countText(limits().max_layers) +
        " layers (blocks count the layers inside)");
    }
    var values = checkValues(fields, data, where, kind);
    fields.forEach(function (f) {
      if (!has(values, f.name) && !f.required) values[f.name] = defaultValue(f);
    });
    if ((kind === "conv" || kind === "conv_transpose") && values.out % values.groups) {
      throw new SpecError(where, "out " + values.out + " is not divisible by groups " + values.groups);
    }
    return {kind: kind, where: where, index: index, v: values};
  }

  /** A field's default, converted (the generator sends it as JSON: pairs are lists). */
  function defaultValue(f) {
    return Array.isArray(f.value) ? f.value.slice() : f.value;
  }

  // ------------------------------------------------------------ shapes.py

  function ShapeError(message) {
    this.message = message;
  }

  function dims(values) {
    return values.join("x");
  }
  function allSame(values) {
    return values.every(function (v) { return v === values[0]; });
  }
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
  function checkFits(sizes, kernels, padsTotal, dilations) {
    var padded = sizes.map(function (s, i) { return s + padsTotal[i]; });
    if (kernels.some(function (k, i) { return dilations[i] * (k - 1) + 1 > padded[i]; })) {
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
  function convFormula(size, kernel, stride, padTotal, dilation) {
    return Math.floor((size + padTotal - dilation * (kernel - 1) - 1) / stride) + 1;
  }
  function convTransposeFormula(size, kernel, stride, padding, outputPadding, dilation) {
    return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1;
  }
  function poolFormula(size, kernel, stride, padding, dilation, ceilMode) {
    var span = size + 2 * padding - dilation * (kernel - 1) - 1;
    var out = Math.floor((span + (ceilMode ? stride - 1 : 0)) / stride) + 1;
    if (ceilMode && (out - 1) * stride >= size + padding) out -= 1;
    return out;
  }
  function samePadding(kernel, dilation) {
    checkPositive([kernel], "kernel size");
    checkPositive([dilation], "dilation");
    var total = dilation * (kernel - 1);
    var before = Math.floor(total / 2);
    return [before, total - before];
  }
  /** shapes.tf_output_size -> [out, padBefore, padAfter] */
  function tfOutputSize(size, kernel, stride, dilation, padding) {
    checkConvArgs([size], [kernel], [stride], [0], [dilation]);
    var mode = padding.toUpperCase();
    var effective = dilation * (kernel - 1) + 1;
    if (mode === "SAME") {
      var out = Math.ceil(size / stride);
      var total = Math.max((out - 1) * stride + effective - size, 0);
      return [out, Math.floor(total / 2), total - Math.floor(total / 2)];
    }
    checkFits([size], [kernel], [0], [dilation]);
    return [Math.ceil((size - effective + 1) / stride), 0, 0];
  }
  /** tensorflow.check_keras_conv: Keras convolutions refuse a stride above 1 with a dilation above 1. */
  function checkKerasConv(strides, dilations) {
    if (Math.max(strides[0], strides[1]) > 1 && Math.max(dilations[0], dilations[1]) > 1) {
      throw new ShapeError("`strides > 1` not supported in conjunction with `dilation_rate > 1` (strides=" +
        tupleRepr(strides) + ", dilation_rate=" + tupleRepr(dilations) + ")");
    }
  }
  /**
   * Keras Conv2DTranspose, then Cropping2D(padding) for PyTorch's padding: without an
   * output_padding 'valid' gives size*stride + max(k_eff - stride, 0) (tensorflow.
   * conv_transpose_output_size); with one, PyTorch's formula.
   */
  function kerasConvTranspose2dOutputHW(hw, k, s, p, op, d) {
    if (op[0] || op[1]) return convTranspose2dOutputHW(hw, k, s, p, op, d);
    checkConvArgs(hw, k, s, p, d);
    var out = [0, 1].map(function (i) {
      var effective = d[i] * (k[i] - 1) + 1;
      return hw[i] * s[i] + Math.max(effective - s[i], 0) - 2 * p[i];
    });
    if (Math.min(out[0], out[1]) < 1) {
      throw new ShapeError("calculated output size " + dims(out) + " is too small (input size " + hw[0] + "x" + hw[1] + ")");
    }
    return out;
  }
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
    checkNonNegative(op, "output_padding");
    [0, 1].forEach(function (i) {
      if (!(op[i] < s[i] || op[i] < d[i])) {
        throw new ShapeError("output padding must be smaller than either stride or dilation, but got output_padding=" +
          op[i] + ", stride=" + s[i] + " and dilation=" + d[i]);
      }
    });
    var out = [0, 1].map(function (i) { return convTransposeFormula(hw[i], k[i], s[i], p[i], op[i], d[i]); });
    if (Math.min(out[0], out[1]) < 1) {
      throw new ShapeError("calculated output size " + dims(out) + " is too small (input size " + hw[0] + "x" + hw[1] + ")");
    }
    return out;
  }
  function pool2dOutputHW(hw, k, s, p, d, ceilMode) {
    s = s || k;
    checkPoolArgs(hw, k, s, p, d);
    var out = [0, 1].map(function (i) { return poolFormula(hw[i], k[i], s[i], p[i], d[i], ceilMode); });
    if (Math.min(out[0], out[1]) < 1) checkFits(hw, k, [2 * p[0], 2 * p[1]], d);
    return out;
  }

  // ------------------------------------------------------------ counts.py, receptive.py

  function checkGroups(inChannels, outChannels, groups) {
    if (inChannels % groups) throw new ShapeError("groups " + groups + " does not divide the " + inChannels + " input channels");
    if (outChannels % groups) throw new ShapeError("groups " + groups + " does not divide the " + outChannels + " output channels");
  }

  var INPUT_FIELD = [{size: 1, jump: 1, start: 0}, {size: 1, jump: 1, start: 0}];

  function windowField(field, kernel, stride, padBefore, dilation) {
    if (!field) return null;
    dilation = dilation || [1, 1];
    return field.map(function (f, i) {
      var span = dilation[i] * (kernel[i] - 1) + 1;
      return {size: f.size + (span - 1) * f.jump, jump: f.jump * stride[i], start: f.start - padBefore[i] * f.jump};
    });
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

  // ------------------------------------------------------------ table.py

  /** A (height, width) pair as generator.text.size2 writes it: 3, or 3×5. */
  function hwText(pair) {
    return pair[0] === pair[1] ? String(pair[0]) : pair[0] + schema().times + pair[1];
  }
  /** A shape as generator.text.shape writes it: 64×55×55. */
  function shapeText(shape) {
    return shape.join(schema().times);
  }
  function same2(a, b) {
    return a[0] === b[0] && a[1] === b[1];
  }
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

  /** One leaf layer: {output_shape, details, weights, biases, buffers, macs, field}. */
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
      checkGroups(c, v.out, v.groups);
      var kk = v.kernel[0] * v.kernel[1], per = Math.floor(c / v.groups);
      var pad = typeof v.padding === "string" ? v.padding : hwText(v.padding);
      return {
        output_shape: [v.out, out[0], out[1]],
        details: "f=" + hwText(v.kernel) + ", s=" + hwText(v.stride) + ", p=" + pad + extras(v.dilation, v.groups, v.bias),
        weights: v.out * per * kk, biases: v.bias ? v.out : 0, buffers: 0,
        macs: v.out * out[0] * out[1] * per * kk,
        field: windowField(field, v.kernel, v.stride, [top, left], v.dilation),
      };
    },
    conv_transpose: function (v, shape, field, tf) {
      needMap("conv_transpose", shape);
      var c = shape[0], hw = [shape[1], shape[2]];
      var out = (tf ? kerasConvTranspose2dOutputHW : convTranspose2dOutputHW)(
        hw, v.kernel, v.stride, v.padding, v.output_padding, v.dilation);
      checkGroups(c, v.out, v.groups);
      var kk = v.kernel[0] * v.kernel[1], per = Math.floor(v.out / v.groups);
      var details = "f=" + hwText(v.kernel) + ", s=" + hwText(v.stride) + ", p=" + hwText(v.padding);
      if (!same2(v.output_padding, [0, 0])) details += ", output padding " + hwText(v.output_padding);
      return {
        output_shape: [v.out, out[0], out[1]],
        details: details + extras(v.dilation, v.groups, v.bias),
        weights: c * per * kk, biases: v.bias ? v.out : 0, buffers: 0,
        macs: c * hw[0] * hw[1] * per * kk, field: null,
      };
    },
    maxpool: pool("maxpool"),
    avgpool: pool("avgpool"),
    adaptive_avgpool: function (v, shape, field) {
      needMap("adaptive_avgpool", shape);
      var hw = v.output;
      var wh = adaptiveWindow(shape[1], hw[0]), ww = adaptiveWindow(shape[2], hw[1]);
      var f = wh && ww ? windowField(field, [wh[0], ww[0]], [wh[1], ww[1]], [0, 0]) : null;
      return leaf([shape[0], hw[0], hw[1]], "to " + hwText(hw), f);
    },
    linear: function (v, shape, field) {
      if (shape.length !== 1) {
        throw new ShapeError("linear needs a flat input, found " + shapeText(shape) + " (put a flatten before it)");
      }
      var r = leaf([v.out], shape[0] + " → " + v.out + (v.bias ? "" : ", no bias"), field);
      r.weights = shape[0] * v.out;
      r.biases = v.bias ? v.out : 0;
      r.macs = shape[0] * v.out;
      return r;
    },
    batchnorm: function (v, shape, field) {
      var r = leaf(shape, v.affine ? "" : "not affine", field);
      r.weights = r.biases = v.affine ? shape[0] : 0;
      r.buffers = 2 * shape[0];
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
  };
  ["relu", "tanh", "sigmoid", "softmax"].forEach(function (kind) {
    LEAVES[kind] = function (v, shape, field) { return leaf(shape, "", field); };
  });

  function leaf(shape, details, field) {
    return {output_shape: shape, details: details, weights: 0, biases: 0, buffers: 0, macs: 0, field: field};
  }
  function pool(kind) {
    return function (v, shape, field, tf) {
      needMap(kind, shape);
      var dilation = v.dilation || [1, 1];
      var stride = v.stride || v.kernel, out;
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

  function fieldDict(field) {
    if (!field) return null;
    return {
      size: [field[0].size, field[1].size],
      jump: [field[0].jump, field[1].jump],
      start: [field[0].start, field[1].start],
    };
  }

  var SAFE = Number.MAX_SAFE_INTEGER;

  /**
   * The layer table of ``spec`` (the YAML data of a spec), one row per layer, as
   * generator.tables.formats.table_dict gives it, plus a ``status`` per row:
   * "ok", "error" (with ``error``: the message, ``where``: the layer) or "skipped"
   * (after an error, the input of the layer is unknown). Errors that concern the
   * whole spec (name, input, no layers) are in ``errors``. ``totals`` is null
   * unless every row is ok.
   */
  function compute(spec, options) {
    var tf = !!(options && options.convention === "tf");
    var data = schema();
    var result = {convention: tf ? "tf" : "torch", errors: [], input_shape: null, layers: [], totals: null};
    if (!isMapping(spec)) {
      result.errors.push("expected a mapping with name, input and layers at the top, found " + found(spec));
      return result;
    }
    var netFields = data.network.fields.filter(function (f) { return f.name !== "published"; });
    var head = {};
    ["name", "input"].forEach(function (key) { if (has(spec, key)) head[key] = spec[key]; });
    var shape = null;
    try {
      shape = checkValues(netFields.filter(function (f) { return f.name !== "layers" && f.name !== "description"; }),
        head, "", "a network spec").input;
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      result.errors.push(e.text);
      // the input may be fine even when the name is not
      try {
        shape = CONVERT.SHAPE(spec.input);
      } catch (e2) {
        shape = null;
      }
    }
    var layers = spec.layers;
    if (!Array.isArray(layers) || !layers.length) {
      result.errors.push(layers === undefined || layers === MISSING ? "missing field 'layers' (the layers, in order)"
        : "layers must be a non-empty list of layers, found " + found(layers));
      layers = Array.isArray(layers) ? layers : [];
    }
    result.input_shape = shape;
    var field = shape && shape.length === 3 ? INPUT_FIELD : null;
    var blocked = shape ? 0 : -1;  // index of the first row in error (-1: the input)
    // Past the limit, the first layer too many is the error, and the rest go unread.
    layers.slice(0, limits().max_layers + 1).forEach(function (entry, i) {
      var index = i + 1;
      var row = {index: String(index), status: "ok", where: "layer " + index, name: null, type: null};
      result.layers.push(row);
      var layer;
      try {
        layer = parseLayer(entry, index);
      } catch (e) {
        if (!(e instanceof SpecError)) throw e;
        row.status = "error";
        row.where = e.where;
        row.error = e.message;
        row.type = typeof entry === "string" ? entry : isMapping(entry) ? Object.keys(entry)[0] || null : null;
        if (blocked === 0) blocked = index;
        return;
      }
      row.where = oneLine(layer.where);
      row.type = layer.kind;
      row.name = layer.v.name || null;
      if (blocked !== 0) {
        row.status = "skipped";
        row.after = blocked;
        return;
      }
      try {
        var out = LEAVES[layer.kind](layer.v, shape, field, tf);
        var activations = out.output_shape.reduce(function (a, b) { return a * b; }, 1);
        var numbers = [out.weights, out.biases, out.macs, activations];
        (out.field || []).forEach(function (f) { numbers.push(f.size, f.jump, -f.start); });
        numbers.forEach(function (n) {
          if (n > SAFE) throw new ShapeError("a number above 2^53 is beyond exact arithmetic in the browser");
        });
        var params = out.weights + out.biases;
        Object.assign(row, {
          details: out.details, input_shape: shape, output_shape: out.output_shape,
          params: params, weights: out.weights, biases: out.biases,
          trainable_params: layer.v.frozen ? 0 : params, buffers: out.buffers, macs: out.macs,
          activations: activations, activation_bytes: 4 * activations,
          receptive_field: fieldDict(out.field),
        });
        shape = out.output_shape;
        field = out.field;
      } catch (e) {
        if (!(e instanceof ShapeError)) throw e;
        row.status = "error";
        row.error = oneLine(e.message);
        blocked = index;
      }
    });
    if (!result.errors.length && result.layers.every(function (r) { return r.status === "ok"; })) {
      var t = {params: 0, weights: 0, biases: 0, trainable_params: 0, buffers: 0, macs: 0, activations: 0};
      result.layers.forEach(function (r) {
        Object.keys(t).forEach(function (k) { t[k] += r[k]; });
      });
      t.non_trainable_params = t.params - t.trainable_params;
      t.activation_bytes = 4 * t.activations;
      result.totals = t;
    }
    return result;
  }

  /** The spec as YAML that ``python -m generator table`` reads. */
  function toYAML(spec) {
    var lines = [];
    ["name", "input"].forEach(function (key) {
      if (has(spec, key) && spec[key] !== MISSING) lines.push(key + ": " + yamlValue(spec[key], key === "name"));
    });
    var layers = spec.layers || [];
    if (!layers.length) {
      lines.push("layers: []");
    } else {
      lines.push("layers:");
      layers.forEach(function (entry) {
        if (!isMapping(entry)) {
          lines.push("  - " + yamlValue(entry));
          return;
        }
        var kind = Object.keys(entry)[0], data = entry[kind];
        var keys = isMapping(data) ? Object.keys(data).filter(function (k) { return data[k] !== MISSING; }) : [];
        if (isMapping(data) && !keys.length) {
          lines.push("  - " + yamlValue(kind));
          return;
        }
        var body = isMapping(data)
          ? "{" + keys.map(function (k) { return yamlValue(k) + ": " + yamlValue(data[k]); }).join(", ") + "}"
          : yamlValue(data);
        lines.push("  - " + yamlValue(kind) + ": " + body);
      });
    }
    return lines.join("\n") + "\n";
  }

  // ------------------------------------------------------------ what the reader types

  var INT = /^[+-]?\d+$/;
  var FLOAT = /^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$/;

  /** The spec value of a number typed as text: 5 -> 5, 2.0 -> PyFloat(2), 2.5 -> 2.5. */
  function numberValue(text) {
    if (INT.test(text)) {
      var n = parseInt(text, 10);
      return Number.isSafeInteger(n) ? n : BigInt(text.replace(/^\+/, ""));
    }
    var x = Number(text);
    return Number.isInteger(x) ? new PyFloat(x) : x;
  }

  /**
   * The spec value of what the reader typed in the input of a field of type ``type``:
   * "" -> MISSING (the default applies), "3" -> 3, "3x5" / "3,5" / "[3, 5]" -> [3, 5],
   * other text stays text (so the check reports it, as it would in a spec file).
   */
  function textValue(text, type) {
    text = String(text);
    if (type === "TEXT") return text === "" ? MISSING : text;
    var t = text.trim();
    if (t === "") return MISSING;
    if (type === "BOOL" && (t === "true" || t === "false")) return t === "true";
    if (FLOAT.test(t)) return numberValue(t);
    var inner = t.replace(/^\[\s*(.*?)\s*\]$/, "$1");
    var parts = inner.split(/\s*(?:,|x|×)\s*/);
    if (parts.length >= 2 && parts.every(function (p) { return FLOAT.test(p); })) return parts.map(numberValue);
    if (inner === "" && t !== inner) return [];
    return t;
  }

  /** The text an input shows for a spec value (the inverse of textValue). */
  function valueText(v) {
    if (v === null || v === undefined || v === MISSING) return "";
    if (typeof v === "boolean") return v ? "true" : "false";
    if (v instanceof PyFloat || isFloat(v)) return floatRepr(num(v));
    if (Array.isArray(v)) return v.map(valueText).join("x");
    if (isMapping(v)) return JSON.stringify(v);
    return String(v);
  }

  // ------------------------------------------------------------ the page

  var KEEP_ON_KIND_CHANGE = ["name", "out", "kernel", "stride", "padding", "dilation", "groups", "bias"];
  //: What a new layer of each kind starts with (required fields need a value).
  var STARTERS = {
    conv: {out: "16", kernel: "3", padding: "1"},
    conv_transpose: {out: "16", kernel: "2", stride: "2"},
    maxpool: {kernel: "2"},
    avgpool: {kernel: "2"},
    adaptive_avgpool: {output: "1"},
    linear: {out: "10"},
  };
  var DEFAULT_HASH = "v1&name=My%20network&in=3,32,32&l=conv:out=16,kernel=3,padding=1;relu;" +
    "maxpool:kernel=2;conv:out=32,kernel=3,padding=1;relu;maxpool:kernel=2;flatten;linear:out=10";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else node.setAttribute(key, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function countText(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }
  function siText(n) {
    var units = [[1e9, "G"], [1e6, "M"], [1e3, "k"]];
    for (var i = 0; i < units.length; i++) {
      if (n >= units[i][0]) {
        var x = n / units[i][0];
        return (x < 100 ? x.toFixed(2) : x.toFixed(1)) + " " + units[i][1];
      }
    }
    return String(n);
  }

  // ---- state <-> URL fragment: #v1&name=..&in=3,32,32&tf=1&l=conv:out=6,kernel=5;relu

  function encodeState(state) {
    var enc = encodeURIComponent;
    var parts = ["v1", "name=" + enc(state.name), "in=" + state.input.map(enc).join(",")];
    if (state.tf) parts.push("tf=1");
    parts.push("l=" + state.layers.map(function (layer) {
      var fields = Object.keys(layer.texts).filter(function (k) { return layer.texts[k] !== ""; });
      return enc(layer.kind) + (fields.length ? ":" + fields.map(function (k) {
        return enc(k) + "=" + enc(layer.texts[k]);
      }).join(",") : "");
    }).join(";"));
    return parts.join("&");
  }

  function decodeState(hash) {
    hash = hash.replace(/^#/, "");
    if (hash.slice(0, 3) !== "v1&") return null;
    var dec = function (s) {
      try { return decodeURIComponent(s); } catch (e) { return s; }
    };
    var state = {name: "", input: ["", "", ""], tf: false, layers: [], dropped: [], cut: 0};
    var kinds = schema().kinds, most = limits().max_layers + 1;
    hash.slice(3).split("&").forEach(function (part) {
      var eq = part.indexOf("="), key = part.slice(0, eq), value = part.slice(eq + 1);
      if (key === "name") state.name = dec(value);
      else if (key === "in") state.input = value.split(",").map(dec).concat(["", "", ""]).slice(0, 3);
      else if (key === "tf") state.tf = value === "1";
      else if (key === "l" && value) {
        value.split(";").forEach(function (item) {
          if (state.layers.length >= most) {  // one past the limit shows its error; no more
            state.cut++;
            return;
          }
          var colon = item.indexOf(":");
          var kind = dec(colon < 0 ? item : item.slice(0, colon));
          if (!has(kinds, kind)) {
            state.dropped.push(kind);
            return;
          }
          var texts = {};
          var names = kinds[kind].fields.map(function (f) { return f.name; });
          if (colon >= 0) {
            item.slice(colon + 1).split(",").forEach(function (pair) {
              var i = pair.indexOf("="), k = dec(pair.slice(0, i));
              if (i > 0 && names.indexOf(k) >= 0) texts[k] = dec(pair.slice(i + 1));
            });
          }
          state.layers.push({kind: kind, texts: texts});
        });
      }
    });
    return state;
  }

  /** A spec (YAML data) as the state of the page: every value as the text an input shows. */
  function specState(spec) {
    var kinds = schema().kinds;
    var state = {name: spec.name || "", input: ["", "", ""], tf: false, layers: [], dropped: []};
    (spec.input || []).forEach(function (n, i) { state.input[i] = valueText(n); });
    (spec.layers || []).forEach(function (entry) {
      var kind = typeof entry === "string" ? entry : Object.keys(entry)[0];
      kind = schema().aliases[kind] || kind;
      if (!has(kinds, kind)) {
        state.dropped.push(kind);
        return;
      }
      var data = typeof entry === "string" ? {} : entry[Object.keys(entry)[0]] || {};
      var texts = {};
      Object.keys(data).forEach(function (k) { texts[k] = valueText(data[k]); });
      state.layers.push({kind: kind, texts: texts});
    });
    return state;
  }

  /** The state as a spec (YAML data), fields left empty omitted. */
  function stateSpec(state) {
    var netFields = {};
    schema().network.fields.forEach(function (f) { netFields[f.name] = f; });
    var spec = {};
    var name = textValue(state.name, "TEXT");
    if (name !== MISSING) spec.name = name;
    var dimsIn = state.input.map(function (t) { return textValue(t, "COUNT"); });
    spec.input = dimsIn.every(function (v) { return v === MISSING; }) ? MISSING
      : dimsIn.map(function (v) { return v === MISSING ? null : v; });
    if (spec.input === MISSING) delete spec.input;
    spec.layers = state.layers.map(function (layer) {
      var fields = schema().kinds[layer.kind].fields, data = {};
      fields.forEach(function (f) {
        if (!has(layer.texts, f.name)) return;
        var v = textValue(layer.texts[f.name], f.type);
        if (v !== MISSING) data[f.name] = v;
      });
      if (!Object.keys(data).length) return layer.kind;
      var entry = {};
      entry[layer.kind] = data;
      return entry;
    });
    return spec;
  }

  // ---- the calculator on the page

  function Calculator(root) {
    this.root = root;
    this.uid = 0;
    this.written = null;   // the fragment this page last wrote
    this.stats = {cards: 0, rows: 0, tables: 0};  // cards and table rows built, full tables
    this.state = decodeState(location.hash) || decodeState(DEFAULT_HASH);
    this.build();
    this.load(this.state);
    var self = this;
    window.addEventListener("hashchange", function () {
      if (location.hash.replace(/^#/, "") === self.written) return;
      clearTimeout(self.hashTimer);  // the reader's new address wins over a pending write
      var state = decodeState(location.hash);
      if (state) self.load(state);
    });
    window.addEventListener("pagehide", function () {
      if (self.hashTimer) self.writeHash(true);
    });
  }

  Calculator.prototype.id = function (suffix) {
    return "atlas-calc-" + suffix;
  };

  Calculator.prototype.build = function () {
    var self = this, data = schema();
    var root = this.root;
    root.textContent = "";
    root.classList.add("atlas-calc--ready");

    this.nameInput = el("input", {type: "text", id: this.id("name"), autocomplete: "off", spellcheck: "false",
      "aria-describedby": this.id("net-error")});
    this.inputs = ["C", "H", "W"].map(function (d, i) {
      return el("input", {type: "text", inputmode: "numeric", id: self.id("in-" + d.toLowerCase()), size: "4",
        autocomplete: "off", "aria-describedby": self.id("net-error"),
        title: ["channels", "height", "width"][i]});
    });
    this.tfBox = el("input", {type: "checkbox", id: this.id("tf"), autocomplete: "off"});
    this.netSelect = el("select", {id: this.id("net"), autocomplete: "off"}, data.networks.map(function (n) {
      return el("option", {value: n.id, text: n.name + " (" + n.id + ")"});
    }).concat([el("option", {value: "", text: "an empty network"})]));
    var loadButton = el("button", {type: "button", className: "atlas-calc__button", text: "Load"});
    this.netError = el("p", {className: "atlas-calc__error atlas-calc__net-error", id: this.id("net-error"),
      "aria-live": "polite"});

    var setup = el("div", {className: "atlas-calc__setup"}, [
      el("div", {className: "atlas-calc__line"}, [
        el("label", {className: "atlas-calc__field atlas-calc__field--wide", "for": this.id("name")},
          [el("span", {text: "Network name"}), this.nameInput]),
      ]),
      el("fieldset", {className: "atlas-calc__input"}, [
        el("legend", {text: "Input shape (channels × height × width)"}),
      ].concat(this.inputs.map(function (input, i) {
        return el("label", {className: "atlas-calc__field", "for": input.id},
          [el("span", {text: ["C", "H", "W"][i]}), input]);
      }))),
      el("div", {className: "atlas-calc__line"}, [
        el("label", {"for": this.id("net"), text: "Start from "}), this.netSelect, loadButton,
      ]),
      el("div", {className: "atlas-calc__line"}, [
        el("label", {className: "atlas-calc__check", "for": this.id("tf")}, [
          this.tfBox, " Compare with TensorFlow / Keras",
        ]),
      ]),
      this.netError,
    ]);

    this.list = el("ol", {className: "atlas-calc__layers", id: this.id("layers"), "aria-label": "Layers"});
    this.kindSelect = el("select", {id: this.id("kind"), autocomplete: "off"}, kindOrder().map(function (kind) {
      return el("option", {value: kind, text: kind});
    }));
    var addButton = el("button", {type: "button", className: "atlas-calc__button", text: "Add layer",
      id: this.id("add")});
    var add = el("div", {className: "atlas-calc__line atlas-calc__add"}, [
      el("label", {"for": this.id("kind"), text: "New layer "}), this.kindSelect, addButton,
    ]);

    this.status = el("p", {className: "atlas-calc__status", id: this.id("status"), "aria-live": "polite"});
    this.table = el("table", {className: "atlas-calc__table", id: this.id("table")});
    var wrap = el("div", {className: "atlas-calc__scroll", tabindex: "0", role: "region",
      "aria-label": "Layer table"}, [this.table]);

    this.copyLink = el("button", {type: "button", className: "atlas-calc__button", text: "Copy link",
      id: this.id("copy-link")});
    this.exportButton = el("button", {type: "button", className: "atlas-calc__button", text: "Export YAML",
      id: this.id("export"), "aria-expanded": "false", "aria-controls": this.id("yaml-panel")});
    this.shareNote = el("span", {className: "atlas-calc__note", "aria-live": "polite"});
    this.yaml = el("pre", {className: "atlas-calc__yaml", id: this.id("yaml")});
    this.download = el("a", {className: "atlas-calc__button", download: "network.yaml", text: "Download"});
    this.copyYaml = el("button", {type: "button", className: "atlas-calc__button", text: "Copy YAML"});
    this.yamlPanel = el("div", {className: "atlas-calc__panel", id: this.id("yaml-panel"), hidden: true}, [
      el("p", {}, ["Save it as a ", el("code", {text: ".yaml"}), " file: ",
        el("code", {text: "python -m generator table network.yaml"}), " prints the same table."]),
      this.yaml, el("div", {className: "atlas-calc__line"}, [this.download, this.copyYaml]),
    ]);
    var share = el("div", {className: "atlas-calc__line atlas-calc__share"}, [
      this.copyLink, this.exportButton, this.shareNote,
    ]);

    root.appendChild(setup);
    root.appendChild(el("h2", {className: "atlas-calc__heading", id: this.id("layers-heading"), text: "Layers"}));
    root.appendChild(this.list);
    this.room = root.appendChild(el("div", {className: "atlas-calc__room", "aria-hidden": "true"}));
    root.appendChild(add);
    root.appendChild(el("h2", {className: "atlas-calc__heading", id: this.id("table-heading"), text: "Table"}));
    root.appendChild(this.status);
    root.appendChild(wrap);
    root.appendChild(share);
    root.appendChild(this.yamlPanel);

    this.nameInput.addEventListener("input", function () {
      self.state.name = self.nameInput.value;
      self.update();
    });
    this.inputs.forEach(function (input, i) {
      input.addEventListener("input", function () {
        self.state.input[i] = input.value;
        self.update();
      });
    });
    this.tfBox.addEventListener("change", function () {
      self.state.tf = self.tfBox.checked;
      self.update();
    });
    loadButton.addEventListener("click", function () {
      var id = self.netSelect.value;
      var net = data.networks.filter(function (n) { return n.id === id; })[0];
      var state = net ? specState(net) : {name: "My network", input: self.state.input.slice(), layers: []};
      state.tf = self.state.tf;
      self.load(state);
      self.say(net ? "Loaded " + net.name + "." : "Removed every layer.");
    });
    addButton.addEventListener("click", function () {
      var kind = self.kindSelect.value;
      if (self.state.layers.length > limits().max_layers) {
        self.say("A spec has at most " + countText(limits().max_layers) + " layers.");
        return;
      }
      self.state.layers.push({kind: kind, texts: Object.assign({}, STARTERS[kind] || {})});
      self.renderLayers();
      self.update();
      self.focusLayer(self.state.layers.length - 1, "select");
    });
    this.list.addEventListener("input", function (event) { self.onFieldInput(event); });
    this.list.addEventListener("change", function (event) { self.onFieldChange(event); });
    this.list.addEventListener("click", function (event) { self.onClick(event); });
    this.list.addEventListener("keydown", function (event) { self.onKey(event); });
    this.list.addEventListener("focusin", function (event) { fillKinds(event.target); });
    this.list.addEventListener("mousedown", function (event) { fillKinds(event.target); });
    this.copyLink.addEventListener("click", function () {
      self.writeHash(true);
      self.copy(location.href, "Link copied.");
    });
    this.exportButton.addEventListener("click", function () {
      var open = self.yamlPanel.hidden;
      self.yamlPanel.hidden = !open;
      self.exportButton.setAttribute("aria-expanded", String(open));
      self.update();
    });
    this.copyYaml.addEventListener("click", function () {
      self.copy(self.yaml.textContent, "YAML copied.");
    });
  };

  Calculator.prototype.say = function (text) {
    this.shareNote.textContent = text;
  };

  Calculator.prototype.copy = function (text, done) {
    var self = this;
    var fallback = function () {
      var area = el("textarea", {className: "atlas-calc__sr", readonly: true});
      area.value = text;
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      self.say(ok ? done : "Copy it from the address bar.");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { self.say(done); }, fallback);
    } else {
      fallback();
    }
  };

  Calculator.prototype.load = function (state) {
    this.state = state;
    this.renderLayers();
    this.update();
    var notes = [];
    if (state.dropped && state.dropped.length) {
      notes.push("Left out layers the calculator does not know: " + state.dropped.join(", ") + ".");
    }
    if (state.cut) {
      notes.push("Left out the last " + countText(state.cut) + " layers: a spec has at most " +
        countText(limits().max_layers) + ".");
    }
    if (notes.length) this.say(notes.join(" "));
  };

  //: Cards built at once when layers are shown; the rest follow in batches of CARD_BATCH,
  //: one batch per task after the first paint, so the page never waits on thousands.
  var FIRST_CARDS = 40;
  var CARD_BATCH = 100;

  /**
   * Show the state's layers as cards (after a load, an addition, a move or a removal).
   * A layer keeps its card: only the cards of new layers are built, and a card that
   * moved gets its new number, so a change to one layer of thousands costs one card.
   * A new layer's card is a stub until built: the first FIRST_CARDS at once, the others
   * in later tasks (buildCards), and any one at once where it is needed (ensureCard).
   */
  Calculator.prototype.renderLayers = function () {
    var self = this, list = this.list;
    this.nameInput.value = this.state.name;
    this.inputs.forEach(function (input, i) { input.value = self.state.input[i]; });
    this.tfBox.checked = !!this.state.tf;
    this.flushCards();
    var old = new Map();
    (this.cards || []).forEach(function (card) { old.set(card.layer, card); });
    this.cards = this.state.layers.map(function (layer, i) {
      var card = old.get(layer);
      if (card) old["delete"](layer);
      else card = {layer: layer, node: null, index: -1, shown: {}};
      if (card.node) self.number(card, i);
      else card.index = i;
      return card;
    });
    old.forEach(function (card) { if (card.node) list.removeChild(card.node); });
    var at = list.firstChild;
    this.cards.forEach(function (card) {
      if (!card.node) return;
      if (card.node === at) at = at.nextSibling;
      else list.insertBefore(card.node, at);
    });
    for (var i = 0; i < Math.min(FIRST_CARDS, this.cards.length); i++) this.ensureCard(i);
    this.reserve();
    this.nextCard = 0;
    this.scheduleCards();
  };

  /**
   * Build the card at position i now if it is still a stub, in its place in the list, or
   * (``held``) at the end of the run of cards held out of the page until flushCards.
   */
  Calculator.prototype.ensureCard = function (i, held) {
    var stub = this.cards[i];
    if (!stub || stub.node) return stub;
    if (!held) this.flushCards();
    var card = this.card(stub.layer);
    this.cards[i] = card;
    this.number(card, i);
    if (held) {
      if (!this.held) {
        this.held = document.createDocumentFragment();
        this.heldFrom = i;
      }
      this.held.appendChild(card.node);
    } else {
      this.list.insertBefore(card.node, this.after(i));
    }
    if (this.last) show(card, this.cardView(i));
    return card;
  };

  /** The node a card at position i goes before: the next sibling of the nearest card before it. */
  Calculator.prototype.after = function (i) {
    var prev = null;  // usually the card at i - 1: cards are built in order
    for (var j = i - 1; j >= 0 && !prev; j--) prev = this.cards[j].node;
    return prev ? prev.nextSibling : this.list.firstChild;
  };

  /**
   * Put the held cards in the page, in one insertion. Chromium re-reads every form control
   * of a page after controls are added (a cost in proportion to all of them), so batches
   * are held and added when they are as many as the cards shown: a few insertions in all.
   */
  Calculator.prototype.flushCards = function () {
    if (!this.held) return;
    var held = this.held;
    this.held = null;
    this.list.insertBefore(held, this.after(this.heldFrom));
    this.reserve();
  };

  /** Keep room below the cards shown for the cards still to come (the stylesheet's
   *  --atlas-calc-waiting), so that what follows the list does not move up and back. */
  Calculator.prototype.reserve = function () {
    var waiting = this.cards.length - this.list.childNodes.length;
    this.room.style.setProperty("--atlas-calc-waiting", String(Math.max(waiting, 0)));
  };

  /**
   * Build the next CARD_BATCH stubs in a later task, until every card is built; the first
   * batch after a render waits for the next frame, so that the render is painted first.
   */
  Calculator.prototype.scheduleCards = function (painted) {
    var self = this;
    if (this.cardTimer) return;
    var run = function () {
      self.cardTimer = setTimeout(function () {
        self.cardTimer = null;
        self.buildCards();
      }, 0);
    };
    if (painted || document.hidden || !window.requestAnimationFrame) {
      run();
    } else {
      this.cardTimer = -1;  // waiting for the frame
      requestAnimationFrame(run);
    }
  };

  Calculator.prototype.buildCards = function () {
    var cards = this.cards, built = 0;
    while (this.nextCard < cards.length && built < CARD_BATCH) {
      if (cards[this.nextCard].node) {
        this.flushCards();  // the held run ends at a card already in the page
      } else {
        this.ensureCard(this.nextCard, true);
        built++;
      }
      this.nextCard++;
    }
    if (this.nextCard >= cards.length || (this.held && this.held.childNodes.length >= this.list.childNodes.length)) {
      this.flushCards();
    }
    if (this.nextCard < cards.length) this.scheduleCards(true);
  };

  /** Give a card its position i (0-based): its number, data-index and labels. */
  Calculator.prototype.number = function (card, i) {
    if (card.index === i) return;
    var n = String(i + 1);
    card.index = i;
    card.node.setAttribute("data-index", String(i));
    card.numbers.forEach(function (text) { text.data = n; });
  };

  Calculator.prototype.card = function (layer) {
    var self = this, uid = ++this.uid;
    var kinds = schema().kinds;
    var prefix = this.id("l" + uid);
    this.stats.cards++;
    var numbers = [];  // the text nodes that hold the layer's number
    var number = function () {
      var text = document.createTextNode("");
      numbers.push(text);
      return text;
    };
    // Only the layer's own kind until the menu is first used (see fillKinds): thousands
    // of full menus would be most of the page.
    var kind = el("select", {id: prefix + "-kind", "data-role": "kind", autocomplete: "off"}, [
      el("option", {value: layer.kind, text: layer.kind})]);
    var title = el("span", {className: "atlas-calc__index", id: prefix + "-title"}, [
      el("span", {className: "atlas-calc__sr", text: "Layer "}), number(),
    ]);
    var summary = el("span", {className: "atlas-calc__summary"});
    var error = el("p", {className: "atlas-calc__error", id: prefix + "-error"});
    var tool = function (act, label, text) {
      // named by its hidden text, "Move up layer 3", which follows the layer's number
      return el("button", {type: "button", className: "atlas-calc__tool", "data-act": act,
        title: label + " (Alt+" + ({up: "↑", down: "↓", remove: "Delete"})[act] + ")"}, [
        el("span", {"aria-hidden": "true", text: text}),
        el("span", {className: "atlas-calc__sr"}, [label + " layer ", number()]),
      ]);
    };
    var inputs = {};
    var nameInput = el("input", {type: "text", id: prefix + "-name", "data-field": "name", autocomplete: "off",
      spellcheck: "false", placeholder: "name", size: "10", className: "atlas-calc__name",
      "aria-describedby": prefix + "-error"});
    nameInput.value = has(layer.texts, "name") ? layer.texts.name : "";
    inputs.name = nameInput;
    var fields = kinds[layer.kind].fields.filter(function (f) { return !f.hidden && f.name !== "name"; }).map(function (f) {
      var id = prefix + "-" + f.name;
      var input;
      if (f.type === "BOOL") {
        var text = has(layer.texts, f.name) ? layer.texts[f.name] : f["default"];
        input = el("input", {type: "checkbox", id: id, "data-field": f.name, checked: text === "true", autocomplete: "off",
          "aria-describedby": prefix + "-error"});
        inputs[f.name] = input;
        return el("label", {className: "atlas-calc__check", "for": id, title: f.doc}, [input, " " + f.name]);
      }
      input = el("input", {type: "text", id: id, "data-field": f.name, autocomplete: "off", spellcheck: "false",
        placeholder: f.name === "stride" && !f.required && f["default"] === "" ? "kernel" : f["default"],
        "aria-required": f.required ? "true" : null, "aria-describedby": prefix + "-error",
        list: f.type === "CONV_PAD" ? self.id("paddings") : null,
        inputmode: f.type === "TEXT" || f.type === "CONV_PAD" ? null : "decimal",
        size: f.type === "TEXT" ? "10" : "5"});
      input.value = has(layer.texts, f.name) ? layer.texts[f.name] : "";
      inputs[f.name] = input;
      return el("label", {className: "atlas-calc__field", "for": id, title: f.doc},
        [el("span", {text: f.name + (f.required ? " *" : "")}), input]);
    });
    if (!document.getElementById(this.id("paddings"))) {
      this.root.appendChild(el("datalist", {id: this.id("paddings")}, [
        el("option", {value: "same"}), el("option", {value: "valid"})]));
    }
    var node = el("li", {className: "atlas-calc__layer", role: "group", "aria-labelledby": prefix + "-title"}, [
      el("div", {className: "atlas-calc__head"}, [
        title,
        el("label", {className: "atlas-calc__sr", "for": kind.id}, ["Layer ", number(), " type"]),
        kind,
        el("label", {className: "atlas-calc__sr", "for": nameInput.id}, ["Layer ", number(), " name (optional)"]),
        nameInput,
        summary,
        el("span", {className: "atlas-calc__tools"}, [
          tool("up", "Move up", "↑"), tool("down", "Move down", "↓"), tool("remove", "Remove", "✕"),
        ]),
      ]),
      fields.length ? el("div", {className: "atlas-calc__fields"}, fields) : null,
      error,
    ]);
    // ``shown``: what the card displays now, so that update() writes only what changed.
    return {layer: layer, node: node, summary: summary, error: error, inputs: inputs, kind: kind,
      numbers: numbers, index: -1, shown: {}};
  };

  /** Give a layer's kind menu every kind, the first time it takes the focus or a click. */
  function fillKinds(select) {
    if (select.getAttribute("data-role") !== "kind" || select.getAttribute("data-full")) return;
    var value = select.value;
    select.textContent = "";
    kindOrder().forEach(function (k) { select.appendChild(el("option", {value: k, text: k})); });
    select.value = value;
    select.setAttribute("data-full", "1");
  }

  Calculator.prototype.indexOf = function (node) {
    var li = node.closest("li.atlas-calc__layer");
    return li ? Number(li.getAttribute("data-index")) : -1;
  };

  Calculator.prototype.onFieldInput = function (event) {
    var field = event.target.getAttribute("data-field");
    if (!field || event.target.type === "checkbox") return;
    var layer = this.state.layers[this.indexOf(event.target)];
    layer.texts[field] = event.target.value;
    this.update();
  };

  Calculator.prototype.onFieldChange = function (event) {
    var target = event.target, i = this.indexOf(target);
    if (i < 0) return;
    var layer = this.state.layers[i];
    if (target.type === "checkbox") {
      var field = target.getAttribute("data-field");
      var f = schema().kinds[layer.kind].fields.filter(function (x) { return x.name === field; })[0];
      var text = target.checked ? "true" : "false";
      if (text === f["default"]) delete layer.texts[field];
      else layer.texts[field] = text;
      this.update();
    } else if (target.getAttribute("data-role") === "kind") {
      var kind = target.value, names = schema().kinds[kind].fields.map(function (x) { return x.name; });
      var texts = Object.assign({}, STARTERS[kind] || {});
      KEEP_ON_KIND_CHANGE.forEach(function (k) {
        if (has(layer.texts, k) && names.indexOf(k) >= 0 && layer.texts[k] !== "") texts[k] = layer.texts[k];
      });
      this.state.layers[i] = {kind: kind, texts: texts};
      this.renderLayers();
      this.update();
      this.focusLayer(i, "select");
    }
  };

  Calculator.prototype.onClick = function (event) {
    var button = event.target.closest("button[data-act]");
    if (button) this.act(button.getAttribute("data-act"), this.indexOf(button), "button[data-act=" + button.getAttribute("data-act") + "]");
  };

  Calculator.prototype.onKey = function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    var act = {ArrowUp: "up", ArrowDown: "down", Delete: "remove"}[event.key];
    var i = this.indexOf(event.target);
    if (!act || i < 0) return;
    event.preventDefault();
    var focus = event.target.id ? "#" + event.target.id.replace(/^atlas-calc-l\d+-/, "") : null;
    this.act(act, i, focus);
  };

  /** Move layer i up or down, or remove it; keep the keyboard focus with it. */
  Calculator.prototype.act = function (act, i, focus) {
    var layers = this.state.layers;
    if (i < 0) return;
    if (act === "remove") {
      var gone = layers.splice(i, 1)[0];
      this.renderLayers();
      this.update();
      this.say("Removed layer " + (i + 1) + " (" + gone.kind + ").");
      if (layers.length) this.focusLayer(Math.min(i, layers.length - 1), "select");
      else document.getElementById(this.id("kind")).focus();
      return;
    }
    var j = act === "up" ? i - 1 : i + 1;
    if (j < 0 || j >= layers.length) return;
    layers.splice(j, 0, layers.splice(i, 1)[0]);
    this.renderLayers();
    this.update();
    this.say("Moved layer " + (i + 1) + " to position " + (j + 1) + ".");
    this.focusLayer(j, focus);
  };

  Calculator.prototype.focusLayer = function (i, what) {
    var card = this.ensureCard(i);
    if (!card) return;
    var target = null;
    if (what && what.charAt(0) === "#") {
      var field = what.slice(1);
      target = field === "kind" ? card.kind : card.inputs[field];
    } else if (what && what !== "select") {
      target = card.node.querySelector(what);
    }
    (target || card.kind).focus();
  };

  /** Recompute, then refresh the summaries, the table, the YAML and the URL. */
  Calculator.prototype.update = function () {
    var self = this;
    var spec = stateSpec(this.state);
    var torch = compute(spec);
    var tf = this.state.tf ? compute(spec, {convention: "tf"}) : null;
    this.last = {spec: spec, torch: torch, tf: tf};

    // spec-wide errors, next to the name and input
    this.netError.textContent = torch.errors.join("; ");
    var badName = torch.errors.some(function (e) { return /^(missing field 'name'|name )/.test(e); });
    var badInput = torch.errors.some(function (e) { return /^(missing field 'input'|input )/.test(e); });
    this.nameInput.setAttribute("aria-invalid", String(badName));
    this.inputs.forEach(function (input) { input.setAttribute("aria-invalid", String(badInput)); });

    torch.layers.forEach(function (row, i) {
      var card = self.cards[i];
      if (card && card.node) show(card, self.cardView(i));  // a stub is shown when built
    });
    this.renderTable(torch, tf);

    var errors = torch.layers.filter(function (r) { return r.status === "error"; }).length + torch.errors.length;
    if (errors) {
      this.status.textContent = errors + (errors === 1 ? " problem" : " problems") +
        ": the rows after a layer in error wait for it to be fixed.";
    } else if (torch.totals) {
      var last = torch.layers[torch.layers.length - 1];
      this.status.textContent = torch.layers.length + " layers · output " + shapeText(last.output_shape) + " · " +
        countText(torch.totals.params) + " parameters · " + siText(torch.totals.macs) + " MACs";
    } else {
      this.status.textContent = "";
    }

    if (!this.yamlPanel.hidden) this.showYAML(spec);
    this.writeHash();
  };

  /** What the card of layer i shows after the last update: summary, error, marked field. */
  Calculator.prototype.cardView = function (i) {
    var row = this.last.torch.layers[i], t = this.last.tf && this.last.tf.layers[i];
    if (!row) return {};
    return {
      summary: summaryText(row, t),
      failed: row.status === "error",
      error: row.status === "error" ? row.error : t && t.status === "error" ? "TensorFlow: " + t.error : "",
      bad: row.status === "error" ? badField(row.error) : null,
    };
  };

  /** The export panel: the spec as YAML, and a download of it. */
  Calculator.prototype.showYAML = function (spec) {
    var yaml = toYAML(spec);
    this.yaml.textContent = yaml;
    this.download.setAttribute("href", "data:text/yaml;charset=utf-8," + encodeURIComponent(yaml));
    var file = (this.state.name || "network").toLowerCase().replace(/[^a-z0-9_.-]+/g, "-").replace(/^[-.]+|[-.]+$/g, "");
    this.download.setAttribute("download", (file || "network") + ".yaml");
  };

  //: How long the address waits for the reader to stop typing before it follows.
  var HASH_DELAY = 250;

  /**
   * Put the state in the address, HASH_DELAY ms after the last change (``now``: at
   * once). Writing it costs time in proportion to the page's form controls: Chromium
   * walks every one on each replaceState (and would save each one's state into the
   * history entry, hence autocomplete=off on every control: the state lives in the URL).
   */
  Calculator.prototype.writeHash = function (now) {
    var self = this;
    clearTimeout(this.hashTimer);
    this.hashTimer = null;
    if (!now) {
      this.hashTimer = setTimeout(function () { self.writeHash(true); }, HASH_DELAY);
      return;
    }
    var hash = encodeState(this.state);
    if (hash === location.hash.replace(/^#/, "")) return;
    this.written = hash;
    try {
      history.replaceState(history.state, "", "#" + hash);
    } catch (e) {
      location.replace("#" + hash);  // file:// in some browsers
    }
  };

  /** Bring a card's summary, error and marked field to ``now``, writing only what changed. */
  function show(card, now) {
    var was = card.shown;
    if (now.summary !== was.summary) card.summary.textContent = now.summary;
    if (now.failed !== was.failed) card.summary.classList.toggle("atlas-calc__summary--error", now.failed);
    if (now.error !== was.error) card.error.textContent = now.error;
    if (now.bad !== was.bad) {
      Object.keys(card.inputs).forEach(function (name) {
        card.inputs[name].setAttribute("aria-invalid", String(name === now.bad));
      });
    }
    card.shown = now;
  }

  function badField(message) {
    var m = /^missing field '([a-z_]+)'/.exec(message) || /^([a-z_]+) must be /.exec(message);
    return m ? m[1] : null;
  }

  function summaryText(row, tf) {
    var text;
    if (row.status === "ok") {
      text = "→ " + shapeText(row.output_shape);
      if (row.params) text += " · " + countText(row.params) + " params";
      if (row.macs) text += " · " + siText(row.macs) + " MACs";
    } else if (row.status === "error") {
      text = "error";
    } else {
      text = "waiting for layer " + row.after;
      if (row.after === -1) text = "waiting for a valid input";
    }
    if (tf && tf.status === "ok" && (row.status !== "ok" || shapeText(tf.output_shape) !== shapeText(row.output_shape))) {
      text += " (TensorFlow → " + shapeText(tf.output_shape) + ")";
    }
    return text;
  }

  /**
   * The table of ``torch`` (and ``tf``). Each row is first described as data; a row
   * whose description did not change keeps its element, so a keystroke rewrites the
   * rows it changed, not thousands (``stats`` counts tables and rows built).
   */
  Calculator.prototype.renderTable = function (torch, tf) {
    var self = this, table = this.table, layout = " (" + schema().shape_layout + ")";
    var heads = ["#", "Layer"].concat(tf ? ["PyTorch output" + layout, "TensorFlow output" + layout]
      : ["Output" + layout]).concat(["Params", "MACs", "RF", "Jump"]);
    var headKey = heads.join("\n");
    if (this.headKey !== headKey) {
      var numeric = {"#": 1, Params: 1, MACs: 1, RF: 1, Jump: 1};
      table.textContent = "";
      table.appendChild(el("thead", {}, [el("tr", {}, heads.map(function (h) {
        return el("th", {scope: "col", className: numeric[h] ? "atlas-calc__num" : null, text: h});
      }))]));
      this.body = table.appendChild(el("tbody"));
      this.foot = table.appendChild(el("tfoot"));
      this.rowKeys = [];
      this.footKey = null;
      this.headKey = headKey;
      this.stats.tables++;
    }
    var body = this.body, rows = body.rows, keys = this.rowKeys;
    torch.layers.forEach(function (row, i) {
      var cells = rowCells(row, tf && tf.layers[i], !!tf);
      var key = row.status + "\n" + JSON.stringify(cells);
      if (keys[i] === key) return;
      var tr = el("tr", {className: "atlas-calc__row--" + row.status}, cells.map(function (c) { return cellNode("td", c); }));
      if (i < rows.length) body.replaceChild(tr, rows[i]);
      else body.appendChild(tr);
      keys[i] = key;
      self.stats.rows++;
    });
    while (rows.length > torch.layers.length) body.removeChild(body.lastChild);
    keys.length = torch.layers.length;

    var foot = footCells(torch, tf), footKey = JSON.stringify(foot);
    if (footKey !== this.footKey) {
      this.foot.textContent = "";
      this.foot.appendChild(el("tr", {}, foot.map(function (c) { return cellNode(c.th ? "th" : "td", c); })));
      this.footKey = footKey;
    }
  };

  var DASH = "—";

  /**
   * A cell as data: {c: class or null, p: parts, ...attributes}; a part is a string
   * or a span {c: class, t: text}. Every text is set as text, never parsed as HTML.
   */
  function cellNode(tag, cell) {
    var attrs = {className: cell.c || null, scope: cell.scope || null, colspan: cell.colspan || null};
    return el(tag, attrs, (cell.p || []).map(function (part) {
      return typeof part === "string" ? part : el("span", {className: part.c, text: part.t});
    }));
  }

  /** The cells of one layer's row. */
  function rowCells(row, t, withTf) {
    var label = row.name ? row.name + " (" + (row.type || "?") + ")" : row.type || "?";
    var details = row.status === "ok" && row.details ? row.details : t && t.status === "ok" ? t.details : "";
    var cells = [
      {c: "atlas-calc__num", p: [row.index]},
      {c: null, p: details ? [label, {c: "atlas-calc__details", t: details}] : [label]},
      outputCell(row),
    ];
    if (withTf) {
      var cell = outputCell(t);
      if (t.status === "ok" && row.status === "ok" && shapeText(t.output_shape) === shapeText(row.output_shape)) {
        cell = {c: "atlas-calc__same", p: ["same"]};
      } else if (t.status !== "skipped") {
        cell.c = (cell.c ? cell.c + " " : "") + "atlas-calc__differs";
      }
      cells.push(cell);
    }
    ["params", "macs"].forEach(function (key) {
      cells.push(numberCell(row.status === "ok" ? row[key] : null, t && t.status === "ok" ? t[key] : null, withTf));
    });
    var rf = row.status === "ok" && row.receptive_field;
    cells.push({c: "atlas-calc__num", p: [rf ? hwText(rf.size) : DASH]});
    cells.push({c: "atlas-calc__num", p: [rf ? hwText(rf.jump) : DASH]});
    return cells;
  }

  /** The cells of the totals row. */
  function footCells(torch, tf) {
    var totals = torch.totals, tt = tf && tf.totals;
    var lastOut = function (r) {
      var rows = r ? r.layers : [];
      return r && r.totals && rows.length ? shapeText(rows[rows.length - 1].output_shape) : DASH;
    };
    var foot = [{th: true, scope: "row", colspan: "2", p: ["Total"]}, {p: [lastOut(torch)]}];
    if (tf) foot.push({p: [lastOut(tf) === lastOut(torch) && tt && totals ? "same" : lastOut(tf)]});
    foot.push(numberCell(totals ? totals.params : null, tt ? tt.params : null, !!tf));
    foot.push(numberCell(totals ? totals.macs : null, tt ? tt.macs : null, !!tf, true));
    foot.push({colspan: "2"});
    return foot;
  }

  function outputCell(row) {
    if (row.status === "ok") return {c: null, p: [shapeText(row.output_shape)]};
    if (row.status === "error") {
      return {c: "atlas-calc__error-cell", p: [{c: "atlas-calc__sr", t: "Error: "}, row.error]};
    }
    return {c: "atlas-calc__skipped", p: [row.after === -1 ? "— (input)" : "— (after layer " + row.after + ")"]};
  }

  function numberCell(value, tfValue, withTf, si) {
    var parts = [value === null ? DASH : countText(value)];
    if (si && value !== null && value >= 1000) parts.push({c: "atlas-calc__si", t: " (" + siText(value) + ")"});
    if (withTf && tfValue !== null && tfValue !== value && (value !== null || tfValue !== 0)) {
      parts.push({c: "atlas-calc__tf", t: "TF: " + countText(tfValue)});
    }
    return {c: "atlas-calc__num", p: parts};
  }

  function start() {
    var root = document.getElementById("atlas-calc");
    if (!root || root.getAttribute("data-ready")) return;
    root.setAttribute("data-ready", "1");
    try {
      api.page = new Calculator(root);
    } catch (e) {
      root.textContent = "The calculator could not start: " + e.message;
      throw e;
    }
  }

  var api = {
    compute: compute,
    toYAML: toYAML,
    textValue: textValue,
    valueText: valueText,
    specState: specState,
    stateSpec: stateSpec,
    encodeState: encodeState,
    decodeState: decodeState,
    PyFloat: PyFloat,
    MISSING: MISSING,
    _internal: {floatRepr: floatRepr, formatG: formatG, strRepr: strRepr, found: found,
      FIRST_CARDS: FIRST_CARDS, CARD_BATCH: CARD_BATCH},
  };
  window.AtlasCalc = api;

  if (typeof document === "undefined") return;
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);  // Material: runs on every page view
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
