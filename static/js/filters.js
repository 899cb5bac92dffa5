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
    var emptied = Array.prototype.filter.call(form.elements, function (field) {
      return field.name && !field.disabled && field.value === "";
    });
    emptied.forEach(function (field) { field.disabled = true; });
    // The form's data are read once this event is over: enable them again after.
    window.setTimeout(function () {
      emptied.forEach(function (field) { field.disabled = false; });
    }, 0);
  });
})();
