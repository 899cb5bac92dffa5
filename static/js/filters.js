/* A list's filter form sends the filters chosen only: "/fr/partners/?country=BR" rather
   than "/fr/partners/?q=&country=BR&kind=&ordering=name". The address is shorter to share,
   and the page cache keeps one copy of what is one list. Fields left empty are disabled
   while the form is sent (disabled fields are not sent), then enabled again for when the
   visitor comes back to this page. Without JavaScript every field is sent, which the list
   reads the same. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.filters")) { return; }
    var named = Array.prototype.filter.call(form.elements, function (field) {
      return field.name && !field.disabled;
    });
    var emptied = named.filter(function (field) { return field.value === ""; });
    if (emptied.length === named.length) {
      // Nothing chosen: the list itself, not its address with a "?" and nothing after.
      event.preventDefault();
      window.location.assign(window.location.pathname);
      return;
    }
    emptied.forEach(function (field) { field.disabled = true; });
    // The form's data are read once this event is over: enable them again after.
    window.setTimeout(function () {
      emptied.forEach(function (field) { field.disabled = false; });
    }, 0);
  });
  // On a phone, a list's filters fold under their summary while none is chosen or
  // wrong (the template marks them so): the first results come first, not two
  // screens down. On a wider screen they are open, their summary hidden; and so
  // without JavaScript, as the page writes them.
  // Folded before the browser first draws them: this script is not deferred but
  // read in the page's <head> (templates/includes/filters_head.html), and watches
  // the page being read. An observer's callback runs as soon as the parser has
  // added the form, before the browser may draw again: the filters are never seen
  // open, then folded, the results jumping up. Not inline (the Content Security
  // Policy runs none), nor with CSS hiding them until a deferred script folds them
  // (open to assistive technologies meanwhile, and stuck hidden if it never came).
  var narrow = window.matchMedia("(max-width: 40rem)");
  function fold() {
    var marked = document.querySelectorAll("form.filters details[data-fold-on-phones]");
    Array.prototype.forEach.call(marked, function (details) {
      details.open = false;
      // Once: the visitor may open them before the page has been read whole.
      details.removeAttribute("data-fold-on-phones");
    });
  }
  if (narrow.matches) {
    var observer = new MutationObserver(fold);
    observer.observe(document.documentElement, { childList: true, subtree: true });
    document.addEventListener("DOMContentLoaded", function () {
      observer.disconnect();
      fold();
    });
  }
  narrow.addEventListener("change", function () {
    if (narrow.matches) { return; }
    var disclosures = document.querySelectorAll("form.filters details.filters__disclosure");
    Array.prototype.forEach.call(disclosures, function (details) { details.open = true; });
  });
  // Back on a list, the browser puts back what the fields held when the visitor
  // left it (an order chosen, then sent): the list shown is that of its address,
  // which the fields say as the page wrote them.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form.filters"), function (form) {
      form.reset();
    });
  });
})();
