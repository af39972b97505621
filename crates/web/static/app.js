/* kaohe — progressive enhancement only; every page works without this file.
   1. form[data-confirm]: ask before submitting.
   2. button[data-confirm]: ask before the click submits.
   3. [data-autosubmit]: submit the enclosing form on change (filter bars).
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

  document.addEventListener('click', function (event) {
    var button = closestWith(event.target, 'BUTTON', 'data-confirm');
    if (!button || button.disabled) { return; }
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
})();
