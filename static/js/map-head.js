/* Read in the <head> of a page with a map (templates/includes/map_head.html): marks the
   page as one whose maps the scripts will draw, before the browser first draws it. A
   map, its heading, caption and skip link (.map-block, .map-only, .map-legend) are
   shown on marked pages only (static/css/site.css): without JavaScript the visitor is
   not shown an empty box under a caption describing markers that are not there, and
   reads the tables below, which say the same. Shown from the first paint, not when
   static/js/map.js starts at the end of the page: the content under a map does not
   jump down once read. Not inline (the Content Security Policy runs none); map.js
   takes the mark back if Leaflet did not load. */
document.documentElement.classList.add("maps-drawn");
