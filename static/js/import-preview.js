/* The spreadsheet import's preview (templates/admin/spreadsheets/import.html) shows the
   text a row adds as <ins> and the text it removes as <del>, which screen readers do
   not announce by default: each gets visually hidden words around it, taken from the
   table's data-added or data-removed, and data-end. A new row is all added text: its
   cells are left as they are. */
(function () {
  "use strict";

  function hidden(text) {
    var words = document.createElement("span");
    words.className = "visually-hidden";
    words.textContent = text;
    return words;
  }

  document.querySelectorAll("table.import-preview[data-added]").forEach(function (table) {
    var texts = table.dataset;
    table.querySelectorAll("tbody tr:not(.new) :is(ins, del)").forEach(function (change) {
      var start = change.tagName === "INS" ? texts.added : texts.removed;
      change.prepend(hidden(" " + start + " "));
      change.append(hidden(" " + texts.end + " "));
    });
  });
})();
