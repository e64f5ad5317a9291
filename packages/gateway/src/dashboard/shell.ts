/**
 * The page every dashboard address answers with: no data, only the bundle.
 * The browser code reads everything through `/api` with the bearer token,
 * so the shell itself can be served without one.
 */
export const DASHBOARD_SHELL = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Baton</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard/assets/app.css">
<script type="module" src="/dashboard/assets/app.js"></script>
</head>
<body>
<div id="app"><noscript>The Baton dashboard needs JavaScript.</noscript></div>
</body>
</html>
`;

/**
 * Headers of every dashboard answer. The content security policy allows
 * only the gateway's own scripts, styles and API, so a value shown on a page
 * (an error message, a step output) can never run as code.
 */
export const DASHBOARD_HEADERS = {
  'content-security-policy': [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
} as const;
