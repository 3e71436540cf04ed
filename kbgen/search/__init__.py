"""Korean-aware search for the MkDocs Material site, keeping Material's search and UI.

After Material's search plugin has written `search/search_index.json`, `rewrite_index`
segments every Korean word of its titles, texts and tags (kbgen.search.korean), sets a
separator that also splits at zero-width spaces and punctuation, and puts the vocabulary
into the index's config. In the browser, `worker_script` is Material's search worker with
the query passed through the same analysis first (assets/korean.js, assets/search-worker.js).
"""
from __future__ import annotations

import copy
import json
import re
from html import escape

from .korean import PARTICLES, Analyzer, build_vocabulary, segment

# Whitespace, zero-width space (between Korean pieces) and punctuation that glues words
# together in the index text (`(Cell`, `State)시점을`, `Gate:`). Not `* + ~ ^`: query syntax.
SEPARATOR = r"""[\s\u200b\-,.:;!?()\[\]{}"'/|·…→=]+"""

# The worker's file name carries Material's content hash: found among the theme's files.
MATERIAL_WORKER = re.compile(r"^assets/javascripts/workers/(search\.[0-9a-f]+\.min\.js)$")
WORKER_URI = "assets/javascripts/workers/kbgen-search.js"  # beside Material's: its `../lunr` still resolves
_CONFIG_WORKER = re.compile(r'("search":\s*"[^"]*?assets/javascripts/workers/)search\.[0-9a-f]+\.min\.js"')


def search_plugin(config):
    """The site's search plugin: Material's (under either name it is listed by), or None."""
    return config.plugins.get("material/search") or config.plugins.get("search")


def entry_page(entry: dict) -> str:
    """The URL of the page a Material search-index entry belongs to (its sections' entries
    are the page's URL, `#` and the anchor)."""
    return str(entry.get("location", "")).split("#")[0]


def rewrite_index(data: dict, aliases: dict[str, list[str]] | None = None) -> dict:
    """Material's search index (as loaded from search_index.json), Korean-segmented, with
    each page's `aliases` (page URL -> its other names and mnemonics) in a field of their
    own on the page's entry, weighted like the title."""
    docs = data["docs"]
    config = data["config"]
    if aliases:
        for doc in docs:
            if doc.get("location") in aliases:
                # HTML-escaped like the other fields Material's search plugin writes
                doc["aliases"] = escape(" · ".join(aliases[doc["location"]]), quote=False)
        config["fields"]["aliases"] = {"boost": config["fields"].get("title", {}).get("boost", 1e3)}
    strong = ([d.get("title", "") for d in docs] + [d.get("aliases", "") for d in docs]
              + [str(t) for d in docs for t in d.get("tags") or ()])
    vocab = build_vocabulary(strong, (d.get("text", "") for d in docs))
    analyzer = Analyzer(vocab)
    for doc in docs:
        for key in ("title", "text", "aliases"):
            if isinstance(doc.get(key), str):
                doc[key] = segment(doc[key], analyzer)
        if isinstance(doc.get("tags"), list):
            doc["tags"] = [segment(str(t), analyzer) for t in doc["tags"]]
    config["separator"] = SEPARATOR
    config["korean"] = {"particles": list(PARTICLES), "words": sorted(vocab)}
    return data


def index_json(data: dict, aliases: dict[str, list[str]] | None = None) -> str:
    """The text of search_index.json for Material's index `data` (config and docs)."""
    return json.dumps(rewrite_index(data, aliases), ensure_ascii=False, separators=(",", ":"), default=str)


def rewrite_index_file(path: str, aliases: dict[str, list[str]] | None = None) -> None:
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    text = index_json(data, aliases)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


# The settings of Material's search plugin that its `generate_search_index` puts in the
# index's config (material/plugins/search/plugin.py); tests compare the two ways.
MATERIAL_INDEX_CONFIG = ("lang", "separator", "pipeline", "fields")


class KoreanIndex:
    """Material's `SearchIndex.generate_search_index`, segmented before it is written: one
    JSON dump, where the index written by Material and rewritten here cost a dump, a
    read-back and a second dump (0.5 s at 3,000 topics). Installed on the index object
    for one build; `done` tells the plugin the written index needs no rewrite."""

    def __init__(self, index, aliases: dict[str, list[str]] | None) -> None:
        self.index, self.aliases, self.done = index, aliases, False
        self.original = type(index).generate_search_index.__get__(index)

    def __call__(self, prev=None) -> str:
        index = self.index
        if prev is not None or not all(k in index.config for k in MATERIAL_INDEX_CONFIG):
            # a merge by Material (kbgen's serve --dirty passes none): its text, read back
            data = json.loads(self.original(prev))
        else:
            # copies: the entries and settings stay Material's (serve keeps them for the next build)
            data = {"config": copy.deepcopy({k: index.config[k] for k in MATERIAL_INDEX_CONFIG}),
                    "docs": [dict(entry) for entry in index.entries]}
        text = index_json(data, self.aliases)
        self.done = True
        return text


def worker_script(korean_js: str, worker_js: str, material_worker: str) -> str:
    """kbgen's worker: the analysis, then the wrapper that imports Material's worker."""
    return korean_js + "\n" + worker_js.replace("__MATERIAL_WORKER__", material_worker)


def use_worker(html: str) -> str:
    """A page whose search runs kbgen's worker instead of Material's."""
    return _CONFIG_WORKER.sub(r'\1kbgen-search.js"', html, count=1)
