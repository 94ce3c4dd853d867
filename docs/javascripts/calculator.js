// ConvNet Atlas shape calculator: plain JavaScript, no framework, no network.
//
// One formula, two languages. Sizes, counts, receptive fields and their messages come
// from the site's one JavaScript core, formulas.js (window.AtlasFormulas); this file
// restates the rest of the Python, line for line:
//   generator/specs/fields.py, parse.py, graph.py   (the spec format: field checks,
//                                 blocks, graphs, repeats, with the same messages)
//   generator/tables/table.py    (rows, blocks, merges, totals)
// and tests/browser/test_calculator.py checks a few hundred random networks, graphs
// included, and every built-in against the Python. Field types, expected-value texts
// and the built-in networks come from the generator as window.ATLAS_CALC
// (calculator/data.js); YAML is read by js-yaml (docs/vendor, from the npm registry).
//
// window.AtlasCalc.compute(spec, {convention: "torch" | "tf"}) takes a plain sequence
// of layers as the YAML data of a spec file ({name, input, layers: [{conv: {...}},
// "relu", ...]}) and reports every row; AtlasCalc.table(spec) takes any spec (blocks,
// graphs, repeats) and gives generator.tables.formats.table_dict's rows, or the one
// line of the first error, as Python does; AtlasCalc.read(text) reads YAML text.
(function () {
  "use strict";

  var F = window.AtlasFormulas;

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

  var formatG = F.formatG, strRepr = F.strRepr, escapeCode = F.escapeCode, mapCodePoints = F.mapCodePoints;

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

  function choice(type) {
    return function (v) {
      var options = schema().types[type].choices;
      if (typeof v === "string" && options.indexOf(v) >= 0) return v;
      throw new Mismatch();
    };
  }
  var IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,59}$/;
  var FIGURE = /^([0-9]+(?:\.[0-9]+)?) *([KMG])$/;

  var CONVERT = {
    COUNT: positive,
    INDEX: nonNegative,
    SIZE: pairOf(positive),
    PAD: pairOf(nonNegative),
    CONV_PAD: function (v) {
      return v === "same" || v === "valid" ? v : pairOf(nonNegative)(v);
    },
    PAD4: function (v) {  // fields._pad4: [left, right, top, bottom]
      if (Array.isArray(v) && v.length === 4) return v.map(nonNegative);
      var hw = pairOf(nonNegative)(v);
      return [hw[1], hw[1], hw[0], hw[0]];
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
      if (isNumber(v) && num(v) > 0 && Number.isFinite(num(v))) return num(v);
      throw new Mismatch();
    },
    TEXT: function (v) {  // fields._line
      var text = typeof v === "string" && !badInLine().test(v) ? v.replace(PY_STRIP, "") : "";
      if (text) return text;
      throw new Mismatch();
    },
    DESCRIPTION: function (v) {  // fields._description
      var text = typeof v === "string" && !new RegExp(schema().not_in_text, "u").test(v) ? v.replace(PY_STRIP, "") : "";
      if (text) return text;
      throw new Mismatch();
    },
    URL: function (v) {  // fields._url: an absolute http(s) address with a host
      if (typeof v !== "string" || badInLine().test(v)) throw new Mismatch();
      var m = /^(https?):\/\/([^\/?#]*)/i.exec(v);
      var host = m ? m[2].replace(/^.*@/, "").replace(/:\d*$/, "") : "";
      if (m && host && !/\s/.test(m[2])) return v;
      throw new Mismatch();
    },
    ID: function (v) {
      if (typeof v === "string" && IDENTIFIER.test(v)) return v;
      throw new Mismatch();
    },
    SHAPE: function (v) {
      if (Array.isArray(v) && (v.length === 1 || v.length === 3)) return v.map(positive);
      throw new Mismatch();
    },
    PUBLISHED_COUNT: function (v) {
      if (isInt(v) && v >= 0) return v;
      if (typeof v === "string" && FIGURE.test(v.replace(PY_STRIP, ""))) return v.replace(PY_STRIP, "");
      throw new Mismatch();
    },
    ACTIVATION: choice("ACTIVATION"),
    UPSAMPLE_MODE: choice("UPSAMPLE_MODE"),
    POOL_MODE: choice("POOL_MODE"),
    APPROXIMATE: choice("APPROXIMATE"),
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
  /** The kinds a layer's card offers: a plain sequence has no blocks and no merges. */
  function cardKinds() {
    var kinds = schema().kinds;
    return kindOrder().filter(function (k) { return !kinds[k].composite && !kinds[k].merge; });
  }

  /** schema._lower: the first sentence of a field's doc, lower-cased. */
  function lowerDoc(doc) {
    var first = doc.split(". ")[0].replace(/\.+$/, "");
    return first.slice(0, 1).toLowerCase() + first.slice(1);
  }

  function has(obj, key) {
    return Object.prototype.hasOwnProperty.call(obj, key);
  }

  /** parse._quoted: a key or kind as a message quotes it (repr, cut after 60 characters). */
  function quoted(v) {
    if (typeof v !== "string") return "'" + String(v) + "'";
    var cps = Array.from(v);
    return cps.length <= 60 ? strRepr(v) : strRepr(cps.slice(0, 60).join("")) + "…";
  }

  /**
   * difflib.get_close_matches(word, possibilities, n=1): the closest possibility with a
   * SequenceMatcher ratio of at least 0.6 (ties: the larger string), or null.
   */
  function closeMatch(word, possibilities) {
    var b = Array.from(word).slice(0, 100), best = null, bestScore = -1;
    possibilities.forEach(function (x) {
      var a = Array.from(x);
      var matched = (function blocks(alo, ahi, blo, bhi) {  // the sizes of the matching blocks
        var besti = alo, bestj = blo, size = 0, lens = {};
        for (var i = alo; i < ahi; i++) {
          var next = {};
          for (var j = blo; j < bhi; j++) {
            if (b[j] !== a[i]) continue;
            var k = (lens[j - 1] || 0) + 1;
            next[j] = k;
            if (k > size) { besti = i - k + 1; bestj = j - k + 1; size = k; }
          }
          lens = next;
        }
        if (!size) return 0;
        return size + blocks(alo, besti, blo, bestj) + blocks(besti + size, ahi, bestj + size, bhi);
      })(0, a.length, 0, b.length);
      var score = a.length + b.length ? 2 * matched / (a.length + b.length) : 1;
      if (score >= 0.6 && (score > bestScore || (score === bestScore && x > best))) {
        best = x;
        bestScore = score;
      }
    });
    return best;
  }

  /**
   * _Parser.values: check ``data`` against ``fields``; converted values, or a SpecError.
   * ``nested(field, raw)`` parses the fields that hold layers, names or parameters.
   */
  function checkValues(fields, data, where, what, nested) {
    var known = fields.map(function (f) { return f.name; });
    Object.keys(data).forEach(function (key) {
      if (known.indexOf(key) < 0) {
        var hint = closeMatch(key, known);
        throw new SpecError(where, "unknown field " + quoted(key) + " (" + (hint ? "did you mean '" + hint + "'? " : "") +
          what + " takes: " + known.join(", ") + ")");
      }
    });
    var out = {};
    fields.forEach(function (f) {
      if (!has(data, f.name) || data[f.name] === MISSING) {
        if (f.required) throw new SpecError(where, "missing field '" + f.name + "' (" + lowerDoc(f.doc) + ")");
        return;
      }
      var convert = CONVERT[f.type];
      if (!convert) {  // layers, names, parameters: the graph parser's
        if (nested) out[f.name] = nested(f, data[f.name]);
        return;
      }
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

  /** ``values`` with every field it left out at its default. */
  function withDefaults(fields, values) {
    fields.forEach(function (f) {
      if (!has(values, f.name) && !f.required) values[f.name] = defaultValue(f);
    });
    return values;
  }

  /** layers.label: " 'conv1' (conv)", to follow a layer's index in a location. */
  function label(name, kind) {
    return (name ? " " + strRepr(name) : "") + (kind ? " (" + kind + ")" : "");
  }

  /** True when the layer combines several inputs (Layer.merges). */
  function merges(layer) {
    if (layer.kind === "concat") return !layer.v.branches.length;
    if (layer.kind === "crop") return layer.v.size === null;
    return schema().kinds[layer.kind].merge;
  }

  /** _Parser.check: checks between the fields of one layer. */
  function checkLayer(layer) {
    var v = layer.v, kind = layer.kind, n = (v.inputs || []).length, fail = function (message) {
      throw new SpecError(layer.where, message);
    };
    if ((kind === "conv" || kind === "conv_transpose") && v.out % v.groups) {
      fail("out " + v.out + " is not divisible by groups " + v.groups);
    }
    if (kind === "crop" && merges(layer) && n !== 2) {
      fail("give size, or two inputs (the map to crop and the layer whose height and width it takes), found " + n);
    }
    if (merges(layer) && n < 2) {
      fail("inputs: " + kind + " needs at least two inputs" + (kind === "concat" ? " (or branches)" : "") + ", found " + n);
    }
    if (!merges(layer) && n > 1) {
      fail("inputs: " + kind + " takes one input, found " + n + " (only add, multiply and concat combine several)");
    }
    if (kind === "upsample" && (v.scale === null) === (v.size === null)) fail("give one of scale and size");
    if (kind === "repeat" && v.times && v.each.length && v.times !== v.each.length) {
      fail("times is " + v.times + " but each has " + v.each.length + " entries");
    }
  }

  /**
   * _Parser.layer's first steps: the kind and the fields of ``entry`` at ``here``
   * ("layer 3"), among ``known`` kinds -> {kind, data, where}, or a SpecError.
   */
  function layerEntry(entry, here, known, knownText) {
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
    var written = Object.keys(entry)[0];
    var data = entry[written];
    var kind = has(schema().aliases, written) ? schema().aliases[written] : written;
    if (known.indexOf(kind) < 0) throw new SpecError(here, knownText(written));
    var fields = kinds[kind].fields;
    if (data === null || data === undefined) data = {};
    if (!isMapping(data)) {
      var required = fields.filter(function (f) { return f.required; }).map(function (f) { return f.name + ": ..."; });
      throw new SpecError(here + label(null, kind), "the fields of a " + kind + " layer must be a mapping like '" +
        kind + ": {" + (required.join(", ") || "name: ...") + "}', found " + found(data));
    }
    var name = typeof data.name === "string" ? data.name : null;
    return {kind: kind, data: data, where: here + label(name, kind)};
  }

  /** A card's layer at position ``index`` (1-based): a plain sequence, one layer each. */
  function parseLayer(entry, index) {
    var known = cardKinds();
    var e = layerEntry(entry, "layer " + index, known, function (kind) {
      return "unknown layer type '" + kind + "' (the calculator knows: " + known.join(", ") + ")";
    });
    if (index > limits().max_layers) {  // a card's kind counts as one layer
      throw new SpecError(e.where, "more than " + countText(limits().max_layers) +
        " layers (blocks count the layers inside)");
    }
    var fields = schema().kinds[e.kind].fields;
    var layer = {kind: e.kind, where: e.where, index: index, v: withDefaults(fields, checkValues(fields, e.data, e.where, e.kind))};
    checkLayer(layer);
    return layer;
  }

  /** A field's default, converted (the generator sends it as JSON: pairs are lists). */
  function defaultValue(f) {
    return Array.isArray(f.value) ? f.value.slice() : f.value;
  }

  // ------------------------------------------------------------ table.py

  var ShapeError = F.ShapeError, shapeText = F.shapeText, hwText = F.hwText, LEAVES = F.LEAVES;

  // ------------------------------------------------------------ the full spec format (parse.py)

  /**
   * The parser of a whole spec: parse._Parser, step for step (blocks, graphs, repeats).
   * Layers come out as {kind, where, v: values with defaults, sources, instances}.
   */
  function Parser() {
    this.count = 0;     // towards limits.MAX_LAYERS
    this.blocks = {};   // name -> {params: [[name, default]], layers: YAML data}
    this.active = [];   // the blocks being instantiated, outermost first
  }

  Parser.prototype.values = function (fields, data, where, what) {
    var self = this;
    return checkValues(fields, data, where, what, function (f, raw) {
      switch (f.type) {
        case "LAYERS": return self.layers(raw, where, f.name);
        case "BRANCHES": return self.branches(raw, where);
        case "PUBLISHED": return self.published(raw, where);
        case "NAMES": return self.names(raw, where);
        case "PARAMS": return self.paramValues(raw, where, f.name);
        case "EACH":
          if (!Array.isArray(raw) || !raw.length) {
            throw new SpecError(where, "each must be " + f.expected + ", found " + found(raw));
          }
          return raw.map(function (v, i) { return self.paramValues(v, where, "each " + (i + 1)); });
        case "BLOCKS": return self.blockDefs(raw);
      }
      throw new Error("no reader for the field type " + f.type);
    });
  };

  Parser.prototype.layers = function (raw, where, path) {
    var self = this, nested = !!where;
    if (!Array.isArray(raw) || !raw.length) {
      throw new SpecError(where, (nested ? path : "layers") + " must be a non-empty list of layers, found " + found(raw));
    }
    var prefix = nested ? where + " > " + path + " " : "layer ";
    return this.link(raw.map(function (entry, i) { return self.layer(entry, prefix, i + 1); }));
  };

  Parser.prototype.branches = function (raw, where) {
    var self = this;
    if (!Array.isArray(raw) || raw.length < 2) {
      throw new SpecError(where, "branches must be " + schema().types.BRANCHES.expected + ", found " + found(raw));
    }
    return raw.map(function (branch, b) {
      if (!Array.isArray(branch) || !branch.length) {
        throw new SpecError(where, "branch " + (b + 1) + " must be a non-empty list of layers, found " + found(branch));
      }
      var prefix = where + " > branch " + (b + 1) + ", layer ";
      return self.link(branch.map(function (entry, i) { return self.layer(entry, prefix, i + 1); }));
    });
  };

  Parser.prototype.layer = function (entry, prefix, index) {
    var known = kindOrder().concat(Object.keys(schema().aliases));
    var e = layerEntry(entry, prefix + index, known, function (kind) {
      var hint = closeMatch(String(kind), known);
      return "unknown layer type " + quoted(kind) + " (" + (hint ? "did you mean '" + hint + "'? " : "") +
        "known types: " + known.join(", ") + ")";
    });
    var info = schema().kinds[e.kind];
    var v = withDefaults(info.fields, this.values(info.fields, e.data, e.where, e.kind));
    // a merge counts one layer more per input past the second (parse.py)
    this.count += info.counts_as + Math.max(0, v.inputs.length - 2);
    if (this.count > limits().max_layers) {
      throw new SpecError(e.where, "more than " + countText(limits().max_layers) + " layers (blocks count the layers inside)");
    }
    var layer = {kind: e.kind, where: e.where, v: v, sources: []};
    checkLayer(layer);
    if (e.kind === "repeat") this.instances(layer);
    return layer;
  };

  Parser.prototype.names = function (raw, where) {
    var items = Array.isArray(raw) ? raw : [raw];
    var bad = function () {
      return new SpecError(where, "inputs must be " + schema().types.NAMES.expected + ", found " + found(raw));
    };
    if (!items.length) throw bad();
    return items.map(function (v) {
      try {
        return CONVERT.TEXT(v);
      } catch (e) {
        if (e instanceof Mismatch) throw bad();
        throw e;
      }
    });
  };

  /** _Parser.link: check the ``inputs`` of a list of layers and set their ``sources``. */
  Parser.prototype.link = function (layers) {
    var seen = {}, later = {}, input = schema().input_name;
    for (var k = layers.length - 1; k >= 0; k--) if (layers[k].v.name) later[layers[k].v.name] = k;
    layers.forEach(function (layer, i) {
      layer.sources = layer.v.inputs.map(function (name) {
        if (name === input && !has(seen, name)) return -1;
        var at = has(seen, name) ? seen[name] : [];
        if (at.length > 1) {
          throw new SpecError(layer.where, "inputs: " + strRepr(name) + " names " + at.length +
            " earlier layers; give them different names");
        }
        if (!at.length) {
          var msg;
          if (name === layer.v.name) {
            msg = "is this layer itself (a cycle)";
          } else if (has(later, name)) {
            msg = "is layer " + (later[name] + 1) + ", after this one: a layer takes only earlier layers' outputs " +
              "(a graph has no cycle)";
          } else {
            var names = Object.keys(seen).slice(-8).map(strRepr);
            msg = "is not the name of an earlier layer of this list (earlier: " + (names.join(", ") || "none") +
              "; or '" + input + "')";
          }
          throw new SpecError(layer.where, "inputs: " + quoted(name) + " " + msg);
        }
        return at[0];
      });
      if (layer.v.name) (seen[layer.v.name] = has(seen, layer.v.name) ? seen[layer.v.name] : []).push(i);
    });
    return layers;
  };

  Parser.prototype.paramValues = function (raw, where, what) {
    if (!isMapping(raw)) {
      throw new SpecError(where, what + " must be a mapping from parameter names to values, found " + found(raw));
    }
    return Object.keys(raw).map(function (key) {
      if (!IDENTIFIER.test(key)) {
        throw new SpecError(where, what + ": a parameter name must be " + schema().types.ID.expected + ", found " + quoted(key));
      }
      return [key, raw[key]];
    });
  };

  Parser.prototype.blockDefs = function (raw) {
    var self = this;
    if (!isMapping(raw)) {
      throw new SpecError("blocks", "blocks must be " + schema().types.BLOCKS.expected + ", found " + found(raw));
    }
    Object.keys(raw).forEach(function (name) {
      var body = raw[name], here = "block " + quoted(name);
      if (!IDENTIFIER.test(name)) {
        throw new SpecError("blocks", "a block name must be " + schema().types.ID.expected + ", found " + quoted(name));
      }
      if (!isMapping(body)) {
        throw new SpecError(here, "a block must be a mapping with layers (a list) and params (optional), found " + found(body));
      }
      var keys = Object.keys(body);
      if (!has(body, "layers") || keys.some(function (k) { return k !== "params" && k !== "layers"; })) {
        throw new SpecError(here, "a block takes layers (required) and params, found " + keys.map(quoted).join(", "));
      }
      var params = self.paramValues(body.params || {}, here, "params");
      if (!Array.isArray(body.layers) || !body.layers.length) {
        throw new SpecError(here, "layers must be a non-empty list of layers, found " + found(body.layers));
      }
      self.blocks[name] = {params: params, layers: body.layers};
    });
    return Object.keys(this.blocks);
  };

  /** graph.substitute: ``data`` with every string "$name" replaced by values[name]. */
  function substitute(data, values) {
    if (typeof data === "string") {
      var m = new RegExp("^(?:" + schema().param_ref + ")$").exec(data);
      if (!m) return data;
      if (!has(values, m[1])) throw {unknown: m[1]};
      return values[m[1]];
    }
    if (Array.isArray(data)) return data.map(function (v) { return substitute(v, values); });
    if (isMapping(data)) {
      var out = {};
      Object.keys(data).forEach(function (k) { out[k] = substitute(data[k], values); });
      return out;
    }
    return data;
  }

  /** _Parser.instances: every instance of a repeat, its parameters substituted. */
  Parser.prototype.instances = function (rep) {
    var self = this, where = rep.where, v = rep.v, block = this.blocks[v.block];
    if (!block || !has(this.blocks, v.block)) {
      var known = Object.keys(this.blocks).join(", ") || "none are defined under blocks";
      throw new SpecError(where, "block: no block named " + quoted(v.block) + " (" + known + ")");
    }
    if (this.active.indexOf(v.block) >= 0) {
      var chain = this.active.slice(this.active.indexOf(v.block)).concat([v.block]).join(" → ");
      throw new SpecError(where, "block: " + strRepr(v.block) + " repeats itself (" + chain + ")");
    }
    if (this.active.length >= limits().max_nesting) {
      throw new SpecError(where, "block: more than " + limits().max_nesting + " blocks inside each other");
    }
    var each = v.each.length ? v.each : Array.apply(null, Array(v.times || 1)).map(function () { return []; });
    var names = block.params.map(function (p) { return p[0]; });
    var takes = names.join(", ") || "none";
    rep.instances = [];
    rep.arguments = [];
    this.active.push(v.block);
    each.forEach(function (own, i) {
      var values = {};
      block.params.forEach(function (p) { values[p[0]] = p[1]; });
      [[v.params, "params"], [own, "each " + (i + 1)]].forEach(function (part) {
        part[0].forEach(function (kv) {
          if (names.indexOf(kv[0]) < 0) {
            throw new SpecError(where, part[1] + ": block " + strRepr(v.block) + " has no parameter " + strRepr(kv[0]) +
              " (it takes: " + takes + ")");
          }
          values[kv[0]] = kv[1];
        });
      });
      var missing = names.filter(function (n) { return values[n] === null || values[n] === undefined; });
      if (missing.length) {
        throw new SpecError(where, "instance " + (i + 1) + ": no value for the parameter " + strRepr(missing[0]) +
          " of block " + strRepr(v.block));
      }
      var here = where + " > instance " + (i + 1), body;
      try {
        body = substitute(block.layers, values);
      } catch (e) {
        if (!e || !has(e, "unknown")) throw e;
        throw new SpecError(here, "$" + e.unknown + " is not a parameter of block " + strRepr(v.block) +
          " (it takes: " + takes + ")");
      }
      rep.instances.push(self.layers(body, here, "layer"));
      rep.arguments.push(names.map(function (n) { return [n, values[n]]; }));
    });
    this.active.pop();
  };

  Parser.prototype.published = function (raw, where) {
    var self = this, fields = schema().published.fields;
    if (isMapping(raw)) raw = [raw];
    if (!Array.isArray(raw)) {
      throw new SpecError(where || "published", "published must be " + schema().types.PUBLISHED.expected + ", found " + found(raw));
    }
    return raw.map(function (entry, i) {
      var here = "published " + (i + 1);
      if (!isMapping(entry)) throw new SpecError(here, "expected a mapping with source, params, macs, found " + found(entry));
      var v = self.values(fields, entry, here, "published");
      if ((v.params === undefined || v.params === null) && (v.macs === undefined || v.macs === null)) {
        throw new SpecError(here, "give at least one of params and macs");
      }
      return v;
    });
  };

  /** The values a YAML text holds, within limits.MAX_VALUES and MAX_TEXT_CHARS (aliases
   *  expanded: one long text named by many aliases is as long as all its copies) and MAX_NESTING. */
  function checkBounds(data) {
    var left = limits().max_values, chars = limits().max_text_chars;
    function text(s) {
      chars -= s.length;
      if (chars < 0) {
        throw new SpecError("", "aliases expand to more than " + countText(limits().max_text_chars) + " characters of text");
      }
    }
    (function walk(v, depth) {
      if (depth > limits().max_nesting) throw new SpecError("", "more than " + limits().max_nesting + " levels of nesting");
      if (--left < 0) throw new SpecError("", "aliases expand to more than " + countText(limits().max_values) + " values");
      if (typeof v === "string") text(v);
      else if (Array.isArray(v)) v.forEach(function (x) { walk(x, depth + 1); });
      else if (isMapping(v)) Object.keys(v).forEach(function (k) { text(k); walk(v[k], depth + 1); });
    })(data, 1);
  }

  var yamlSchema = null;
  /** YAML 1.1 as PyYAML reads it (yes/no are booleans, 1e3 is text), with integral floats
   *  kept apart from ints (2.0 is not 2) and ints past 2^53 exact. */
  function yamlOptions() {
    var Y = window.jsyaml;
    if (!yamlSchema) {
      var f = Y.floatYaml11Tag, i = Y.intYaml11Tag;
      var float = Y.defineScalarTag(f.tagName, Object.assign({}, f, {resolve: function (src, explicit, tag) {
        var v = f.resolve(src, explicit, tag);
        return v !== Y.NOT_RESOLVED && Number.isInteger(v) ? new PyFloat(v) : v;
      }}));
      var int = Y.defineScalarTag(i.tagName, Object.assign({}, i, {resolve: function (src, explicit, tag) {
        var v = i.resolve(src, explicit, tag);
        if (v !== Y.NOT_RESOLVED && !Number.isSafeInteger(v) && /^[-+]?[0-9_]+$/.test(src)) {
          return BigInt(src.replace(/[_+]/g, ""));
        }
        return v;
      }}));
      yamlSchema = new Y.Schema(Y.YAML11_SCHEMA.tags.map(function (t) {
        return t.tagName === f.tagName ? float : t.tagName === i.tagName ? int : t;
      }));
    }
    return {schema: yamlSchema};
  }

  /**
   * YAML text -> its data, or a SpecError with loader.py's place: "line L, column C: not
   * valid YAML: ...". Bounded: limits.MAX_SPEC_BYTES, MAX_VALUES, MAX_NESTING.
   */
  function read(text) {
    var bytes = new TextEncoder().encode(text).length, most = limits().max_spec_bytes;
    if (bytes > most) {
      throw new SpecError("", "the file has " + countText(bytes) + " bytes; a spec may have at most " +
        countText(most) + " (" + (most >> 20) + " MiB)");
    }
    var data;
    try {
      data = window.jsyaml.load(text, yamlOptions());
    } catch (e) {
      if (!(e instanceof window.jsyaml.YAMLException)) throw e;
      var mark = e.mark, reason = String(e.reason || e.message).replace(/^duplicated mapping key$/, "a key is given twice in one mapping");
      throw new SpecError(mark ? "line " + (mark.line + 1) + ", column " + (mark.column + 1) : "", "not valid YAML: " + reason);
    }
    checkBounds(data);
    return data === undefined ? null : data;
  }

  /** parse_spec on YAML data -> {name, input, blocks, layers, ...}, or a SpecError. */
  function parseSpec(data) {
    if (!isMapping(data)) {
      throw new SpecError("", "expected a mapping with name, input and layers at the top, found " + found(data));
    }
    var fields = schema().network.fields;
    return withDefaults(fields, new Parser().values(fields, data, "", "a network spec"));
  }

  // ------------------------------------------------------------ the table (table.py)

  function prod(shape) {
    return shape.reduce(function (a, b) { return a * b; }, 1);
  }
  function sum(rows, key) {
    return rows.reduce(function (a, r) { return a + r[key]; }, 0);
  }
  /** formats._field_dict */
  function fieldDict(field) {
    if (!field) return null;
    return {
      size: [field[0].size, field[1].size],
      jump: [field[0].jump, field[1].jump],
      start: [field[0].start, field[1].start],
    };
  }
  /** A row as formats._row_dict gives it; its receptive field (for the rows after) kept aside. */
  function rowDict(r, field) {
    var d = {
      index: r.index, name: r.name || null, type: r.type, details: r.details, path: r.path || null,
      input_shape: r.input_shape, output_shape: r.output_shape, params: r.weights + r.biases,
      weights: r.weights, biases: r.biases, trainable_params: r.trainable_params, buffers: r.buffers,
      macs: r.macs, activations: r.activations, activation_bytes: F.FLOAT32_BYTES * r.activations,
      receptive_field: fieldDict(field), sources: [],
    };
    if (r.children && r.children.length) d.children = r.children;
    Object.defineProperty(d, "field", {value: field, enumerable: false});
    return d;
  }

  var SAFE = Number.MAX_SAFE_INTEGER;
  var INEXACT = "a number above 2^53 is beyond exact arithmetic in the browser";

  /** True when every number of a leaf's row is an exact integer in a double (below 2^53). */
  function exact(leaf) {
    var numbers = [leaf.weights, leaf.biases, leaf.macs, prod(leaf.output_shape)];
    (leaf.field || []).forEach(function (f) { numbers.push(f.size, f.jump, -f.start); });
    return numbers.every(function (n) { return n <= SAFE; });
  }

  /** A layer of a basic or bottleneck block's expansion (layers._inner): defaults, then ``values``. */
  function inner(kind, parent, path, index, values) {
    var v = withDefaults(schema().kinds[kind].fields, Object.assign({}, values));
    return {kind: kind, where: parent.where + " > " + path + " " + index + label(v.name, kind), v: v, sources: []};
  }

  /** Basic.expand / Bottleneck.expand: the block as a residual, given its input channels. */
  function expand(layer, inChannels) {
    var v = layer.v, out, main;
    var conv = function (i, name, channels, k, s) {
      return inner("conv", layer, "main", i, {name: name, out: channels, kernel: [k, k], stride: [s, s],
        padding: k === 3 ? [1, 1] : [0, 0], bias: false});
    };
    var bn = function (i, name) { return inner("batchnorm", layer, "main", i, {name: name}); };
    var relu = function (i) { return inner("relu", layer, "main", i, {name: "relu"}); };
    if (layer.kind === "basic") {
      out = v.out;
      main = [conv(1, "conv1", v.out, 3, v.stride), bn(2, "bn1"), relu(3), conv(4, "conv2", v.out, 3, 1), bn(5, "bn2")];
    } else {
      out = v.width * v.expansion;
      main = [conv(1, "conv1", v.width, 1, 1), bn(2, "bn1"), relu(3), conv(4, "conv2", v.width, 3, v.stride),
        bn(5, "bn2"), relu(6), conv(7, "conv3", out, 1, 1), bn(8, "bn3")];
    }
    var shortcut = v.stride === 1 && inChannels === out ? [] : [
      inner("conv", layer, "shortcut", 1, {name: "downsample.0", out: out, kernel: [1, 1], stride: [v.stride, v.stride],
        bias: false}),
      inner("batchnorm", layer, "shortcut", 2, {name: "downsample.1"}),
    ];
    return {main: main, shortcut: shortcut, activation: "relu"};
  }

  /** table._Builder: the rows of a parsed spec, as table_dict gives them. */
  function Builder() {}

  Builder.prototype.fail = function (layer, message) {
    return new SpecError(layer.where, message);
  };

  Builder.prototype.sequence = function (layers, shape, field, prefix, path, depth, frozen, first) {
    var self = this, rows = [];
    first = first || 1;
    layers.forEach(function (layer, i) {
      var inShape, inField;
      if (layer.sources.length) {
        var got = layer.sources.map(function (j) {
          return j < 0 ? [shape, field] : [rows[j].output_shape, rows[j].field];
        });
        if (merges(layer)) {
          inShape = got.map(function (g) { return g[0]; });
          inField = got.map(function (g) { return g[1]; });
        } else {
          inShape = got[0][0];
          inField = got[0][1];
        }
      } else if (rows.length) {
        inShape = rows[rows.length - 1].output_shape;
        inField = rows[rows.length - 1].field;
      } else {
        inShape = shape;
        inField = field;
      }
      var row = self.row(layer, inShape, inField, prefix + (i + first), path, depth, frozen);
      // the rows it takes, when it names its inputs: "<prefix>0" is its list's input
      row.sources = layer.sources.map(function (j) { return j < 0 ? prefix + "0" : rows[j].index; });
      rows.push(row);
    });
    if (!rows.length) return [rows, shape, field];
    var last = rows[rows.length - 1];
    return [rows, last.output_shape, last.field];
  };

  Builder.prototype.row = function (layer, shape, field, index, path, depth, frozen) {
    frozen = frozen || layer.v.frozen;
    if (schema().kinds[layer.kind].composite) return this.block(layer, shape, field, index, path, depth, frozen);
    var leaf;
    try {
      leaf = LEAVES[layer.kind](layer.v, shape, field, false);
    } catch (e) {
      if (!(e instanceof ShapeError)) throw e;
      throw this.fail(layer, e.message);
    }
    if (!exact(leaf)) throw this.fail(layer, INEXACT);
    var params = leaf.weights + leaf.biases;
    return rowDict({
      index: index, name: layer.v.name, type: layer.kind, details: leaf.details, path: path,
      input_shape: merges(layer) ? shape[0] : shape, output_shape: leaf.output_shape,
      weights: leaf.weights, biases: leaf.biases, trainable_params: frozen ? 0 : params, buffers: leaf.buffers,
      macs: leaf.macs, activations: prod(leaf.output_shape),
    }, leaf.field);
  };

  /** The row builder of each block kind (the kinds.py registry's table entries). */
  var BLOCKS = {
    residual: "residualBlock",
    basic: "residualBlock",
    bottleneck: "residualBlock",
    concat: "concat",
    repeat: "repeat",
  };

  Builder.prototype.block = function (layer, shape, field, index, path, depth, frozen) {
    var r = this[BLOCKS[layer.kind]](layer, shape, field, index + ".", depth + 1, frozen);
    return this.groupRow(index, depth, path, layer.v.name, layer.kind, r[3], merges(layer) ? shape[0] : shape,
      r[1], r[2], r[0]);
  };

  Builder.prototype.groupRow = function (index, depth, path, name, type, details, inShape, outShape, field, children) {
    return rowDict({
      index: index, name: name, type: type, details: details, path: path, input_shape: inShape,
      output_shape: outShape, weights: sum(children, "weights"), biases: sum(children, "biases"),
      trainable_params: sum(children, "trainable_params"), buffers: sum(children, "buffers"),
      macs: sum(children, "macs"),
      activations: children.length ? sum(children, "activations") : prod(outShape), children: children,
    }, field);
  };

  Builder.prototype.mergeRow = function (index, depth, type, details, inShape, outShape, field) {
    return rowDict({
      index: index, name: null, type: type, details: details, path: null, input_shape: inShape,
      output_shape: outShape, weights: 0, biases: 0, trainable_params: 0, buffers: 0, macs: 0,
      activations: prod(outShape),
    }, field);
  };

  Builder.prototype.needMap = function (layer, shape) {
    if (shape.length !== 3) {
      throw this.fail(layer, layer.kind + " needs a C×H×W input, found a flat vector of " + shape[0] +
        " features (is there a flatten before it?)");
    }
  };

  Builder.prototype.repeat = function (layer, shape, field, prefix, depth, frozen) {
    var self = this, rows = [], base = layer.v.name || layer.v.block;
    layer.instances.forEach(function (inst, i) {
      var r = self.sequence(inst, shape, field, prefix + (i + 1) + ".", "", depth + 1, frozen);
      // only integers, under plain names, are shown (table.py)
      var details = layer.arguments[i].filter(function (kv) {
        return /^[A-Za-z0-9]+$/.test(kv[0]) && isInt(kv[1]);
      }).map(function (kv) { return kv[0] + "=" + String(kv[1]); }).join(", ");
      rows.push(self.groupRow(prefix + (i + 1), depth, "", base + "." + i, "block", details, shape, r[1], r[2], r[0]));
      shape = r[1];
      field = r[2];
    });
    return [rows, shape, field, rows.length + " × " + layer.v.block];
  };

  Builder.prototype.residualBlock = function (layer, shape, field, prefix, depth, frozen) {
    var res = layer.v;
    if (layer.kind !== "residual") {
      this.needMap(layer, shape);
      res = expand(layer, shape[0]);
    }
    var main = this.sequence(res.main, shape, field, prefix, "main", depth, frozen);
    var short = this.sequence(res.shortcut, shape, field, prefix, "shortcut", depth, frozen, main[0].length + 1);
    var what = res.shortcut.length ? "shortcut" : "identity shortcut";
    if (shapeText(main[1]) !== shapeText(short[1]) || main[1].length !== short[1].length) {
      var hint = "";
      if (!res.shortcut.length && main[1].length === 3) {
        hint = " (give it a shortcut that maps " + shapeText(shape) + " to " + shapeText(main[1]) +
          ", e.g. a 1×1 conv with out " + main[1][0] + " and the main path's stride)";
      }
      throw this.fail(layer, "cannot add the main path's output " + shapeText(main[1]) + " to the " + what + "'s " +
        shapeText(short[1]) + hint);
    }
    var merged = F.unionField([main[2], short[2]]);
    var n = main[0].length + short[0].length, rows = main[0].concat(short[0]);
    rows.push(this.mergeRow(prefix + (n + 1), depth, "add", "main + " + what, shape, main[1], merged));
    if (res.activation !== "none") {
      rows.push(this.mergeRow(prefix + (n + 2), depth, res.activation, "", main[1], main[1], merged));
    }
    return [rows, main[1], merged, res.shortcut.length ? "projection shortcut" : "identity shortcut"];
  };

  Builder.prototype.concat = function (layer, shape, field, prefix, depth, frozen) {
    var self = this;
    if (merges(layer)) return this.concatInputs(layer, shape, field);
    var rows = [], outs = [], fields = [];
    layer.v.branches.forEach(function (branch, b) {
      var r = self.sequence(branch, shape, field, prefix, "branch " + (b + 1), depth, frozen, rows.length + 1);
      rows = rows.concat(r[0]);
      outs.push(r[1]);
      fields.push(r[2]);
    });
    var first = outs[0];
    var size = function (o) { return o.length === 3 ? shapeText(o.slice(1)) : "a flat vector of " + o[0]; };
    outs.slice(1).forEach(function (out, i) {
      if (out.length !== first.length || shapeText(out.slice(1)) !== shapeText(first.slice(1))) {
        throw self.fail(layer, "branch " + (i + 2) + " gives " + size(out) + " but branch 1 gives " + size(first) +
          "; concatenated branches need the same height and width");
      }
    });
    var outShape = [sum(outs.map(function (o) { return {c: o[0]}; }), "c")].concat(first.slice(1));
    var merged = F.unionField(fields);
    rows.push(this.mergeRow(prefix + (rows.length + 1), depth, "concat",
      "channels " + outs.map(function (o) { return o[0]; }).join(" + "), shape, outShape, merged));
    return [rows, outShape, merged, outs.length + " branches"];
  };

  Builder.prototype.concatInputs = function (layer, shapes, fields) {
    var self = this, first = shapes[0], names = layer.v.inputs;
    shapes.slice(1).forEach(function (other, i) {
      if (other.length !== first.length || shapeText(other.slice(1)) !== shapeText(first.slice(1))) {
        throw self.fail(layer, "inputs: cannot concatenate " + shapeText(first) + " (" + strRepr(names[0]) + ") and " +
          shapeText(other) + " (" + strRepr(names[i + 1]) + ") on the channels: they need the same height and width");
      }
    });
    var outShape = [sum(shapes.map(function (o) { return {c: o[0]}; }), "c")].concat(first.slice(1));
    return [[], outShape, F.unionField(fields), shapes.length + " inputs"];
  };

  /**
   * The layer table of any spec (YAML data, or YAML text): {error: null, table:
   * {name, input_shape, layers, totals}} as generator.tables.formats.table_dict, or
   * {error: "source: where: message", table: null}: Python's one line, first error only.
   */
  function table(spec, source) {
    source = source || "calculator.yaml";
    try {
      if (typeof spec === "string") spec = read(spec);
      var net = parseSpec(spec);
      var shape = net.input, field = shape.length === 3 ? F.INPUT_FIELD : null;
      var rows = new Builder().sequence(net.layers, shape, field, "", "", 0, false)[0];
      var totals = {};
      ["weights", "biases", "trainable_params", "buffers", "macs", "activations"].forEach(function (k) {
        totals[k] = sum(rows, k);
      });
      totals.params = totals.weights + totals.biases;
      totals.non_trainable_params = totals.params - totals.trainable_params;
      totals.activation_bytes = F.FLOAT32_BYTES * totals.activations;
      if (Object.keys(totals).some(function (k) { return totals[k] > SAFE; })) {
        throw new SpecError("", "a total above 2^53 is beyond exact arithmetic in the browser");
      }
      return {error: null, table: {name: net.name, input_shape: shape, layers: rows, totals: totals}};
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      return {error: source + ": " + e.text, table: null};
    }
  }

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
    var field = shape && shape.length === 3 ? F.INPUT_FIELD : null;
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
        var activations = prod(out.output_shape);
        if (!exact(out)) throw new ShapeError(INEXACT);
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
    adaptive_maxpool: {output: "1"},
    linear: {out: "10"},
    lrn: {size: "5"},
    channel_shuffle: {groups: "2"},
    channel_split: {chunks: "2", index: "0"},
    upsample: {scale: "2"},
    crop: {size: "8"},
    pad: {padding: "1"},
  };
  //: The value of "an empty network" in the "Start from" menu (not a built-in's id: ids are
  //: lower-case file names).
  var EMPTY = "(empty)";
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

  /** A pasted spec in the address: y1&net=<built-in id>, or y1&yaml=<the text>. */
  function encodeGraph(graph) {
    return "y1&" + (graph.id ? "net=" + encodeURIComponent(graph.id) : "yaml=" + encodeURIComponent(graph.text));
  }
  function decodeGraph(hash) {
    hash = hash.replace(/^#/, "");
    var m = /^y1&(net|yaml)=(.*)$/.exec(hash);
    if (!m) return null;
    var value;
    try { value = decodeURIComponent(m[2]); } catch (e) { return null; }
    if (m[1] === "yaml") return {text: value, source: "calculator.yaml", id: null};
    var net = schema().networks.filter(function (n) { return n.id === value; })[0];
    return net ? {text: net.yaml, source: net.id + ".yaml", id: net.id} : null;
  }

  /** True for spec data a card can hold: no blocks, every layer a card's kind without inputs. */
  function isSequence(data) {
    if (!isMapping(data) || has(data, "blocks") || !Array.isArray(data.layers)) return false;
    var known = cardKinds();
    return data.layers.every(function (entry) {
      if (typeof entry === "string") return known.indexOf(schema().aliases[entry] || entry) >= 0;
      if (!isMapping(entry) || Object.keys(entry).length !== 1) return false;
      var kind = Object.keys(entry)[0], v = entry[kind];
      return known.indexOf(schema().aliases[kind] || kind) >= 0 && !(isMapping(v) && has(v, "inputs"));
    });
  }

  function countRows(rows) {
    return rows.reduce(function (n, r) { return n + 1 + (r.children ? countRows(r.children) : 0); }, 0);
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
          if (cardKinds().indexOf(kind) < 0) {
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
      if (cardKinds().indexOf(kind) < 0) {
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
    var graph = decodeGraph(location.hash);
    if (graph) this.readText(graph.text, graph.source, graph.id, true);
    var self = this;
    window.addEventListener("hashchange", function () {
      if (location.hash.replace(/^#/, "") === self.written) return;
      clearTimeout(self.hashTimer);  // the reader's new address wins over a pending write
      var graph = decodeGraph(location.hash);
      if (graph) {
        self.readText(graph.text, graph.source, graph.id, true);
        return;
      }
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
    // The menu shows the built-in on the page while it is there unchanged (see syncStart),
    // else its first entry, which claims none.
    this.netSelect = el("select", {id: this.id("net"), autocomplete: "off"}, [
      el("option", {value: "", text: "choose a network", disabled: true}),
    ].concat(data.networks.map(function (n) {
      return el("option", {value: n.id, text: n.name + " (" + n.id + ")"});
    })).concat([el("option", {value: EMPTY, text: "an empty network"})]));
    var loadButton = el("button", {type: "button", className: "atlas-calc__button", text: "Load"});
    this.specText = el("textarea", {id: this.id("spec"), className: "atlas-calc__spec", rows: "8", spellcheck: "false",
      autocomplete: "off", "aria-describedby": this.id("spec-error")});
    this.fileInput = el("input", {type: "file", id: this.id("file"), accept: ".yaml,.yml,text/yaml", autocomplete: "off"});
    var readButton = el("button", {type: "button", className: "atlas-calc__button", text: "Read YAML", id: this.id("read")});
    var editButton = el("button", {type: "button", className: "atlas-calc__button", text: "Edit as YAML",
      id: this.id("edit-yaml")});
    this.specError = el("p", {className: "atlas-calc__error", id: this.id("spec-error"), "aria-live": "polite"});
    var specBox = el("details", {className: "atlas-calc__setup atlas-calc__specbox", id: this.id("specbox")}, [
      el("summary", {text: "Paste or load a spec (YAML): blocks, graphs and repeats included"}),
      el("label", {"for": this.id("spec"), className: "atlas-calc__sr", text: "Spec as YAML"}),
      this.specText,
      el("div", {className: "atlas-calc__line"}, [
        readButton, editButton,
        el("label", {"for": this.id("file"), text: "or load a file "}), this.fileInput,
      ]),
      this.specError,
    ]);
    this.specBox = specBox;
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
    this.kindSelect = el("select", {id: this.id("kind"), autocomplete: "off"}, cardKinds().map(function (kind) {
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
    root.appendChild(specBox);
    this.layersHeading = root.appendChild(el("h2", {className: "atlas-calc__heading", id: this.id("layers-heading"),
      text: "Layers"}));
    this.graphNote = root.appendChild(el("p", {className: "atlas-calc__graph-note", id: this.id("graph-note"),
      hidden: true}));
    root.appendChild(this.list);
    this.room = root.appendChild(el("div", {className: "atlas-calc__room", "aria-hidden": "true"}));
    this.addLine = root.appendChild(add);
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
      if (net) {
        self.readText(net.yaml, net.id + ".yaml", net.id);
        self.say("Loaded " + net.name + ".");
        return;
      }
      if (id !== EMPTY) {
        self.say("Choose a network in the menu first.");
        return;
      }
      // the input shown is the network's on the page, a pasted one's included
      self.load({name: "My network", input: self.inputs.map(function (input) { return input.value; }),
        layers: [], tf: self.state.tf});
      self.say("Removed every layer.");
    });
    readButton.addEventListener("click", function () {
      self.readText(self.specText.value, "calculator.yaml", null);
    });
    editButton.addEventListener("click", function () {
      if (self.graph) return;
      self.specText.value = toYAML(stateSpec(self.state));
      self.readText(self.specText.value, "calculator.yaml", null, true);
      self.specText.focus();
    });
    this.specText.addEventListener("input", function () {
      if (!self.graph) return;  // cards: the text is read when the reader asks
      clearTimeout(self.specTimer);
      self.specTimer = setTimeout(function () {
        self.graph = {text: self.specText.value, source: self.graph.source, id: null};
        self.updateGraph();
      }, 150);
    });
    this.fileInput.addEventListener("change", function () {
      var file = self.fileInput.files && self.fileInput.files[0];
      if (!file) return;
      var reader = new FileReader();
      reader.onload = function () {
        self.specText.value = String(reader.result);
        self.readText(self.specText.value, file.name, null);
      };
      reader.readAsText(file);
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

  /**
   * Read a spec's YAML text: a plain sequence of layers a card can hold becomes cards
   * (``keepGraph``: stay with the text); anything else (blocks, inputs, merges, repeats)
   * is computed from the text as a whole, its table and its one-line error shown.
   */
  Calculator.prototype.readText = function (text, source, id, keepGraph) {
    this.specText.value = text;
    var data = null;
    try {
      data = read(text);
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
    }
    if (!keepGraph && data && isSequence(data)) {
      this.graph = null;
      this.specError.textContent = "";
      var state = specState(data);
      state.tf = this.state.tf;
      this.load(state);
    } else {
      this.graph = {text: text, source: source, id: id};
      this.specBox.open = true;
      this.updateGraph();
    }
    this.origin = id ? {id: id, key: this.networkKey()} : null;
    this.syncStart();
  };

  /** What identifies the network on the page (its address, without the TensorFlow column). */
  Calculator.prototype.networkKey = function () {
    return this.graph ? encodeGraph(this.graph) : encodeState(Object.assign({}, this.state, {tf: false}));
  };

  /**
   * "Start from" names the built-in on the page only while it is there as loaded; after
   * an edit, a pasted spec, a file or a link to cards it shows its first entry instead.
   */
  Calculator.prototype.syncStart = function () {
    if (this.origin && this.networkKey() !== this.origin.key) this.origin = null;  // edited
    var id = this.origin ? this.origin.id : "";
    if (this.netSelect.value !== id) this.netSelect.value = id;
  };

  /** A pasted network's name and input in the fields above, as text (they are disabled). */
  Calculator.prototype.showGraphNetwork = function (result) {
    var name = "", input = [];
    if (result.table) {
      name = result.table.name;
      input = result.table.input_shape;
    } else {
      var data = null;
      try {
        data = read(this.graph.text);
      } catch (e) {
        if (!(e instanceof SpecError)) throw e;
      }
      if (isMapping(data)) {
        name = typeof data.name === "string" ? data.name : "";
        input = Array.isArray(data.input) ? data.input : [];
      }
    }
    this.nameInput.value = name;
    this.inputs.forEach(function (field, i) { field.value = i < input.length ? valueText(input[i]) : ""; });
  };

  /** Compute the pasted spec, show its table or its error, and put it in the address. */
  Calculator.prototype.updateGraph = function () {
    var result = table(this.graph.text, this.graph.source);
    this.lastGraph = result;
    this.specError.textContent = result.error || "";
    this.specText.setAttribute("aria-invalid", String(!!result.error));
    this.showMode();
    this.showGraphNetwork(result);
    this.renderGraphTable(result);
    if (result.error) {
      this.status.textContent = "1 problem: " + result.error;
    } else {
      var rows = result.table.layers, t = result.table.totals;
      this.status.textContent = countRows(rows) + " rows · output " + shapeText(rows[rows.length - 1].output_shape) +
        " · " + countText(t.params) + " parameters · " + siText(t.macs) + " MACs";
    }
    if (!this.yamlPanel.hidden) this.showYAML(null);
    this.syncStart();
    this.writeHash();
  };

  /** Cards for a plain sequence, the YAML box for a graph. */
  Calculator.prototype.showMode = function () {
    var graph = !!this.graph;
    this.list.hidden = graph;
    this.room.hidden = graph;
    this.addLine.hidden = graph;
    this.graphNote.hidden = !graph;
    this.graphNote.textContent = graph ? "This network is computed from its YAML (above): blocks are rows with " +
      "their layers below them, in PyTorch's convention. Its name and input, shown at the top, are the YAML's: " +
      "change them there. Load a plain sequence, or an empty network, to edit layer by layer and compare " +
      "with TensorFlow." : "";
    this.tfBox.disabled = graph;
    this.nameInput.disabled = graph;
    this.inputs.forEach(function (input) { input.disabled = graph; });
  };

  /** The table of a pasted spec: every row, a block's layers after it, indented by depth. */
  Calculator.prototype.renderGraphTable = function (result) {
    var table = this.table, layout = " (" + schema().shape_layout + ")";
    var heads = ["#", "Layer", "Output" + layout, "Params", "MACs", "RF", "Jump"];
    var numeric = {"#": 1, Params: 1, MACs: 1, RF: 1, Jump: 1};
    table.textContent = "";
    this.headKey = null;  // the cards' table is built anew when they come back
    table.appendChild(el("thead", {}, [el("tr", {}, heads.map(function (h) {
      return el("th", {scope: "col", className: numeric[h] ? "atlas-calc__num" : null, text: h});
    }))]));
    var body = table.appendChild(el("tbody"));
    var foot = table.appendChild(el("tfoot"));
    this.stats.tables++;
    if (!result.table) return;
    (function walk(rows, depth) {
      rows.forEach(function (row) {
        var label = row.name ? row.name + " (" + row.type + ")" : row.type;
        var rf = row.receptive_field;
        var cells = [
          {c: "atlas-calc__num", p: [row.index]},
          {c: "atlas-calc__depth-" + Math.min(depth, 4) + (row.children ? " atlas-calc__block" : ""),
            p: row.details ? [label, {c: "atlas-calc__details", t: row.details}] : [label]},
          {c: null, p: [shapeText(row.output_shape)]},
          numberCell(row.params, null, false),
          numberCell(row.macs, null, false),
          {c: "atlas-calc__num", p: [rf ? hwText(rf.size) : DASH]},
          {c: "atlas-calc__num", p: [rf ? hwText(rf.jump) : DASH]},
        ];
        body.appendChild(el("tr", {className: "atlas-calc__row--ok"}, cells.map(function (c) { return cellNode("td", c); })));
        if (row.children) walk(row.children, depth + 1);
      });
    })(result.table.layers, 0);
    var rows = result.table.layers, t = result.table.totals;
    foot.appendChild(el("tr", {}, [
      {th: true, scope: "row", colspan: "2", p: ["Total"]}, {p: [shapeText(rows[rows.length - 1].output_shape)]},
      numberCell(t.params, null, false), numberCell(t.macs, null, false, true), {colspan: "2"},
    ].map(function (c) { return cellNode(c.th ? "th" : "td", c); })));
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
    this.graph = null;
    this.origin = null;  // readText names the built-in it loads
    this.showMode();
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
    cardKinds().forEach(function (k) { select.appendChild(el("option", {value: k, text: k})); });
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
    if (this.graph) {
      this.updateGraph();
      return;
    }
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
    this.syncStart();
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
    var yaml = this.graph ? this.graph.text : toYAML(spec);
    this.yaml.textContent = yaml;
    this.download.setAttribute("href", "data:text/yaml;charset=utf-8," + encodeURIComponent(yaml));
    var name = this.graph ? (this.graph.id || (this.lastGraph.table ? this.lastGraph.table.name : "")) : this.state.name;
    var file = (name || "network").toLowerCase().replace(/[^a-z0-9_.-]+/g, "-").replace(/^[-.]+|[-.]+$/g, "");
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
    var hash = this.graph ? encodeGraph(this.graph) : encodeState(this.state);
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
    table: table,
    read: read,
    toYAML: toYAML,
    textValue: textValue,
    valueText: valueText,
    specState: specState,
    isSequence: isSequence,
    stateSpec: stateSpec,
    encodeState: encodeState,
    decodeState: decodeState,
    PyFloat: PyFloat,
    MISSING: MISSING,
    _internal: {floatRepr: floatRepr, formatG: formatG, strRepr: strRepr, found: found,
      FIRST_CARDS: FIRST_CARDS, CARD_BATCH: CARD_BATCH, STARTERS: STARTERS, cardKinds: cardKinds},
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
