// What a browser does with a link or form action of a page: resolve it against the page's address
// and its <base href> (the emulator's pages are relative to the site's root, anchored by <base>).

/** The absolute URL that `ref` (a link or form action, HTML-escaped as written) of the page at `pageUrl` leads to. */
export function resolveInPage(pageUrl: string, html: string, ref: string): string {
  const unescape = (s: string) => s.replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] as string);
  const base = /<base href="([^"]*)"/.exec(html)?.[1];
  const anchor = base === undefined ? pageUrl : new URL(unescape(base), pageUrl).toString();
  return new URL(unescape(ref), anchor).toString();
}
