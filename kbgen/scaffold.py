"""`kbgen new`: a topic file to fill in, every field present and explained.

The explanations come from the model's own field docs (`kbgen.model`), so the skeleton
never disagrees with what `kbgen lint` accepts. Only `title` and `category` are set; the
rest is commented out with an example, and `kbgen lint` then says what is still missing.
"""
from __future__ import annotations

import json

from .config import Subject
from .model import Background, ExamRef, Keyword, Mnemonic, Section, Snippet, Topic
from .schema import public_fields

# What each list or object field looks like, as commented YAML under its key.
_EXAMPLES = {
    "aliases": ["[LSTM, 장단기 메모리]"],
    "nav_order": ["3"],
    "label": ["2.1 모델 구조"],
    "definition": ["한 줄 정의를 여기에 씁니다 / the one-line definition"],
    "mnemonics": ["", "  - token: 정연", "    section: 구성요소", "    # expansion: [정보저장삭제, 연산처리]"],
    "keywords": ["", "  - term: 셀 상태 (Cell State)", "    description: 시점을 가로지르는 기억 통로",
                 "    # example: 망각 게이트가 1이면 그대로 전달"],
    "background": ["", "  problem: 왜 필요했는가 / why it was needed", "  uses: [시계열 예측, 기계 번역]"],
    "differentiator": ["비슷한 기술과 무엇이 다른가 / what sets it apart"],
    "sections": ["", "  - name: 구성요소", "    items:", "      - term: Forget Gate",
                 "        description: 지울 정보를 정함", "        children:",
                 "          - description: 시그모이드 출력 0~1", "      - term: Input Gate",
                 "        description: 저장할 정보를 정함"],
    "related": ["[RNN, GRU]"],
    "exams": ["", "  - round: 125", "    session: 1", "    number: 3"],
    "snippets": ["", "  - path: snippets/example.py", "    caption: 실행 예"],
    "diagram": ["|", "  flowchart LR", "    A[입력] --> B[출력]"],
    "equations": ["", "  - 'h_t = \\tanh(W x_t + U h_{t-1} + b)'"],
    "checklist": ["", "  - 핵심 구성요소를 암기법으로 풀어 쓸 수 있는가?"],
    "notes": ["|", "  손으로 쓰는 메모 (Markdown). kbgen이 만들지 않고, 지우지도 않습니다."],
}
_NESTED = {"mnemonics": Mnemonic, "keywords": Keyword, "background": Background, "sections": Section,
           "exams": ExamRef, "snippets": Snippet}


def skeleton(subject: Subject, title: str, slug: str) -> str:
    """The text of a new topic file for `title` in `subject`."""
    lines = [
        "# yaml-language-server: $schema=../../../schema/topic.schema.json",
        f"# 새 토픽 / a new topic of subject '{subject.id}' ({subject.title}).",
        "# 주석(#)을 지우고 채운 항목만 페이지에 나옵니다. 빈 항목은 쓰지 않아도 됩니다.",
        "# Uncomment and fill what you know; leave the rest out. Then: kbgen lint --strict",
        "",
    ]
    categories = ", ".join(f"{c.id} ({c.title})" for c in subject.categories) or "none configured"
    for f, _ in public_fields(Topic):
        doc = f.metadata.get("doc", "")
        lines.append(f"# {f.name}: {doc}")
        if f.name in _NESTED:
            inner = ", ".join(g.name for g, _ in public_fields(_NESTED[f.name]))
            lines.append(f"#   fields: {inner}")
        if f.name == "title":
            lines.append(f"title: {json.dumps(title, ensure_ascii=False)}")
        elif f.name == "slug":
            lines.append(f"slug: {slug}")
        elif f.name == "category":
            lines.append(f"#   one of: {categories}")
            first = subject.categories[0].id if subject.categories else ""
            lines.append(f"category: {first}" if first else "# category:")
        elif f.name == "no":
            lines.append("#   (leave out for a topic of its own; set it to add to a sheet row instead)")
        else:
            example = _EXAMPLES.get(f.name, [""])
            head, rest = example[0], example[1:]
            lines.append(f"# {f.name}: {head}".rstrip())
            lines.extend(f"# {line}" for line in rest)
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"

