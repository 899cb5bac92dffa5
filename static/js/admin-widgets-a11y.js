/* Every back-office page. Names and roles for the third-party widgets, which axe-core finds wanting:
   - The fields of an inline table have column headers but no labels: each is named by
     its column's header.
   - select2 puts the "Remove all items" cross of a many-to-many picker that may be
     emptied straight into the list of its choices (ul > span): it is wrapped in an item
     of its own. The cross stays inside the list, which select2 empties before drawing
     it again, and inside the selection, where select2 listens for its clicks.
   - select2 (Django's autocomplete pickers) names its combobox after the value shown, so
     an empty picker has no name: it is given the field's label. Its search fields have
     none, the one inside a many-to-many picker and the one its list opens with (put at
     the end of the page, out of the picker): each is named "Search: <the field>", from
     this script element's data-search-label, and its list of choices after the field,
     which the combobox is said to control.
   - jQuery UI's tabs (modeltranslation's languages) put a link inside each tab, a focusable
     control inside another. The link loses its href, and jQuery UI is told that such a tab
     shows a panel of the page (it would fetch the link's address otherwise); clicks and
     the arrow keys still switch the tabs.
   - The filter of a two-list picker (filter_horizontal) is labelled by an icon that has
     an aria-label but no role, which ARIA ignores: it is given the role of an image.
   - The "Select all" checkbox of the export form has no id for its label to name.
   - A tabular inline's first column (the record a row holds) has an empty header: it is
     named, for screen readers, from this script element's data-original-label.
   - A row added to an inline ("Add another …") takes the focus to its first field: the
     focus stayed on the link, under the new row, five Shift+Tab away from it.
   - A form sent back with errors takes the focus to its note ("Please correct the errors
     below."), which lists nothing itself but comes first: the focus was left on the page,
     and keyboard and screen reader users started from its top, told nothing.
   - Django's calendar and clock (DateTimeShortcuts.js) open from an icon link, but
     leave the focus on it: the next Tab went to the next field, and the days, links at
     the end of the page, were out of reach of the keyboard. Typing the date is the
     way for the keyboard, its format said under the field (partners.admin_forms.
     FormatHint): the icons are taken out of the tab order and hidden from assistive
     technologies, as the bar before them; "Today" and "Now" stay, and a click on an
     icon still opens its calendar or clock.
   Widgets appear as the page runs (an inline row added, a picker's choices changed): a
   MutationObserver names them as they come. */
(function () {
  "use strict";
  var texts = document.currentScript;

  // Called once the page's scripts have loaded (this one comes before them).
  function teachTabs() {
    var jQuery = window.jQuery || (window.django && window.django.jQuery);
    if (!jQuery || !jQuery.ui || !jQuery.ui.tabs) { return; }
    var isLocal = jQuery.ui.tabs.prototype._isLocal;
    jQuery.ui.tabs.prototype._isLocal = function (anchor) {
      return !anchor.hasAttribute("href") || isLocal.call(this, anchor);
    };
  }

  // The id of the element that names a form control: its label, or in an inline table
  // (which has column headers, no labels) its column's header.
  function labelId(control) {
    var label = control.id && document.querySelector('label[for="' + control.id + '"]');
    if (label) {
      if (!label.id) { label.id = control.id + "-label"; }
      return label.id;
    }
    var cell = control.closest(".tabular td");
    var table = cell && cell.closest("table");
    var group = cell && cell.closest(".inline-group[id]");
    if (!table || !group) { return null; }
    var column = null;
    if (cell.classList.contains("delete")) {
      column = table.querySelector("thead th:last-child");
    } else {
      Array.prototype.some.call(cell.classList, function (name) {
        if (name.indexOf("field-") !== 0) { return false; }
        column = table.querySelector("thead th.column-" + CSS.escape(name.slice(6)));
        return true;
      });
    }
    if (!column || !column.textContent.trim()) { return null; }
    if (!column.id) { column.id = group.id + "-" + (column.className.split(" ")[0] || "delete"); }
    return column.id;
  }

  function nameTableControls(root) {
    var controls = ".tabular tbody td input:not([type=hidden]), .tabular tbody td select:not(.admin-autocomplete), .tabular tbody td textarea";
    root.querySelectorAll(controls).forEach(function (control) {
      if (control.labels.length || control.hasAttribute("aria-labelledby")) { return; }
      var id = labelId(control);
      if (id) { control.setAttribute("aria-labelledby", id); }
    });
  }

  // The text of a field's label or column header, without the label's colon.
  function fieldName(id) {
    return document.getElementById(id).textContent.replace(/[\s\u00a0]*:?[\s\u00a0]*$/, "").trim();
  }

  // Names an element select2 left unnamed, by a text of ours.
  function setName(element, name) {
    if (element.getAttribute("aria-label") !== name) {
      element.removeAttribute("aria-labelledby");
      element.setAttribute("aria-label", name);
    }
  }

  function namePickers(root) {
    var jQuery = window.django && window.django.jQuery;
    var search = texts && texts.dataset.searchLabel;
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var container = select.nextElementSibling;
      var id = labelId(select);
      if (!id || !container || !container.classList.contains("select2-container")) { return; }
      var rendered = container.querySelector(".select2-selection__rendered[id]");
      var combobox = container.querySelector(".select2-selection[role=combobox]");
      if (combobox) {
        var names = rendered ? id + " " + rendered.id : id;
        if (combobox.getAttribute("aria-labelledby") !== names) {
          combobox.setAttribute("aria-labelledby", names);
        }
      }
      if (rendered && rendered.getAttribute("role") === "textbox") {
        rendered.setAttribute("aria-labelledby", id);
      }
      // The list a picker opens, out of the page until it opens: reached through
      // select2's own object, so that it is named before it is shown.
      var name = fieldName(id);
      var picker = jQuery && jQuery(select).data("select2");
      var dropdown = picker && picker.$dropdown && picker.$dropdown[0];
      [container, dropdown].forEach(function (part) {
        if (!part) { return; }
        part.querySelectorAll(".select2-search__field").forEach(function (field) {
          setName(field, search ? search + " " + name : name);
        });
        part.querySelectorAll(".select2-results__options[role=listbox]").forEach(function (list) {
          setName(list, name);
          // ARIA asks an open combobox for the list it controls.
          if (combobox && list.id && combobox.getAttribute("aria-controls") !== list.id) {
            combobox.setAttribute("aria-controls", list.id);
          }
        });
      });
      container.querySelectorAll("ul.select2-selection__rendered > .select2-selection__clear")
        .forEach(function (cross) {
          var item = document.createElement("li");
          item.className = "select2-selection__clear-item";
          cross.parentNode.insertBefore(item, cross);
          item.appendChild(cross);
        });
    });
  }

  function flattenTabs(root) {
    root.querySelectorAll("[role=tab] > a.ui-tabs-anchor[href]").forEach(function (anchor) {
      anchor.removeAttribute("href");
      anchor.removeAttribute("tabindex");
    });
  }

  function quietDateIcons(root) {
    root.querySelectorAll(".datetimeshortcuts > a[id^=calendarlink]:not([tabindex]), " +
      ".datetimeshortcuts > a[id^=clocklink]:not([tabindex])").forEach(function (link) {
      link.tabIndex = -1;
      link.setAttribute("aria-hidden", "true");
      var bar = link.previousSibling;
      if (bar && bar.nodeType === Node.TEXT_NODE && bar.data.indexOf("|") !== -1) {
        var hidden = document.createElement("span");
        hidden.setAttribute("aria-hidden", "true");
        bar.replaceWith(hidden);
        hidden.appendChild(bar);
      }
    });
  }

  function nameFilterIcons(root) {
    root.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  // django-import-export's "Select all" label points at an id its checkbox lacks.
  function nameSelectAllToggles(root) {
    root.querySelectorAll("input.select-toggle:not([id])").forEach(function (toggle, index) {
      var label = toggle.nextElementSibling;
      if (!label || label.tagName !== "LABEL") { return; }
      toggle.id = "select-all-toggle-" + index;
      label.htmlFor = toggle.id;
    });
  }

  function nameOriginalColumns(root) {
    var name = texts && texts.dataset.originalLabel;
    if (!name) { return; }
    root.querySelectorAll("thead th.original").forEach(function (header) {
      if (header.textContent.trim()) { return; }
      var text = document.createElement("span");
      text.className = "visually-hidden";
      text.textContent = name;
      header.appendChild(text);
    });
  }

  function fix() {
    var content = document.getElementById("content") || document.body;
    namePickers(content);
    nameTableControls(content);
    flattenTabs(content);
    quietDateIcons(content);
    nameFilterIcons(content);
    nameSelectAllToggles(content);
    nameOriginalColumns(content);
  }

  function start() {
    fix();
    var pending = false;
    new MutationObserver(function () {
      // One pass per burst of changes (select2 rebuilds several nodes at once).
      if (pending) { return; }
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        fix();
      });
    }).observe(document.getElementById("content") || document.body, {
      childList: true,
      subtree: true,
    });
  }

  // The first field of a row just added: a picker's select2 box, else a control.
  var FIRST_FIELD = ".select2-selection, input:not([type=hidden]), " +
    "select:not(.select2-hidden-accessible), textarea";

  document.addEventListener("formset:added", function (event) {
    var row = event.target;
    // After select2 has built its box in the row (its handler runs on the same event).
    window.setTimeout(function () {
      var field = row.querySelector && row.querySelector(FIRST_FIELD);
      if (field) { field.focus(); }
    }, 0);
  });

  // Before the widgets' own ready handlers (select2, modeltranslation): what they build
  // is named as it comes.
  document.addEventListener("DOMContentLoaded", function () {
    teachTabs();
    start();
    var note = document.querySelector("#content-main form .errornote");
    if (note) {
      note.tabIndex = -1;
      // Once the page has loaded: Django's change_form.js, loaded async, focuses an
      // add form's first field whenever it runs, and took the focus back at times.
      window.addEventListener("load", function () { note.focus(); });
    }
  });
})();
