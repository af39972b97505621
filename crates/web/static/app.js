/* kaohe — progressive enhancement only; every page works without this file.
   1. form[data-confirm]: ask before submitting.
   2. button[data-confirm]: ask before the click submits.
   3. [data-autosubmit]: submit the enclosing form on change (filter bars).
   4. [data-rows] with [data-row] children: 「添加一行」 ([data-add-row=<id>]) and 「删除」
      ([data-remove-row]); without script the page offers a few empty rows instead.
   5. input[data-region-picker]: province → city → county <select>s filled from
      GET /api/v1/regions, writing the 6-digit code into the input (which stays typeable).
   A confirmation is asked only when the form would pass the browser's own checks
   (required fields), so nobody confirms a form that is then refused.
   Written in ES5 with event delegation, so it is safe on older browsers and on
   pages that have none of these elements. */
(function () {
  'use strict';

  if (!document.addEventListener) { return; }

  // Nearest ancestor-or-self element matching a tag name (upper case) that has the attribute.
  function closestWith(node, tagName, attr) {
    while (node && node.nodeType === 1) {
      if (node.tagName === tagName && node.hasAttribute(attr)) { return node; }
      node = node.parentNode;
    }
    return null;
  }

  // A form whose submission a confirmed button already approved, so the
  // form-level question (if any) is not asked a second time.
  var approvedForm = null;

  // The form would be refused by the browser's own checks (required, pattern …): let the browser
  // show why, and ask nothing yet.
  function incomplete(form) {
    return !!(form && !form.noValidate && typeof form.checkValidity === 'function' && !form.checkValidity());
  }

  document.addEventListener('click', function (event) {
    var button = closestWith(event.target, 'BUTTON', 'data-confirm');
    if (!button || button.disabled) { return; }
    if (!button.formNoValidate && incomplete(button.form)) { return; }
    if (!window.confirm(button.getAttribute('data-confirm'))) {
      event.preventDefault();
      return;
    }
    approvedForm = button.form || null;
    // The submit event (if any) fires synchronously during this click's
    // default action; forget the approval afterwards either way.
    window.setTimeout(function () { approvedForm = null; }, 0);
  }, false);

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form || form.tagName !== 'FORM' || !form.hasAttribute('data-confirm')) { return; }
    if (form === approvedForm) { approvedForm = null; return; }
    if (incomplete(form)) {
      event.preventDefault();
      if (typeof form.reportValidity === 'function') { form.reportValidity(); }
      return;
    }
    if (!window.confirm(form.getAttribute('data-confirm'))) {
      event.preventDefault();
    }
  }, false);

  document.addEventListener('change', function (event) {
    var el = event.target;
    if (!el || el.nodeType !== 1 || !el.hasAttribute('data-autosubmit')) { return; }
    var form = el.form || null;
    if (!form) { return; }
    var proto = window.HTMLFormElement && window.HTMLFormElement.prototype;
    // requestSubmit runs validation and fires the submit event; the prototype
    // call avoids a control named "submit" shadowing the method.
    if (proto && typeof proto.requestSubmit === 'function') {
      proto.requestSubmit.call(form);
    } else if (proto) {
      proto.submit.call(form);
    } else {
      form.submit();
    }
  }, false);

  // ---- 4. Rows added and removed -------------------------------------------------------------

  function rowsOf(container) {
    var out = [];
    for (var i = 0; i < container.children.length; i++) {
      if (container.children[i].hasAttribute('data-row')) { out.push(container.children[i]); }
    }
    return out;
  }

  // Give row `row` the number n (0-based) in its ids, labels and the 序号 cell.
  function numberRow(row, n) {
    var els = row.querySelectorAll('[id], label[for], [aria-label], [data-row-label], td.num');
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (el.id) { el.id = el.id.replace(/_\d+$/, '_' + n); }
      if (el.htmlFor) { el.htmlFor = el.htmlFor.replace(/_\d+$/, '_' + n); }
      if (el.hasAttribute('aria-label')) {
        el.setAttribute('aria-label', el.getAttribute('aria-label').replace(/第 \d+ 行/, '第 ' + (n + 1) + ' 行'));
      }
      if (el.hasAttribute('data-row-label')) {
        el.textContent = el.getAttribute('data-row-label').replace('{n}', String(n + 1));
      }
      if (el.tagName === 'TD' && el.className === 'num') { el.textContent = String(n + 1); }
    }
  }

  function renumber(container) {
    var rows = rowsOf(container);
    for (var i = 0; i < rows.length; i++) { numberRow(rows[i], i); }
  }

  function clearRow(row) {
    var inputs = row.querySelectorAll('input, textarea, select');
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].type === 'checkbox' || inputs[i].type === 'radio') { inputs[i].checked = false; }
      else if (inputs[i].type !== 'hidden' && inputs[i].type !== 'button') { inputs[i].value = ''; }
      inputs[i].className = inputs[i].className.replace(/\binvalid\b/g, '');
    }
    var errors = row.querySelectorAll('.field-error');
    for (var j = errors.length - 1; j >= 0; j--) { errors[j].parentNode.removeChild(errors[j]); }
  }

  function enableRows() {
    var containers = document.querySelectorAll('[data-rows]');
    for (var i = 0; i < containers.length; i++) {
      var table = containers[i].parentNode;
      var hidden = (table && table.tagName === 'TABLE' ? table : containers[i]).querySelectorAll('[hidden]');
      for (var j = 0; j < hidden.length; j++) { hidden[j].removeAttribute('hidden'); }
    }
    var adders = document.querySelectorAll('[data-add-row]');
    for (var k = 0; k < adders.length; k++) { adders[k].removeAttribute('hidden'); }
  }

  document.addEventListener('click', function (event) {
    var add = closestWith(event.target, 'BUTTON', 'data-add-row');
    if (add) {
      var container = document.getElementById(add.getAttribute('data-add-row'));
      var rows = container ? rowsOf(container) : [];
      if (!rows.length) { return; }
      var copy = rows[rows.length - 1].cloneNode(true);
      clearRow(copy);
      container.appendChild(copy);
      numberRow(copy, rows.length);
      var first = copy.querySelector('input, textarea');
      if (first) { first.focus(); }
      return;
    }
    var remove = closestWith(event.target, 'BUTTON', 'data-remove-row');
    if (remove) {
      var row = remove.parentNode;
      while (row && !(row.nodeType === 1 && row.hasAttribute('data-row'))) { row = row.parentNode; }
      if (!row) { return; }
      var box = row.parentNode;
      if (rowsOf(box).length > 1) { box.removeChild(row); } else { clearRow(row); }
      renumber(box);
    }
  }, false);

  // ---- 5. Region picker ----------------------------------------------------------------------

  var regionCache = {};

  function regions(parent, done) {
    var key = parent || '';
    if (regionCache[key]) { done(regionCache[key]); return; }
    var xhr = new XMLHttpRequest();
    xhr.open('GET', '/api/v1/regions' + (parent ? '?parent=' + encodeURIComponent(parent) : ''));
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.onload = function () {
      if (xhr.status !== 200) { return; }
      try { regionCache[key] = JSON.parse(xhr.responseText).regions || []; } catch (e) { return; }
      done(regionCache[key]);
    };
    xhr.send();
  }

  function fillSelect(select, list, prompt, chosen) {
    while (select.options.length) { select.remove(0); }
    select.add(new Option(prompt, ''));
    for (var i = 0; i < list.length; i++) {
      select.add(new Option(list[i].name, list[i].code, false, list[i].code === chosen));
    }
    select.disabled = list.length === 0;
  }

  function regionPicker(input) {
    var fixed = input.getAttribute('data-region-province') || '';
    var wrap = document.createElement('div');
    wrap.className = 'region-picker';
    var label = input.id ? (document.querySelector('label[for="' + input.id + '"]') || {}).textContent || '' : '';
    var names = ['省', '市州', '县（市、区）'];
    var selects = [];
    for (var i = 0; i < 3; i++) {
      var s = document.createElement('select');
      s.setAttribute('aria-label', (label ? label + '：' : '') + names[i]);
      if (i === 0 && fixed) { s.hidden = true; }
      selects.push(s);
      wrap.appendChild(s);
    }
    input.parentNode.insertBefore(wrap, input);
    var nameBox = input.id ? document.getElementById(input.id + '_name') : null;

    function codeAt(code, level) {
      if (!/^\d{6}$/.test(code)) { return ''; }
      if (level === 0) { return code.slice(0, 2) + '0000'; }
      if (level === 1) { return code.slice(4) === '00' && code.slice(2) === '0000' ? '' : code.slice(0, 4) + '00'; }
      return code.slice(4) === '00' ? '' : code;
    }
    function describe() {
      if (!nameBox) { return; }
      var parts = [];
      for (var i = fixed ? 1 : 0; i < 3; i++) {
        var o = selects[i].options[selects[i].selectedIndex];
        if (o && o.value) { parts.push(o.text); }
      }
      nameBox.textContent = parts.join('');
    }
    function load(level, parent, chosen) {
      regions(parent, function (list) {
        fillSelect(selects[level], list, level === 0 ? '请选择省份' : level === 1 ? '请选择市州' : '请选择县（市、区）', chosen[level]);
        if (level < 2 && chosen[level]) { load(level + 1, chosen[level], chosen); }
        else {
          for (var j = level + 1; j < 3; j++) { fillSelect(selects[j], [], '', ''); }
          describe();
        }
      });
    }
    function sync() {
      var code = input.value.replace(/\s/g, '');
      var chosen = [codeAt(code, 0) || fixed, codeAt(code, 1), codeAt(code, 2)];
      if (fixed) { chosen[0] = fixed; }
      load(0, '', chosen);
    }
    function picked(level) {
      var code = selects[level].value;
      var chosen = [selects[0].value, level >= 1 ? selects[1].value : '', level >= 2 ? selects[2].value : ''];
      // The deepest choice is the code; an emptied level falls back to the one above it (not the province).
      var value = chosen[2] || chosen[1] || (fixed ? '' : chosen[0]);
      input.value = value;
      if (level < 2 && code) { load(level + 1, code, chosen); }
      else {
        for (var j = level + 1; j < 3; j++) { fillSelect(selects[j], [], '', ''); }
        describe();
      }
    }
    for (var k = 0; k < 3; k++) {
      (function (level) {
        selects[level].addEventListener('change', function () { picked(level); }, false);
      })(k);
    }
    input.addEventListener('change', sync, false);
    sync();
  }

  function start() {
    enableRows();
    var inputs = document.querySelectorAll('input[data-region-picker]');
    for (var i = 0; i < inputs.length; i++) { regionPicker(inputs[i]); }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start, false);
  } else {
    start();
  }
})();
