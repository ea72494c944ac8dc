// Starts Swagger UI on the page's spec URL; lives in a file because the CSP allows no inline script.
"use strict";
(function () {
  const target = document.getElementById("swagger-ui");
  window.ui = window.SwaggerUIBundle({
    url: target.dataset.specUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
})();
