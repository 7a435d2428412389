/**
 * The page's HTML shell, the same for the live page and the report: no data in it (the
 * script builds the page with text nodes only), a Content-Security-Policy that lets only the
 * page's own script run.
 */

/** The Content-Security-Policy header of the live page: scripts and styles from the server only. */
export const LIVE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The live page: its script and style sheet by URL (relative: a `?token=` stays on the page's URL). */
export function livePageHtml(): string {
  return shell('<link rel="stylesheet" href="app.css">', '<script src="app.js" defer></script>');
}

/**
 * The report: everything inline. `data` is JSON made safe for a script element; the policy
 * allows the bundle and the style by hash, so nothing else inline runs.
 */
export function reportHtml(script: string, style: string, data: string, hashes: { script: string; style: string }): string {
  const csp = `default-src 'none'; script-src ${hashes.script}; style-src ${hashes.style}; img-src data:; base-uri 'none'; form-action 'none'`;
  return shell(
    `<meta http-equiv="Content-Security-Policy" content="${csp}">\n<style>${style}</style>`,
    `<script type="application/json" id="apachescan-data">${data}</script>\n<script>${script}</script>`,
  );
}

/**
 * JSON that cannot end the script element it sits in nor open a comment in it: `<`, `>`, `&`
 * and the line separators as `\u` escapes (the same JSON value).
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function shell(head: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>apachescan</title>
${head}
</head>
<body>
<noscript>This page needs JavaScript to draw the traffic.</noscript>
<main id="app"></main>
${body}
</body>
</html>
`;
}
