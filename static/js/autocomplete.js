/* Partner suggestions: a text field of a filter form becomes a combobox (WAI-ARIA 1.2
   combobox with a listbox popup, list autocomplete with manual selection).
   The template wraps the form in an element carrying the endpoint and the texts:
   <div data-autocomplete-url="/fr/partners/names.json" data-autocomplete-field="id_q"
        data-autocomplete-label="…" data-autocomplete-none="…"
        data-autocomplete-one="{count} …" data-autocomplete-many="{count} …"
        data-autocomplete-close="…">
   The endpoint answers {"results": [{"name", "name_marks", "lang", "acronym", "city",
   "country", "url"}], "close"}, name_marks being where the name holds the words typed
   ([start, end] in the name), which are marked; "close" when no name holds every word
   typed: the list is captioned so, in its label and above its options. Down and Up move through the suggestions, Enter
   opens the partner's page, Escape closes the list and Tab leaves it; Enter with no
   suggestion highlighted submits the form. Without JavaScript the field stays a plain field of the form. */
(function () {
  "use strict";
  if (!window.fetch || !window.AbortController) { return; }

  var DELAY = 200; // milliseconds of quiet typing before asking the server
  var MIN_LENGTH = 2;

  function setUp(wrapper) {
    var texts = wrapper.dataset;
    var input = document.getElementById(texts.autocompleteField);
    if (!input) { return; }
    var listId = input.id + "-suggestions";
    // The field's own limit (maxlength), which the endpoint shares: longer is refused.
    var maxLength = input.maxLength >= 0 ? input.maxLength : Infinity;

    var listbox = document.createElement("ul");
    listbox.id = listId;
    listbox.className = "autocomplete__list";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", texts.autocompleteLabel);
    listbox.hidden = true;
    // Created now, filled later: screen readers only announce changes to a live
    // region that was already in the page.
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    input.parentElement.classList.add("autocomplete");
    input.after(listbox, status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off"); // no browser history over our list

    var results = []; // the suggestions in the list, for the text `shownText`
    var shownText = null;
    var active = -1; // the index of the highlighted suggestion, -1 for none
    var timer = null;
    var request = null;

    function isOpen() { return !listbox.hidden; }

    function open() {
      if (!results.length) { return; }
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      place();
    }

    // The list is wider than a narrow field: under a field near the right edge of
    // the window it would stick out past it, so it is aligned on the field's right.
    function place() {
      listbox.classList.remove("autocomplete__list--end");
      if (listbox.getBoundingClientRect().right > document.documentElement.clientWidth) {
        listbox.classList.add("autocomplete__list--end");
      }
    }

    function close() {
      highlight(-1);
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function highlight(index) {
      var previous = listbox.children[active];
      if (previous) { previous.setAttribute("aria-selected", "false"); }
      var option = listbox.children[index];
      if (option) {
        active = index;
        option.setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", option.id);
        reveal(option);
      } else {
        active = -1;
        input.removeAttribute("aria-activedescendant");
      }
    }

    // Scroll the list, then the page only up or down, to show the option:
    // scrollIntoView could scroll the page sideways.
    function reveal(option) {
      var top = option.offsetTop;
      var bottom = top + option.offsetHeight;
      if (top < listbox.scrollTop) {
        listbox.scrollTop = top;
      } else if (bottom > listbox.scrollTop + listbox.clientHeight) {
        listbox.scrollTop = bottom - listbox.clientHeight;
      }
      var box = option.getBoundingClientRect();
      if (box.bottom > window.innerHeight) {
        window.scrollBy(0, box.bottom - window.innerHeight);
      } else if (box.top < 0) {
        window.scrollBy(0, box.top);
      }
    }

    function announce(count, closeNames) {
      var message = "";
      if (count === 0) {
        message = texts.autocompleteNone;
      } else if (count > 0) {
        message = (count === 1 ? texts.autocompleteOne : texts.autocompleteMany)
          .replace("{count}", count);
        if (closeNames) { message = texts.autocompleteClose + " " + message; }
      }
      status.textContent = message;
    }

    // Close names only: the list says so, to sight (its caption, drawn by the
    // stylesheet from data-caption) and to screen readers (its label).
    function caption(closeNames) {
      if (closeNames) {
        listbox.dataset.caption = texts.autocompleteClose;
        listbox.setAttribute("aria-label", texts.autocompleteClose);
      } else {
        delete listbox.dataset.caption;
        listbox.setAttribute("aria-label", texts.autocompleteLabel);
      }
    }

    // Appends `text` to `element`, its `marks` ([start, end] pairs, in order) in <mark>.
    function marked(element, text, marks) {
      var shown = 0;
      marks.forEach(function (span) {
        var mark = document.createElement("mark");
        mark.textContent = text.slice(span[0], span[1]);
        element.append(text.slice(shown, span[0]), mark);
        shown = span[1];
      });
      element.append(text.slice(shown));
    }

    function option(result, index) {
      var item = document.createElement("li");
      item.id = listId + "-" + index;
      item.className = "autocomplete__option";
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      var name = document.createElement("span");
      name.className = "autocomplete__name";
      marked(name, result.name, result.name_marks || []);
      // A name missing in the page's language is shown in the other one.
      if (result.lang && result.lang !== document.documentElement.lang) {
        name.lang = result.lang;
      }
      item.appendChild(name);
      if (result.acronym) {
        item.appendChild(document.createTextNode(" (" + result.acronym + ")"));
      }
      var place = [result.city, result.country].filter(Boolean).join(", ");
      if (place) {
        var meta = document.createElement("span");
        meta.className = "autocomplete__meta";
        meta.textContent = place;
        // The comma separates name and place when the option is read aloud. At the
        // end of the name's line, unseen: in the place's box, or hidden the usual
        // way (a box of its own), it was read with a space before, "(Penn) ,".
        var comma = document.createElement("span");
        comma.className = "autocomplete__comma";
        comma.textContent = ", ";
        item.append(comma, meta);
      }
      item.addEventListener("click", function () { follow(index); });
      return item;
    }

    function show(text, found, closeNames) {
      results = found;
      caption(closeNames && found.length > 0);
      shownText = text;
      active = -1;
      input.removeAttribute("aria-activedescendant");
      listbox.replaceChildren.apply(listbox, found.map(option));
      if (document.activeElement !== input) {
        close(); // the visitor has moved on meanwhile
        return;
      }
      if (found.length) {
        open();
      } else {
        close();
      }
      announce(found.length, closeNames);
    }

    function clear() {
      results = [];
      shownText = null;
      listbox.replaceChildren();
      close();
      announce(-1);
    }

    function follow(index) {
      var result = results[index];
      if (result) { window.location.assign(result.url); }
    }

    function suggest() {
      clearTimeout(timer);
      var text = input.value.trim();
      if (text === shownText) {
        open();
        return;
      }
      if (request) { request.abort(); }
      if (text.length < MIN_LENGTH || text.length > maxLength) {
        clear();
        return;
      }
      var controller = new AbortController();
      request = controller;
      var address = texts.autocompleteUrl + "?" + new URLSearchParams({ q: text });
      fetch(address, { headers: { Accept: "application/json" }, signal: controller.signal })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (data) { show(text, data.results || [], Boolean(data.close)); })
        .catch(function () {
          // Aborted by newer typing, or failed: the form still searches on submit.
          if (!controller.signal.aborted) { clear(); }
        });
    }

    input.addEventListener("input", function () {
      highlight(-1);
      clearTimeout(timer);
      timer = setTimeout(suggest, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      if (event.isComposing) { return; }
      var count = results.length;
      switch (event.key) {
        case "ArrowDown":
        case "ArrowUp":
          event.preventDefault();
          if (!isOpen()) {
            if (input.value.trim() !== shownText) {
              suggest(); // ask at once rather than after the delay
              return;
            }
            open();
            if (event.altKey || !count) { return; }
            highlight(event.key === "ArrowDown" ? 0 : count - 1);
          } else if (event.key === "ArrowDown") {
            highlight(active + 1 < count ? active + 1 : 0);
          } else {
            highlight(active > 0 ? active - 1 : count - 1);
          }
          break;
        case "Enter":
          if (isOpen() && active >= 0) {
            event.preventDefault();
            follow(active);
          } else {
            close(); // and the form is submitted
          }
          break;
        case "Escape":
          if (isOpen()) {
            event.preventDefault();
            close();
          }
          break;
        case "Tab":
          close();
          break;
        case "ArrowLeft":
        case "ArrowRight":
        case "Home":
        case "End":
          highlight(-1); // the caret moves in the field again
          break;
      }
    });

    // Keep the focus in the field when a suggestion is pressed, so that it is not
    // closed (blur) before its click arrives.
    listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    input.addEventListener("blur", close);
    // Coming back to the page from the history: no list left open.
    window.addEventListener("pageshow", close);
    window.addEventListener("resize", function () {
      if (isOpen()) { place(); }
    });
  }

  document.querySelectorAll("[data-autocomplete-url]").forEach(setUp);
})();
