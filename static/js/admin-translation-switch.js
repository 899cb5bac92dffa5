/* django-modeltranslation's tabbed admin puts a select of the languages' codes, with no
   label, inside the change form's <h1> (tabbed_translation_fields.js), where it becomes
   part of the heading. This moves it under the heading, labels it and names the
   languages, from this script element's data-label and data-language-<code>.
   modeltranslation opens the tabs in the page's language but leaves the select on its
   first option ("Français" over English tabs): the select shows the language of the
   tabs, on load and whenever a tab is switched (choosing in the select switches them).
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

  jQuery(function () {
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

    // A tab's text is its language's code, as the select's options were.
    function showLanguageOf(tab) {
      var code = tab && tab.textContent.trim();
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
