/* django-modeltranslation's tabbed admin puts a select of the languages' codes, with no
   label, inside the change form's <h1> (tabbed_translation_fields.js), where it becomes
   part of the heading. This moves it under the heading, labels it and names the
   languages, from this script element's data-label and data-language-<code>.
   modeltranslation opens the tabs in the page's language but leaves the select on its
   first option ("Français" over English tabs): the select shows the language of the
   tabs, on load and whenever a tab is switched (choosing in the select switches them).
   modeltranslation also writes each tab as its language's code ("en", named "en •"
   when its field holds an error) and takes the code out of the fields' labels ("Nom
   [fr]" becomes "Nom"), so that both languages' fields read alike: each tab is written
   as its language's name in the admin's language (data-tab-<code>: "Anglais"), a tab
   holding an error says so in words (data-tab-error-<code>: "Anglais, contient une
   erreur"), and each field's label names its language, for screen readers, after its
   words (data-field-<code>: "Nom (français) :").
   Run after modeltranslation's own jQuery ready handler, which was registered first. */
(function () {
  "use strict";
  var texts = document.currentScript;
  var jQuery = window.jQuery || (window.django && window.django.jQuery);
  if (!jQuery || !texts) { return; }
  // A record being added: its tabs open on the first language (French), the one
  // every record must have and its address is made of, not the admin's. Staff in
  // the English admin typed the English name alone and were told twice that a
  // hidden field was missing. Read by modeltranslation's ready handler, later.
  if (texts.hasAttribute("data-open-first-language")) {
    window.MODELTRANSLATION_AUTO_SELECT_CURRENT_LANGUAGE = false;
  }

  function hiddenText(text) {
    var span = document.createElement("span");
    span.className = "visually-hidden";
    span.textContent = text;
    return span;
  }

  // A tab's text is its language's code, as the select's options were: kept in
  // data-language, the select's link to it.
  function nameTabs() {
    document.querySelectorAll(".ui-tabs [role=tab]:not([data-language])").forEach(function (tab) {
      var anchor = tab.querySelector(".ui-tabs-anchor");
      var code = anchor && anchor.textContent.trim();
      var name = code && texts.getAttribute("data-tab-" + code);
      if (!name) { return; }
      tab.dataset.language = code;
      anchor.removeAttribute("title");  // the name the tab now shows
      anchor.textContent = name;
      var error = texts.getAttribute("data-tab-error-" + code);
      if (tab.classList.contains("ui-tab-has-errors") && error) {
        var shown = document.createElement("span");
        shown.setAttribute("aria-hidden", "true");
        shown.textContent = name;
        anchor.replaceChildren(shown, hiddenText(error));
      }
    });
  }

  // A translated field's language, from modeltranslation's class "mt-field-<name>-<code>".
  function languageOf(field) {
    var found = Array.prototype.find.call(field.classList, function (name) {
      return name.indexOf("mt-field-") === 0;
    });
    return found ? found.split("-").pop().replace("_", "-") : null;
  }

  // After the label's words, before its colon: "Nom (français) :".
  function nameFieldLanguages() {
    document.querySelectorAll(".mt[id]").forEach(function (field) {
      var code = languageOf(field);
      var language = code && texts.getAttribute("data-field-" + code);
      var label = document.querySelector('label[for="' + CSS.escape(field.id) + '"]');
      if (!language || !label || label.querySelector(".field-language")) { return; }
      var suffix = hiddenText(" (" + language + ")");
      suffix.classList.add("field-language");
      var last = label.lastChild;
      var colon = last && last.nodeType === Node.TEXT_NODE && /[\s\u00a0]*:[\s\u00a0]*$/.exec(last.data);
      label.insertBefore(suffix, colon ? last.splitText(colon.index) : null);
    });
  }

  jQuery(function () {
    nameTabs();
    nameFieldLanguages();
    // Tabs made later: a row added to an inline holding translated fields.
    jQuery(document).on("tabscreate", function () {
      nameTabs();
      nameFieldLanguages();
    });
    var select = document.getElementById("modeltranslation-main-switch");
    var heading = select && select.closest("h1");
    if (!heading) { return; }
    Array.prototype.forEach.call(select.options, function (option) {
      var code = option.textContent.trim();
      var name = texts.getAttribute("data-language-" + code);
      option.lang = code;
      if (name) {
        option.textContent = name;
      }
    });

    function showLanguageOf(tab) {
      var code = tab && tab.dataset.language;
      var option = Array.prototype.find.call(select.options, function (option) {
        return option.lang === code;
      });
      if (option) {
        select.value = option.value;
      }
    }
    showLanguageOf(document.querySelector(".ui-tabs-active"));
    jQuery(document).on("tabsactivate", function (event, ui) {
      showLanguageOf(ui.newTab[0]);
    });
    var label = document.createElement("label");
    label.htmlFor = select.id;
    label.textContent = texts.dataset.label + " ";
    var wrapper = document.createElement("p");
    wrapper.className = "translation-switch";
    wrapper.append(label, select);
    // modeltranslation put a non-breaking space before the select.
    var last = heading.lastChild;
    if (last && last.nodeType === Node.TEXT_NODE && last.data.trim() === "") {
      last.remove();
    }
    var subtitle = heading.nextElementSibling;
    (subtitle && subtitle.tagName === "H2" ? subtitle : heading).after(wrapper);
  });
})();
