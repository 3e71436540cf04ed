"""The bad-input corpus: each case is a small project with one thing wrong, and the exact
line kbgen must print for it. Big or binary inputs are built here rather than committed.

Every case runs on top of BASE (a valid one-subject project); `files` replace or add files.
"""
from __future__ import annotations

HEADER = "NO,토픽,중토픽,암기법,기술요소,매커니즘\r\n"
GOOD_ROW = '15,딥러닝,LSTM (Long Short Term Memory),정연,"RNN에 게이트를 둔 모델\n[구성요소]\n정보저장삭제\n연산처리",\r\n'

BASE = {
    "kbgen.yml": (
        "subjects:\n"
        "  - id: ai\n"
        "    title: AI (인공지능)\n"
        "    csv: data/ai.csv\n"
        "    topics: data/topics\n"
        "    categories:\n"
        "      - {id: dl, title: 2. 딥러닝, match: [딥러닝]}\n"
    ),
    "data/ai.csv": HEADER + GOOD_ROW,
    "data/topics/.keep": "",
}

GOOD_TOPIC = "title: 전이 학습\ncategory: dl\ndefinition: 학습된 모델을 다른 문제에 다시 쓰는 기법\n"


def _bomb() -> str:
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join(f"*{prev}" for _ in range(10)) + "]")
    lines.append("notes: *i")
    return "\n".join(lines) + "\n"


CASES: list[dict] = [
    {"name": "csv-empty-file", "files": {"data/ai.csv": b""},
     "expected": "data/ai.csv: error: the file is empty (export the sheet with its header row: NO,토픽,중토픽,암기법,기술요소,매커니즘)"},
    {"name": "csv-header-only", "files": {"data/ai.csv": HEADER},
     "expected": "data/ai.csv, row 2: error: the sheet has a header but no topic rows (add rows under the header, or remove the csv entry from kbgen.yml)"},
    {"name": "csv-blank-rows-only", "files": {"data/ai.csv": HEADER + ",,,,,\r\n,,,,,\r\n"},
     "expected": "data/ai.csv, row 2: error: the sheet has a header but no topic rows (add rows under the header, or remove the csv entry from kbgen.yml)"},
    {"name": "csv-missing-column", "files": {"data/ai.csv": "NO,토픽,중토픽,암기법\r\n15,딥러닝,LSTM,정연\r\n"},
     "expected": "data/ai.csv, row 1 (line 1), column 기술요소: error: required column 기술요소 is missing (found: NO, 토픽, 중토픽, 암기법) (the header row must name NO, 토픽, 중토픽, 암기법, 기술요소, 매커니즘)"},
    {"name": "csv-duplicate-column", "files": {"data/ai.csv": "NO,토픽,중토픽,암기법,기술요소,기술요소\r\n15,딥러닝,LSTM,,정의,\r\n"},
     "expected": "data/ai.csv, row 1 (line 1), column 기술요소: error: column 기술요소 appears twice in the header (기술요소, 기술요소) (delete or rename one of them)"},
    {"name": "csv-duplicate-column-spellings", "files": {"data/ai.csv": "NO,토픽,중토픽,암기법,기술요소,매커니즘,메커니즘\r\n15,딥러닝,LSTM,,정의,,\r\n"},
     "expected": "data/ai.csv, row 1 (line 1), column 매커니즘: error: column 매커니즘 appears twice in the header (매커니즘, 메커니즘) (delete or rename one of them)"},
    {"name": "csv-duplicate-no", "files": {"data/ai.csv": HEADER + GOOD_ROW + "15,딥러닝,GRU,,게이트 2개인 RNN,\r\n"},
     "expected": "data/ai.csv, row 3 (line 6), column NO: error: NO 15 is used twice: row 2 and row 3 (give each row its own number)"},
    {"name": "csv-non-numeric-no", "files": {"data/ai.csv": HEADER + "l5,딥러닝,LSTM,,정의,\r\n"},
     "expected": "data/ai.csv, row 2 (line 2), column NO: error: 'l5' is not a number (NO must be a whole number that stays with the row)"},
    {"name": "csv-first-row-without-no", "files": {"data/ai.csv": HEADER + ",딥러닝,LSTM,,정의,\r\n"},
     "expected": "data/ai.csv, row 2 (line 2), column NO: error: the first topic row has no NO (give the row a number)"},
    {"name": "csv-empty-title", "files": {"data/ai.csv": HEADER + "15,딥러닝,,,정의,\r\n"},
     "expected": "data/ai.csv, row 2 (line 2), column 중토픽: error: the topic name is empty (write the topic's name as on an exam answer)"},
    {"name": "csv-unbalanced-quote", "files": {"data/ai.csv": HEADER + GOOD_ROW + '16,딥러닝,GRU,,"게이트 2개\r\n17,딥러닝,GAN,,생성 모델,\r\n'},
     "expected": "data/ai.csv, row 3 (line 6): error: a quoted cell that starts in this row is never closed (close the quote, or write a quote inside a cell as two quotes (\"\"))"},
    {"name": "csv-text-after-closing-quote", "files": {"data/ai.csv": HEADER + '16,딥러닝,GRU,,"게이트" 2개,\r\n'},
     "expected": "data/ai.csv, row 2 (line 2): error: malformed quoting: ',' expected after '\"' (a cell with a quote must be wrapped in quotes, with inner quotes doubled (\"\"))"},
    {"name": "csv-binary-garbage", "files": {"data/ai.csv": bytes(range(256)) * 4},
     "expected": "data/ai.csv, line 1: error: file holds NUL bytes: it is binary, not text (export the sheet as CSV, not as .xlsx or .numbers)"},
    {"name": "csv-xlsx-renamed", "files": {"data/ai.csv": b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00"},
     "expected": "data/ai.csv, line 1: error: file holds NUL bytes: it is binary, not text (export the sheet as CSV, not as .xlsx or .numbers)"},
    {"name": "csv-undecodable", "files": {"data/ai.csv": HEADER.encode() + b"15,\xeb\x94,\xff\xfe\xfd,,x,\r\n"},
     "expected": "data/ai.csv, line 2: error: byte 0xEB is neither UTF-8 nor CP949 text (save the file as UTF-8 ('CSV UTF-8' in Excel))"},
    {"name": "csv-utf16", "files": {"data/ai.csv": (HEADER + GOOD_ROW).encode("utf-16")},
     "expected": "data/ai.csv: error: file is UTF-16 (Excel 'Unicode text') (export again as 'CSV UTF-8' (Excel) or 'CSV' (Google Sheets))"},
    {"name": "csv-control-character", "files": {"data/ai.csv": HEADER + "15,딥러닝,LSTM,,정의\x07,\r\n"},
     "expected": "data/ai.csv, line 2: error: control character U+0007 in the text: the file looks binary or corrupted (export the sheet again as CSV)"},
    {"name": "csv-10mb-cell", "files": {"data/ai.csv": HEADER + '15,딥러닝,LSTM,,"' + "가" * 10_000_000 + '",\r\n'},
     "expected": "data/ai.csv, row 2 (line 2), column 기술요소: error: cell is 10,000,000 characters, over the limit of 65,536 (split the note over several rows or shorten it)"},
    {"name": "yaml-syntax-error", "files": {"data/topics/t.yml": "title: 전이 학습\ncategory: [dl\n"},
     "expected": "data/topics/t.yml, line 3, column 1: error: YAML syntax error: did not find expected ',' or ']' while parsing a flow sequence that starts on line 2, column 11 (check the indentation and the quotes on this line)"},
    {"name": "yaml-tabs", "files": {"data/topics/t.yml": "title: 전이 학습\nkeywords:\n\t- term: x\n"},
     "expected": "data/topics/t.yml, line 3, column 1: error: YAML syntax error: a tab character is used for indentation (indent with spaces, not tabs)"},
    {"name": "yaml-wrong-type", "files": {"data/topics/t.yml": GOOD_TOPIC + "keywords: 전이, 미세조정\n"},
     "expected": "data/topics/t.yml, line 4, column 1, field 'keywords': error: expected a list, got '전이, 미세조정' (write each entry on its own line starting with `- `)"},
    {"name": "yaml-wrong-type-nested", "files": {"data/topics/t.yml": GOOD_TOPIC + "exams:\n  - round: 백삼십\n    session: 1\n    number: 3\n"},
     "expected": "data/topics/t.yml, line 5, column 5, field 'exams[0].round': error: expected a whole number, got '백삼십' (write a whole number)"},
    {"name": "yaml-unknown-field", "files": {"data/topics/t.yml": GOOD_TOPIC + "keyword:\n  - term: x\n"},
     "expected": "data/topics/t.yml, line 4, column 1, field 'keyword': error: unknown field 'keyword' (did you mean 'keywords'?)"},
    {"name": "yaml-duplicate-key", "files": {"data/topics/t.yml": GOOD_TOPIC + "title: 전이학습\n"},
     "expected": "data/topics/t.yml, line 4, column 1: error: key 'title' appears twice (first on line 1) (keep one of them; the second would silently replace the first)"},
    {"name": "yaml-alias-bomb", "files": {"data/topics/t.yml": _bomb()},
     "expected": "data/topics/t.yml, line 5, column 1: error: the file expands to more than 20,000 values (aliases `*name` repeat anchors `&name`) (write the values out without anchors and aliases)"},
    # Found by the fuzz targets (tests/fuzz_targets.py): these crashed or raised before.
    {"name": "yaml-deep-flow-nesting", "files": {"data/topics/t.yml": GOOD_TOPIC + "related: " + "[" * 50_000 + "\n"},
     "expected": "data/topics/t.yml, line 4, column 50: error: values nested more than 40 levels deep (flatten the structure)"},
    {"name": "yaml-unknown-tag", "files": {"data/topics/t.yml": GOOD_TOPIC + "label: !!python/name:os.system echo\n"},
     "expected": "data/topics/t.yml, line 4, column 8: error: unknown YAML tag 'tag:yaml.org,2002:python/name:os.system' (remove the `!tag` before the value)"},
    {"name": "yaml-5000-digit-number", "files": {"data/topics/t.yml": GOOD_TOPIC + "nav_order: 1" + "0" * 5000 + "\n"},
     "expected": "data/topics/t.yml, line 4, column 12: error: value cannot be read: Exceeds the limit (4300 digits) for integer string conversion: value has 5001 digits (write a shorter number, or put the value in quotes)"},
    {"name": "snippet-outside-the-project", "files": {"data/topics/t.yml": GOOD_TOPIC + "snippets:\n  - path: ../../../../../../etc/passwd\n"},
     "expected": "data/topics/t.yml, line 5, column 5, field 'snippets[0].path': error: snippet path '../../../../../../etc/passwd' leads outside the project folder (keep snippets inside the project folder: they are run by the build)"},
    {"name": "snippet-absolute-path", "files": {"data/topics/t.yml": GOOD_TOPIC + "snippets:\n  - path: /etc/passwd\n"},
     "expected": "data/topics/t.yml, line 5, column 5, field 'snippets[0].path': error: snippet path '/etc/passwd' is not a relative path (give the path relative to kbgen.yml, inside the project folder)"},
    {"name": "yaml-empty-file", "files": {"data/topics/t.yml": "# nothing yet\n"},
     "expected": "data/topics/t.yml: error: the file is empty (write the topic's fields, or run `kbgen new` for a skeleton)"},
    {"name": "yaml-list-at-top", "files": {"data/topics/t.yml": "- title: 전이 학습\n"},
     "expected": "data/topics/t.yml, line 1, column 1: error: expected a mapping (key: value), got a list (write the fields as `key: value` lines)"},
    {"name": "yaml-two-documents", "files": {"data/topics/t.yml": GOOD_TOPIC + "---\ntitle: 둘째\n"},
     "expected": "data/topics/t.yml, line 4, column 1: error: YAML syntax error: the file holds more than one YAML document (remove the `---` lines after the first)"},
    {"name": "yaml-not-utf8", "files": {"data/topics/t.yml": "title: 전이 학습\n".encode("cp949")},
     "expected": "data/topics/t.yml, line 1: error: byte 0xC0 is neither UTF-8 nor CP949 text (save the file as UTF-8)"},
    {"name": "yaml-overlay-missing-row", "files": {"data/topics/t.yml": "no: 99\nslug: lstm\n"},
     "expected": "data/topics/t.yml, line 1, column 1, field 'no': error: no sheet row has NO 99 in subject 'ai' (fix the number, or remove `no` to make this a topic of its own)"},
    {"name": "yaml-slug-dotdot", "files": {"data/topics/t.yml": GOOD_TOPIC + "slug: ../../etc/passwd\n"},
     "expected": "data/topics/t.yml, line 4, column 1, field 'slug': error: '../../etc/passwd' is not allowed here (use lowercase letters, digits, Hangul and '-' only (no '/', '..' or spaces))"},
    {"name": "yaml-slug-slash", "files": {"data/topics/t.yml": GOOD_TOPIC + "slug: ai/transfer\n"},
     "expected": "data/topics/t.yml, line 4, column 1, field 'slug': error: 'ai/transfer' is not allowed here (use lowercase letters, digits, Hangul and '-' only (no '/', '..' or spaces))"},
    {"name": "two-topics-one-slug", "files": {"data/topics/t.yml": GOOD_TOPIC + "slug: lstm\n"},
     "expected": "data/topics/t.yml: error: topics 'LSTM (Long Short Term Memory)' (data/ai.csv, row 2 (line 2)) and '전이 학습' share the slug 'lstm' (give one of them its own `slug:` in a YAML file)"},
    {"name": "yaml-unknown-category", "files": {"data/topics/t.yml": "title: 전이 학습\ncategory: nlp\n"},
     "expected": "data/topics/t.yml, line 2, column 1, field 'category': error: category 'nlp' is not a category of subject 'ai' (use one of: dl)"},
    {"name": "yaml-own-topic-without-title", "files": {"data/topics/t.yml": "definition: 제목 없는 토픽\n"},
     "expected": "data/topics/t.yml, line 1, column 1: error: a topic of its own needs a title (add `title: …`, or `no: …` to overlay a sheet row)"},
    {"name": "config-unknown-field", "files": {"kbgen.yml": BASE["kbgen.yml"] + "exam: data/exams.csv\n"},
     "expected": "kbgen.yml, line 8, column 1, field 'exam': error: unknown field 'exam' (did you mean 'exams'?)"},
    {"name": "config-missing-csv", "files": {"kbgen.yml": BASE["kbgen.yml"].replace("data/ai.csv", "data/AI.csv")},
     "expected": "kbgen.yml, line 4, column 5, field 'subjects[0].csv': error: csv path 'data/AI.csv' does not exist (fix the path (relative to kbgen.yml))"},
    {"name": "exams-bad-round", "files": {"kbgen.yml": BASE["kbgen.yml"] + "exams: data/exams.csv\n",
                                          "data/exams.csv": "회차,교시,번호,문제,토픽\n제132회,1,3,LSTM을 설명하시오,LSTM\n"},
     "expected": "data/exams.csv, row 2, column 회차: error: '제132회' is not a whole number (write the number, e.g. 132 or 132회)"},
]
