/* The main menu on a phone (templates/includes/header.html): its links fold behind
   the "Menu" button, which opens and closes them (aria-expanded), and Escape closes
   them, giving the focus back to the button. Read in the <head> (templates/base.html),
   not deferred: the mark it sets on the page shows the button and folds the links
   (static/css/site.css) before the browser first draws the header, which never
   shrinks under the visitor's eyes. Without JavaScript there is no mark: no button,
   the links always shown. The clicks are heard on the document, so the header need
   not be read yet. Not inline: the Content Security Policy runs none. */
(function () {
  "use strict";
  document.documentElement.classList.add("menu-folds");

  function setOpen(button, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".site-nav__toggle");
    if (button) {
      setOpen(button, button.getAttribute("aria-expanded") !== "true");
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var button = document.querySelector(".site-nav__toggle[aria-expanded='true']");
    // Only where the button is shown (a phone): elsewhere the links are never folded.
    if (!button || !button.getClientRects().length) { return; }
    if (!button.parentNode.contains(document.activeElement)) { return; }
    setOpen(button, false);
    button.focus();
  });
})();
