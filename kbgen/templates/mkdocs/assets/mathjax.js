// MathJax settings for pymdownx.arithmatex (generic mode). MathJax itself is vendored
// (served by the kbgen plugin next to this file) and loaded only on pages with math;
// after Material's instant navigation swaps a page in, the new page is typeset.
// Equations come from the data: the macros that make links, classes, ids and styles
// (`\href{javascript:...}`, `\class`, `\cssId`, `\style`) are redefined to show only
// their text, so no equation can carry a script URL or restyle the page.
window.MathJax = {
  tex: { inlineMath: [["\\(", "\\)"]], displayMath: [["\\[", "\\]"]], processEscapes: true, processEnvironments: true,
         macros: { href: ["{#2}", 2], class: ["{#2}", 2], cssId: ["{#2}", 2], style: ["{#2}", 2] } },
  options: { ignoreHtmlClass: ".*|", processHtmlClass: "arithmatex" },
};
(function () {
  var src = new URL("vendor/mathjax/tex-chtml-full.js", document.currentScript.src).href;
  var loading = false;
  function typeset() {
    if (!document.querySelector(".arithmatex")) return;
    if (window.MathJax.typesetPromise) {
      MathJax.startup.output.clearCache();
      MathJax.typesetClear();
      MathJax.texReset();
      MathJax.typesetPromise();
    } else if (!loading) {  // MathJax typesets the page itself once loaded
      loading = true;
      var script = document.createElement("script");
      script.src = src;
      script.async = true;
      document.head.appendChild(script);
    }
  }
  if (typeof document$ !== "undefined") document$.subscribe(typeset);
  else typeset();
})();
