"use strict";
// /docs: Swagger UI from the package's own copy (no CDN), started here because the Content-Security-Policy
// allows no inline script. The settings are FastAPI's defaults, without the online validator badge.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});
