// kbgen's search worker: Material's own worker (imported below, unchanged) with the query
// passed through kbgenKorean first. The vocabulary comes with the index (config.korean).
(function () {
  var analyzer = null
  var listen = self.addEventListener
  // Material's worker registers its message handler with the global addEventListener.
  self.addEventListener = function (type, handler, options) {
    if (type !== "message")
      return listen.call(self, type, handler, options)
    return listen.call(self, type, function (ev) {
      var msg = ev.data
      if (msg && msg.type === 0 && msg.data && msg.data.config && msg.data.config.korean) {
        var korean = msg.data.config.korean
        analyzer = new kbgenKorean.Analyzer(korean.words, korean.particles)
      } else if (msg && msg.type === 2 && typeof msg.data === "string" && analyzer) {
        msg = { type: 2, data: analyzer.query(msg.data) }
      }
      return handler.call(self, { data: msg })
    }, options)
  }
})();
// Material's worker sits beside this file. Under iframe-worker (sites opened from files)
// this runs in an iframe whose relative URLs resolve against the page: resolve against
// this script's own address, as Material's worker does for its `../lunr`.
(function () {
  var script = typeof document !== "undefined" && document.querySelector("script[src]")
  importScripts(new URL("__MATERIAL_WORKER__", script ? script.src : self.location.href).href)
})();
