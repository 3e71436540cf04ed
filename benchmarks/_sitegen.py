"""Generated kbgen projects for benchmarks/site_build.py.

`make_project(folder, topics)` writes a project the size of a real user's notes times N:
8 subjects (AI, SW, DS, SEC, NW, DB, CAOS, BIZ), the topics split evenly, each subject in
ceil(topics/15) categories. Every sheet row copies the cells (암기법, 기술요소, 매커니즘) of a
randomly drawn row of the bundled AI sheet, the way benchmarks/read_sheet.py does, so the
notation mix and the mnemonics stay real; the title is a unique Korean name with its
English in parentheses. About 1 topic in 10 gets a YAML overlay with keywords (the site's
tags) and a related topic; about 2 exam questions per 10 topics go into an exams CSV.

The mkdocs.yml texts take the theme features and the `markdown_extensions` block from
the repository's mkdocs.yml (a built-in copy if it cannot be read), without the remote
MathJax script.
"""
from __future__ import annotations

import csv
import json
import math
import os
import random
import re
import shutil

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUNDLED = os.path.join(ROOT, "data", "ai", "기술사_기본필수노트_AI - AI.csv")
PACKAGE = os.path.join(ROOT, "kbgen")

SUBJECTS = [
    ("ai", "AI (인공지능)"),
    ("sw", "SW (소프트웨어공학)"),
    ("ds", "DS (자료구조·알고리즘)"),
    ("sec", "SEC (정보보안)"),
    ("nw", "NW (네트워크)"),
    ("db", "DB (데이터베이스)"),
    ("caos", "CAOS (컴퓨터구조·운영체제)"),
    ("biz", "BIZ (경영·IT 전략)"),
]

CATEGORY_NAMES = [
    "기본 개념", "아키텍처", "표준 프로토콜", "알고리즘", "관리 기법", "보안", "품질", "최신 기술", "분석 기법",
    "설계 원칙", "운영", "성능", "신뢰성", "데이터", "인프라", "거버넌스", "응용", "평가", "법제도", "융합 기술",
]

MODIFIERS = [
    ("분산", "Distributed"), ("적응형", "Adaptive"), ("지능형", "Intelligent"), ("경량", "Lightweight"),
    ("실시간", "Real-time"), ("계층형", "Hierarchical"), ("병렬", "Parallel"), ("동적", "Dynamic"),
    ("정적", "Static"), ("확률적", "Stochastic"), ("연합", "Federated"), ("자율", "Autonomous"),
    ("양자", "Quantum"), ("클라우드", "Cloud"), ("엣지", "Edge"), ("가상화", "Virtualized"),
    ("암호화", "Encrypted"), ("무결성", "Integrity"), ("다중", "Multi"), ("증분", "Incremental"),
    ("비동기", "Asynchronous"), ("동기", "Synchronous"), ("선형", "Linear"), ("비선형", "Nonlinear"),
    ("그래프", "Graph"), ("트리", "Tree"), ("해시", "Hash"), ("블록", "Block"), ("스트림", "Stream"),
    ("배치", "Batch"), ("이벤트", "Event"), ("서비스", "Service"), ("데이터", "Data"), ("모델 기반", "Model-based"),
    ("정책", "Policy"), ("보안", "Security"), ("네트워크", "Network"), ("메모리", "Memory"), ("캐시", "Cache"),
    ("파일", "File"), ("트랜잭션", "Transaction"), ("인덱스", "Index"), ("쿼리", "Query"), ("프로세스", "Process"),
    ("스레드", "Thread"), ("패킷", "Packet"), ("라우팅", "Routing"), ("인증", "Authentication"), ("접근", "Access"),
    ("위험", "Risk"), ("품질", "Quality"), ("성능", "Performance"), ("신뢰성", "Reliability"),
    ("가용성", "Availability"), ("확장성", "Scalability"), ("일관성", "Consistency"), ("복제", "Replication"),
    ("압축", "Compression"), ("검색", "Search"), ("추천", "Recommendation"),
]

HEADS = [
    ("스케줄링", "Scheduling"), ("알고리즘", "Algorithm"), ("프로토콜", "Protocol"), ("아키텍처", "Architecture"),
    ("모델", "Model"), ("관리", "Management"), ("제어", "Control"), ("분석", "Analysis"), ("최적화", "Optimization"),
    ("검증", "Verification"), ("탐지", "Detection"), ("예측", "Prediction"), ("분류", "Classification"),
    ("군집화", "Clustering"), ("복구", "Recovery"), ("동기화", "Synchronization"), ("할당", "Allocation"),
    ("교체 기법", "Replacement"), ("프레임워크", "Framework"), ("표준", "Standard"), ("거버넌스", "Governance"),
    ("전략", "Strategy"), ("평가", "Evaluation"), ("설계", "Design"), ("테스트", "Testing"),
    ("모니터링", "Monitoring"), ("오케스트레이션", "Orchestration"), ("게이트웨이", "Gateway"),
    ("파이프라인", "Pipeline"), ("엔진", "Engine"), ("저장소", "Repository"), ("패턴", "Pattern"),
    ("인터페이스", "Interface"), ("메커니즘", "Mechanism"), ("정규화", "Normalization"), ("암호", "Cryptography"),
    ("서명", "Signature"), ("키 관리", "Key Management"), ("부하 분산", "Load Balancing"),
    ("혼잡 제어", "Congestion Control"), ("오류 정정", "Error Correction"), ("샘플링", "Sampling"),
    ("임베딩", "Embedding"), ("시뮬레이션", "Simulation"), ("디지털 트윈", "Digital Twin"), ("플랫폼", "Platform"),
    ("컨테이너", "Container"), ("가시성", "Observability"), ("계약", "Contract"), ("감사", "Audit"),
]

HEADER = ["NO", "토픽", "중토픽", "암기법", "기술요소", "매커니즘"]


def _titles(count: int, rng: random.Random) -> list[str]:
    """`count` distinct titles like `분산 스케줄링 (Distributed Scheduling)`, unique across
    the whole project (names resolve across subjects for exams), Korean before the
    parenthesis so the slug is Korean. Past the 3,000 word pairs a number is added."""
    pairs = [(a, b) for a in MODIFIERS for b in HEADS if a[0] != b[0]]
    rng.shuffle(pairs)
    out = []
    for i in range(count):
        (ak, ae), (bk, be) = pairs[i % len(pairs)]
        rnd = i // len(pairs)
        suffix = f" {rnd + 1}" if rnd else ""
        out.append(f"{ak} {bk}{suffix} ({ae} {be}{suffix})")
    return out


def short(title: str) -> str:
    return title.split(" (")[0]


def _bundled_rows() -> list[dict]:
    with open(BUNDLED, encoding="utf-8-sig", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["NO"].strip()]


def make_project(folder: str, topics: int, seed: int = 11) -> dict:
    """Write kbgen.yml, data/<subject>/sheet.csv, data/<subject>/topics/*.yml and
    data/exams.csv into `folder`. Returns counts."""
    rng = random.Random(seed)
    source = _bundled_rows()
    titles = _titles(topics, rng)
    per = [topics // len(SUBJECTS) + (1 if i < topics % len(SUBJECTS) else 0) for i in range(len(SUBJECTS))]
    config: dict = {"title": "기술사 기본필수노트", "subjects": []}
    overlays = 0
    all_titles: list[str] = []
    start = 0
    for (sid, stitle), n in zip(SUBJECTS, per):
        mine = titles[start:start + n]
        start += n
        all_titles.extend(mine)
        ncat = max(1, math.ceil(n / 15))
        cats = []
        for k in range(ncat):
            name = CATEGORY_NAMES[k % len(CATEGORY_NAMES)]
            if k >= len(CATEGORY_NAMES):
                name = f"{name} {k // len(CATEGORY_NAMES) + 1}"
            cats.append({"id": f"c{k + 1:02d}", "title": f"{k + 1}. {name}", "match": [name]})
        base = os.path.join(folder, "data", sid)
        os.makedirs(os.path.join(base, "topics"), exist_ok=True)
        with open(os.path.join(base, "sheet.csv"), "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADER)
            for i, title in enumerate(mine):
                no = i + 1
                row = rng.choice(source)
                cat = cats[i * ncat // n]
                writer.writerow([no, cat["match"][0], title, row["암기법"], row["기술요소"], row["매커니즘"]])
                if rng.random() < 0.1 and n > 1:
                    other = mine[(i + rng.randrange(1, n)) % n]
                    words = rng.sample(MODIFIERS, 3)
                    overlay = {
                        "no": no,
                        "keywords": [{"term": f"{k} ({e})", "description": f"{short(title)}에서 {k} 특성을 다루는 핵심 키워드"}
                                     for k, e in words],
                        "related": [short(other)],
                    }
                    slug = short(title).replace(" ", "-")
                    with open(os.path.join(base, "topics", f"{slug}.yml"), "w", encoding="utf-8") as out:
                        yaml.safe_dump(overlay, out, allow_unicode=True, sort_keys=False)
                    overlays += 1
        config["subjects"].append({"id": sid, "title": stitle, "csv": f"data/{sid}/sheet.csv",
                                   "topics": f"data/{sid}/topics", "categories": cats})
    questions = max(1, topics // 5)
    with open(os.path.join(folder, "data", "exams.csv"), "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["회차", "교시", "번호", "문제", "토픽"])
        for q in range(questions):
            title = rng.choice(all_titles)
            writer.writerow([100 + q // 52, 1 + (q // 13) % 4, 1 + q % 13, f"{title}에 대하여 설명하시오.", short(title)])
    config["exams"] = "data/exams.csv"
    with open(os.path.join(folder, "kbgen.yml"), "w", encoding="utf-8") as fh:
        yaml.safe_dump(config, fh, allow_unicode=True, sort_keys=False, width=200)
    return {"topics": topics, "overlays": overlays, "questions": questions,
            "categories": sum(len(s["categories"]) for s in config["subjects"])}


# --- mkdocs.yml -----------------------------------------------------------------------

FALLBACK_FEATURES = ["navigation.tabs", "navigation.indexes", "navigation.prune", "navigation.footer",
                     "navigation.top", "content.code.copy", "search.highlight"]
STOCK_FEATURES = ["navigation.tabs", "navigation.sections"]

FALLBACK_EXTENSIONS = """\
markdown_extensions:
  - admonition
  - attr_list
  - tables
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.tasklist:
      custom_checkbox: true
  - pymdownx.arithmatex:
      generic: true
  - pymdownx.highlight
  - pymdownx.inlinehilite
"""

MKDOCS_YML = """\
site_name: 기술사 기본필수노트 (benchmark)
docs_dir: docs
strict: {strict}
theme:
  name: material
  language: ko
{font}  features:
{features}
plugins:
  - search
  - tags
{kbgen}{extensions}{extra}nav: {nav}
"""


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml without resolving its `!!python/name:` tags."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def repo_theme(path: str = os.path.join(ROOT, "mkdocs.yml")) -> tuple[list[str], str, str]:
    """(theme features, the `markdown_extensions:` block as written, where they came from),
    read from the repository's mkdocs.yml so the benchmark follows the site's design;
    the built-in copy when that file cannot be read."""
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        features = [str(f) for f in yaml.load(text, Loader=_Loader)["theme"]["features"]]
        block = re.search(r"^markdown_extensions:[^\n]*\n(?:(?:[ \t]+[^\n]*|[ \t]*)\n)*", text, re.MULTILINE)
        if not features or block is None:
            raise ValueError("no theme.features or markdown_extensions")
        return features, block.group(0).rstrip() + "\n", os.path.relpath(path, ROOT)
    except (OSError, ValueError, KeyError, TypeError, yaml.YAMLError) as exc:
        return FALLBACK_FEATURES, FALLBACK_EXTENSIONS, f"built-in copy ({type(exc).__name__}: {exc})"


# What the plugin adds to extra_css / extra_javascript itself (kbgen/mkdocs_plugin.py on_config),
# in its order, for the sites built without it.
PLUGIN_EXTRA = """\
extra_css:
  - assets/kbgen/kbgen.css
  - assets/kbgen/deck.css
extra_javascript:
  - assets/kbgen/mathjax.js
  - assets/kbgen/exams.js
"""
# deck.js: the deck page loads it itself
PLUGIN_ASSETS = ("kbgen.css", "deck.css", "mathjax.js", "deck.js", "exams.js")


def mkdocs_yml(*, plugin: bool | str, features: list[str], extensions: str, nav: list, strict: bool,
               assets: bool) -> str:
    extra = PLUGIN_EXTRA if assets else ""
    return MKDOCS_YML.format(
        strict="true" if strict else "false",
        font="  font: false\n" if assets else "",  # the plugin's offline mode: no Google Fonts
        features="\n".join(f"    - {f}" for f in features),
        kbgen=plugin if isinstance(plugin, str) else "  - kbgen\n" if plugin else "",
        extensions=extensions,
        extra=extra,
        nav=json.dumps(nav, ensure_ascii=False),  # JSON is YAML
    )


def write_plugin_site(folder: str, strict: bool, features: list[str], extensions: str) -> None:
    """mkdocs.yml with the kbgen plugin, next to kbgen.yml, and mkdocs-one.yml, the same
    with the pages built in one process; docs/ holds nothing."""
    os.makedirs(os.path.join(folder, "docs"), exist_ok=True)
    for name, plugin in (("mkdocs.yml", True), ("mkdocs-one.yml", "  - kbgen:\n      workers: 1\n")):
        with open(os.path.join(folder, name), "w", encoding="utf-8") as fh:
            fh.write(mkdocs_yml(plugin=plugin, features=features, extensions=extensions,
                                nav=[{"홈": "index.md"}, {"태그": "tags.md"}], strict=strict, assets=False))


def write_prewritten_sites(folder: str, strict: bool, features: list[str], extensions: str,
                           package: str = PACKAGE) -> list:
    """After `kbgen build --out folder/docs`: mkdocs.yml (kbgen's features, no plugin) and
    mkdocs-stock.yml (tabs + sections only), both with the manifest's full nav, and the
    files the plugin adds to a site copied in from `package` (kbgen/: its CSS and scripts,
    and the vendored MathJax, Mermaid and iframe-worker listed in vendor/vendor.json), so
    all sites carry the same files. Returns the nav."""
    docs = os.path.join(folder, "docs")
    with open(os.path.join(docs, ".kbgen-manifest.json"), encoding="utf-8") as fh:
        subjects = json.load(fh)["nav"]
    nav = [{"홈": "index.md"}, *subjects, {"태그": "tags.md"}]
    target = os.path.join(docs, "assets", "kbgen")
    os.makedirs(target, exist_ok=True)
    for name in PLUGIN_ASSETS:
        shutil.copyfile(os.path.join(package, "templates", "mkdocs", "assets", name), os.path.join(target, name))
    vendor = os.path.join(package, "vendor")
    with open(os.path.join(vendor, "vendor.json"), encoding="utf-8") as fh:
        for pkg in json.load(fh)["packages"]:
            for rel in pkg["files"]:
                dest = os.path.join(target, "vendor", *rel.split("/"))
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                shutil.copyfile(os.path.join(vendor, *rel.split("/")), dest)
    with open(os.path.join(folder, "mkdocs.yml"), "w", encoding="utf-8") as fh:
        fh.write(mkdocs_yml(plugin=False, features=features, extensions=extensions, nav=nav, strict=strict,
                            assets=True))
    with open(os.path.join(folder, "mkdocs-stock.yml"), "w", encoding="utf-8") as fh:
        fh.write(mkdocs_yml(plugin=False, features=STOCK_FEATURES, extensions=extensions, nav=nav, strict=strict,
                            assets=True))
    return nav
