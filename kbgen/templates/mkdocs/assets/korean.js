// Korean word analysis for search queries: the same algorithm as kbgen/search/korean.py,
// run on the vocabulary and particles the build put into search_index.json's config,
// so a query is split exactly as the indexed text was.
var kbgenKorean = (function () {
  var HANGUL = /[\uAC00-\uD7A3]+/g

  function Analyzer(words, particles) {
    this.vocab = new Set(words)
    this.particles = particles
    this.longest = 0
    for (var i = 0; i < words.length; i++)
      this.longest = Math.max(this.longest, words[i].length)
    this.memo = new Map()
  }

  // The most vocabulary words that spell `word` exactly (earliest long piece first on a tie), or null.
  Analyzer.prototype.split = function (word) {
    var n = word.length, best = new Array(n + 1).fill(null), cut = new Array(n + 1).fill(0)
    best[n] = 0
    for (var i = n - 1; i >= 0; i--)
      for (var j = Math.min(n, i + this.longest); j > i; j--)
        if (best[j] !== null && this.vocab.has(word.slice(i, j)) && (best[i] === null || best[j] + 1 > best[i])) {
          best[i] = best[j] + 1
          cut[i] = j
        }
    if (best[0] === null)
      return null
    var pieces = []
    for (var k = 0; k < n; k = cut[k])
      pieces.push(word.slice(k, cut[k]))
    return pieces
  }

  // [pieces, particle or null]
  Analyzer.prototype.analyze = function (word) {
    var hit = this.memo.get(word)
    if (hit === undefined) {
      hit = this._analyze(word)
      this.memo.set(word, hit)
    }
    return hit
  }

  Analyzer.prototype._analyze = function (word) {
    if (!this.vocab.has(word))
      for (var i = 0; i < this.particles.length; i++) {
        var p = this.particles[i]
        if (word.length > p.length && word.endsWith(p)) {
          var pieces = this.split(word.slice(0, -p.length))
          if (pieces)
            return [pieces, p]
        }
      }
    return [this.split(word) || [word], null]
  }

  // The query with every Hangul word replaced by its pieces; particles go, and so does a
  // particle standing right after a Latin word or number (`LSTM의`).
  Analyzer.prototype.query = function (value) {
    var self = this
    return value.replace(HANGUL, function (word, at, all) {
      if (at > 0 && /[A-Za-z0-9]/.test(all[at - 1]) && self.particles.indexOf(word) >= 0)
        return " "
      return " " + self.analyze(word)[0].join(" ") + " "
    }).replace(/\s+/g, " ").trim()
  }

  return { Analyzer: Analyzer }
})();
