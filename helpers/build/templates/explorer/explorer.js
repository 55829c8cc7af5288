// The "What if" page: notebook 04's arithmetic for every price paid, in the reader's browser.
// Inputs come from the JSON block Python wrote (helpers/build/explorer.py); the formulas are the closed form of
// helpers/analysis/valuation.py and scenarios.py, and the number formats those of scenario_words._format.
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("explorer-data").textContent);
  // control id -> key of DATA.defaults and DATA.limits, and the query-string name that can set it
  var CONTROLS = [
    { id: "listing", key: "listing_usd_bn" },
    { id: "years", key: "years_to_listing" },
    { id: "dilution", key: "dilution" },
    { id: "hurdle", key: "hurdle_rate" },
    { id: "chance", key: "listing_chance" },
    { id: "haircut", key: "no_listing_haircut" }
  ];

  // --- numbers as Python formats them -------------------------------------------------------------------------

  // format(x, ".{d}f"): toFixed rounds an exact tie away from zero, Python to the even digit
  function fixed(x, d) {
    var s = x.toFixed(d);
    var exact = x.toFixed(100);
    var point = exact.indexOf(".");
    var rest = exact.slice(point + 1 + d);
    if (/^50*$/.test(rest)) {
      var truncated = exact.slice(0, d > 0 ? point + 1 + d : point);
      var last = truncated.charAt(truncated.length - 1);
      if ("02468".indexOf(last) >= 0) s = truncated;
    }
    return s;
  }

  function withCommas(text) {
    var parts = text.split(".");
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return parts.join(".");
  }

  function stripZeros(text) {
    return text.indexOf(".") >= 0 ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
  }

  // tables._significant: three significant digits, plain notation
  function significant(value) {
    if (value === 0 || !isFinite(value)) return String(value);
    var decimals = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
    return stripZeros(withCommas(fixed(value, decimals)));
  }

  // tables.money: '$1.5T', '$852B', '$170.6B', '$5.43B', '$350M'
  function money(bn) {
    if (bn >= 1000) return "$" + significant(bn / 1000) + "T";
    if (bn >= 10 || bn === 0) return "$" + withCommas(fixed(bn, 1)).replace(/\.0$/, "") + "B";
    if (bn >= 1) return "$" + stripZeros(fixed(bn, 2)) + "B";
    return "$" + significant(bn * 1000) + "M";
  }

  function percent(value, d) {
    return fixed(value * 100, d) + "%";
  }

  // scenario_words._format
  function format(measure, value) {
    if (value !== value) return "n/a";
    if (/usd_bn$/.test(measure)) return money(value);
    if (measure === "stake") return percent(value, 2);
    if (measure === "annual_return") return Math.abs(value) < 0.095 ? percent(value, 1) : percent(value, 0);
    if (measure === "years_to_listing") return fixed(value, 1);
    // a loss must never read as 1.00x
    if (fixed(value, 2) === "1.00" && value !== 1) return fixed(value, 3) + "x";
    return fixed(value, 2) + "x";
  }

  // scenario_words.shown: a number with its bound in words
  function shown(measure, value, bound) {
    var text = format(measure, value);
    return text === "n/a" ? text : (DATA.bound_words[bound || "exact"] || "") + text;
  }

  // a rate the reader typed, as 04's tables write one: 4.5%, 10%
  function rateText(rate) {
    return percent(rate, 1).replace(".0%", "%");
  }

  // scenario_words.a_or_an: 'an 80% chance', 'a 50% chance'
  function article(text) {
    return text.charAt(0) === "8" || text.slice(0, 2) === "11" || text.slice(0, 2) === "18" ? "an" : "a";
  }

  // --- the arithmetic: valuation.listing_outcome, hurdle_multiple, breakeven_listing_at_hurdle, expected_multiple

  function latestMark() {
    for (var i = 0; i < DATA.marks.length; i++) if (DATA.marks[i].id === DATA.latest_mark) return DATA.marks[i];
    throw new Error("no latest mark");
  }

  function outcome(mark, input) {
    var years = mark.elapsed_years + input.years_to_listing;
    var stake = DATA.investment_usd_bn / mark.price_usd_bn;
    // the known later rounds (share kept) and then the assumed dilution: scenarios.total_dilution
    var dilution = 1 - mark.kept_share * (1 - input.dilution);
    var value = stake * (1 - dilution) * input.listing_usd_bn;
    var multiple = value / DATA.investment_usd_bn;
    var hurdleMultiple = Math.pow(1 + input.hurdle_rate, years);
    var breakeven = mark.price_usd_bn / mark.kept_share / (1 - input.dilution);
    var latest = latestMark();
    var unlisted = (mark.kept_share / mark.price_usd_bn) * (latest.price_usd_bn * (1 - input.no_listing_haircut));
    return {
      stake: stake,
      years_to_listing: years,
      value_at_listing_usd_bn: value,
      multiple: multiple,
      annual_return: Math.pow(multiple, 1 / years) - 1,
      hurdle_multiple: hurdleMultiple,
      breakeven_listing_usd_bn: breakeven,
      breakeven_hurdle_usd_bn: breakeven * hurdleMultiple,
      unlisted_multiple: unlisted,
      expected_multiple: input.listing_chance * multiple + (1 - input.listing_chance) * unlisted
    };
  }

  // the bounds helpers gives: a listing value equal to the reported figure keeps that figure's bound
  function boundsFor(mark, input) {
    return input.listing_usd_bn === DATA.listing_figure.value_usd_bn ? mark.bounds.reported : mark.bounds.assumed;
  }

  // 04 counts a buyer as beating the hurdle when its annual return is at least the hurdle rate
  function verdict(result, bounds, input) {
    var beats = result.annual_return >= input.hurdle_rate;
    var bound = bounds.annual_return;
    if (bound === "unknown") return "not sure: the return's bound is unknown";
    if (beats && bound === "at_most") return "yes, if it lists that high";
    if (!beats && bound === "at_least") return "not sure: the return is a floor";
    if (beats) return "yes";
    return result.multiple < 1 ? "no: loses money" : "no";
  }

  // --- the page ---------------------------------------------------------------------------------------------

  function el(id) {
    return document.getElementById(id);
  }

  function readInputs() {
    var input = { mark: el("mark").value };
    var problems = [];
    CONTROLS.forEach(function (c) {
      var limits = DATA.limits[c.key];
      var field = el(c.id);
      var raw = field.value.trim();
      var number = raw === "" ? NaN : Number(raw);
      var value = limits.percent ? number / 100 : number;
      var scale = limits.percent ? 100 : 1;
      var unit = limits.percent ? "%" : "";
      var name = field.getAttribute("data-name");
      var problem = "";
      if (!isFinite(number)) {
        problem = name + " must be a number";
      } else if (limits.low !== null && (value < limits.low || (limits.low_open && value === limits.low))) {
        problem = name + " must be " + (limits.low_open ? "above " : "at least ") + limits.low * scale + unit;
      } else if (limits.high !== null && (value > limits.high || (limits.high_open && value === limits.high))) {
        problem = name + " must be " + (limits.high_open ? "below " : "at most ") + limits.high * scale + unit;
      }
      if (problem) problems.push(problem);
      field.setAttribute("aria-invalid", problem ? "true" : "false");
      input[c.key] = value;
    });
    return { input: input, problems: problems };
  }

  function cell(row, label, text, measure, value) {
    var td = document.createElement("td");
    td.setAttribute("data-label", label);
    td.textContent = text;
    if (measure) {
      td.setAttribute("data-measure", measure);
      td.setAttribute("data-value", String(value));
    }
    row.appendChild(td);
    return td;
  }

  var COLUMNS = [
    ["stake", "Share a " + "CHEQUE" + " cheque buys"],
    ["years_to_listing", "Years held"],
    ["multiple", "Money multiple at the listing"],
    ["annual_return", "Annual return"],
    ["beats", "Beats the hurdle?"],
    ["breakeven_listing_usd_bn", "Listing that returns the cheque"],
    ["breakeven_hurdle_usd_bn", "Listing that earns the hurdle"],
    ["unlisted_multiple", "Multiple with no listing"],
    ["expected_multiple", "Multiple weighted by the chance of a listing"]
  ];

  function columnLabel(column) {
    return column[1].replace("CHEQUE", money(DATA.investment_usd_bn));
  }

  function buildHead() {
    var tr = el("outcomes-head");
    var th = document.createElement("th");
    th.textContent = "Buyer at";
    th.setAttribute("scope", "col");
    tr.appendChild(th);
    COLUMNS.forEach(function (column) {
      var h = document.createElement("th");
      h.setAttribute("scope", "col");
      h.textContent = columnLabel(column);
      tr.appendChild(h);
    });
  }

  function render() {
    var read = readInputs();
    var body = el("outcomes-body");
    body.textContent = "";
    var problem = el("problem");
    if (read.problems.length) {
      problem.hidden = false;
      problem.textContent = "Nothing computed: " + read.problems.join("; ") + ".";
      el("headline").textContent = "";
      return;
    }
    problem.hidden = true;
    problem.textContent = "";
    var input = read.input;
    DATA.marks.forEach(function (mark) {
      var result = outcome(mark, input);
      var bounds = boundsFor(mark, input);
      var tr = document.createElement("tr");
      tr.setAttribute("data-mark", mark.id);
      if (mark.id === input.mark) tr.className = "chosen";
      if (result.multiple < 1) tr.className += " loss";
      var th = document.createElement("th");
      th.setAttribute("scope", "row");
      var price = document.createElement("strong");
      price.textContent = mark.price_text;
      th.appendChild(price);
      th.appendChild(document.createTextNode(" " + mark.label + " (" + mark.status + ", " + mark.reported_on + ")"));
      tr.appendChild(th);
      COLUMNS.forEach(function (column) {
        var key = column[0];
        if (key === "beats") {
          cell(tr, columnLabel(column), verdict(result, bounds, input), "beats", result.annual_return >= input.hurdle_rate);
        } else {
          cell(tr, columnLabel(column), shown(key, result[key], bounds[key]), key, result[key]);
        }
      });
      body.appendChild(tr);
    });
    headline(input);
  }

  function headline(input) {
    var mark = DATA.marks.filter(function (m) { return m.id === input.mark; })[0];
    var result = outcome(mark, input);
    var bounds = boundsFor(mark, input);
    var reported = input.listing_usd_bn === DATA.listing_figure.value_usd_bn;
    var listing = reported
      ? DATA.listing_figure.stated + " (the newest report, " + DATA.listing_figure.reported_on + ")"
      : money(input.listing_usd_bn) + " (your assumption)";
    var side = result.annual_return >= input.hurdle_rate ? "at or above" : "below";
    el("headline").textContent =
      "A buyer at " + mark.price_text + " (" + mark.label + ", " + mark.reported_on + ") who holds " +
      format("years_to_listing", result.years_to_listing) + " years to a listing at " + listing + ", after " + rateText(input.dilution) + " dilution, gets " +
      shown("multiple", result.multiple, bounds.multiple) + ": " +
      shown("annual_return", result.annual_return, bounds.annual_return) + " a year, " + side + " the " +
      rateText(input.hurdle_rate) + " hurdle and " + (result.annual_return < DATA.cash_rate ? "below" : "at or above") +
      " cash (" + rateText(DATA.cash_rate) + " a year, assumed). Earning the hurdle needs a listing of " +
      shown("breakeven_hurdle_usd_bn", result.breakeven_hurdle_usd_bn, bounds.breakeven_hurdle_usd_bn) +
      "; getting the cheque back needs " +
      shown("breakeven_listing_usd_bn", result.breakeven_listing_usd_bn, bounds.breakeven_listing_usd_bn) +
      ". With " + article(rateText(input.listing_chance)) + " " + rateText(input.listing_chance) + " chance of a listing, the expected multiple is " +
      shown("expected_multiple", result.expected_multiple, bounds.expected_multiple) + ".";
  }

  function sourceLine(parent, sources) {
    sources.forEach(function (source, i) {
      if (i) parent.appendChild(document.createTextNode("; "));
      var text = source.outlet + ", " + source.date;
      if (/^https:\/\//.test(source.url)) {
        var a = document.createElement("a");
        a.href = source.url;
        a.rel = "noopener noreferrer";
        a.textContent = text;
        parent.appendChild(a);
      } else {
        parent.appendChild(document.createTextNode(text));
      }
    });
  }

  function buildLists() {
    var select = el("mark");
    DATA.marks.forEach(function (mark) {
      var option = document.createElement("option");
      option.value = mark.id;
      option.textContent = mark.price_text + ": " + mark.label + " (" + mark.reported_on + ")";
      select.appendChild(option);
    });
    var talks = el("talks-list");
    DATA.talks.forEach(function (talk) {
      var li = document.createElement("li");
      li.textContent = talk.stated + ", " + talk.deal + " (in talks, reported " + talk.reported_on + ")";
      talks.appendChild(li);
    });
    var sources = el("sources-list");
    DATA.marks.forEach(function (mark) {
      var li = document.createElement("li");
      li.appendChild(document.createTextNode(mark.price_text + " (" + mark.label + "): "));
      sourceLine(li, mark.sources);
      sources.appendChild(li);
    });
    var li = document.createElement("li");
    li.appendChild(document.createTextNode("Listing, " + DATA.listing_figure.stated + " (" + DATA.listing_figure.status + ", " + DATA.listing_figure.reported_on + "): "));
    sourceLine(li, DATA.listing_figure.sources);
    sources.appendChild(li);
  }

  function setDefaults(fromQuery) {
    // a link can carry its own inputs: explorer.html?listing=1500&dilution=10&mark=...
    var query = new URLSearchParams(fromQuery ? window.location.search : "");
    el("mark").value = DATA.defaults.mark;
    if (query.has("mark") && DATA.marks.some(function (m) { return m.id === query.get("mark"); })) {
      el("mark").value = query.get("mark");
    }
    CONTROLS.forEach(function (c) {
      var limits = DATA.limits[c.key];
      var value = DATA.defaults[c.key] * (limits.percent ? 100 : 1);
      // 0.1 * 100 is 10.000000000000002 in binary: show the default as the notebook writes it
      var text = String(Number(value.toPrecision(12)));
      el(c.id).value = query.has(c.id) ? query.get(c.id) : text;
      el(c.id + "-slider").value = el(c.id).value;
    });
  }

  function wire() {
    el("mark").addEventListener("change", render);
    CONTROLS.forEach(function (c) {
      var field = el(c.id);
      var slider = el(c.id + "-slider");
      field.addEventListener("input", function () {
        slider.value = field.value;
        render();
      });
      slider.addEventListener("input", function () {
        field.value = slider.value;
        render();
      });
    });
    el("reset").addEventListener("click", function () {
      setDefaults(false);
      render();
    });
  }

  // the number formats, for the browser test that compares them with Python's on awkward values (ties, 1.00x)
  window.whatIfFormat = { shown: shown, money: money };

  buildHead();
  buildLists();
  setDefaults(true);
  wire();
  render();
  document.documentElement.setAttribute("data-ready", "true");
})();
