// MathJax settings for pymdownx.arithmatex (generic mode), re-typesetting after
// Material's instant navigation swaps a page in.
// ui/safe: equations come from the data, so `\href{javascript:...}`, `\class`, `\style`
// and friends are filtered (only http/https links, safe classes and styles).
window.MathJax = {
  loader: { load: ["ui/safe"] },
  tex: { inlineMath: [["\\(", "\\)"]], displayMath: [["\\[", "\\]"]], processEscapes: true, processEnvironments: true },
  options: {
    ignoreHtmlClass: ".*|", processHtmlClass: "arithmatex",
    safeOptions: { allow: { URLs: "safe", classes: "safe", cssIDs: "safe", styles: "safe" },
                   safeProtocols: { http: true, https: true, file: false, javascript: false, data: false } },
  },
};
if (typeof document$ !== "undefined") {
  document$.subscribe(() => {
    if (window.MathJax && MathJax.typesetPromise) {
      MathJax.startup.output.clearCache();
      MathJax.typesetClear();
      MathJax.texReset();
      MathJax.typesetPromise();
    }
  });
}
