/** What a browser gets at /dashboard when the page was never built: the fix, and where the data still is. */
export function missingAssetsPage(detail: string): string {
  const escaped = detail.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>lpx dashboard: not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>Dashboard not built</h1>
<p>${escaped}.</p>
<p>The node is running: its status is at <a href="/status">/status</a> (JSON) and its metrics at <a href="/metrics">/metrics</a>.</p>
<p>Code: <code>LPX_ERR_DASHBOARD_ASSETS_MISSING</code></p>
</body></html>
`;
}
