"""The cell notation, case by case: PRODUCT.md's table and its list of what real sheets do."""
from __future__ import annotations

from kbgen.model import Item
from kbgen.notation import parse_cell, split_pairs, split_term


def shape(items: list[Item]) -> list:
    """Compact view: text, or (text, children) / with kind when it is not a plain item."""
    out = []
    for it in items:
        head = it.text if it.kind == "item" else f"{it.kind}:{it.text}"
        out.append((head, shape(it.children)) if it.children else head)
    return out


def sections(text: str, tokens=frozenset()):
    cell = parse_cell(text, tokens=tokens)
    return cell, {s.name: shape(s.items) for s in cell.sections}


def test_lead_first_line_is_the_definition_and_later_lead_lines_are_items():
    cell = parse_cell("RNN의 은닉층에 게이트 3개를 둔 모델\n시계열에 강함\n[특징]\n* 장기 의존성 해결")
    assert cell.definition == "RNN의 은닉층에 게이트 3개를 둔 모델"
    assert shape(cell.lead) == ["RNN의 은닉층에 게이트 3개를 둔 모델", "시계열에 강함"]
    assert [s.name for s in cell.sections] == ["특징"]


def test_header_tail_is_the_first_item_and_children_nest_under_it():
    _, got = sections("정의\n[구성요소] 정보저장삭제\n> Forget Gate: 지울 정보 결정\n>> 시그모이드 사용\n연산처리")
    assert got["구성요소"] == [
        ("정보저장삭제", [("Forget Gate: 지울 정보 결정", ["시그모이드 사용"])]),
        "연산처리",
    ]


def test_markers_are_removed_and_text_kept_exactly():
    cell = parse_cell("정의\n[특징]\n- 하나\n* 둘\n• 셋\n넷")
    items = cell.sections[0].items
    assert [(i.marker, i.text) for i in items] == [("- ", "하나"), ("* ", "둘"), ("• ", "셋"), ("", "넷")]


def test_inline_gt_is_text_never_hierarchy():
    _, got = sections("정의\n[절차]\nSelf > Attention\n입력>은닉>출력\nA > > B\nLinear > Softmax")
    assert got["절차"] == ["Self > Attention", "입력>은닉>출력", "A > > B", "Linear > Softmax"]


def test_gt_without_space_is_a_child():
    _, got = sections("정의\n[특징]\nSoftmax\n>출력 합은 1\n>> 확률로 해석")
    assert got["특징"] == [("Softmax", [("출력 합은 1", ["확률로 해석"])])]


def test_child_with_no_item_above_stays_in_the_section():
    _, got = sections("정의\n[특징]\n> 단일 레이어 반복\n> 4개 상호작용 구조")
    assert got["특징"] == ["단일 레이어 반복", "4개 상호작용 구조"]


def test_term_and_description_first_separator_only():
    assert split_term("Output Gate: 최종 출력 결정") == ("Output Gate", "최종 출력 결정")
    assert split_term("비율: 정밀도: 예측 중 정답") == ("비율", "정밀도: 예측 중 정답")
    assert split_term("A : B") == ("A", "B")
    assert split_term("용어 = 설명") == ("용어", "설명")
    assert split_term("초평면(Hyperplane: 분리면) 이용") == (None, None)
    assert split_term("시간 12:30, 비율 1:1, http://x") == (None, None)
    assert split_term("a==b 그리고 x<=y") == (None, None)


def test_several_pairs_on_one_line_become_siblings_that_rejoin_to_the_line():
    parts = split_pairs("Forget Gate: 제거 결정, Input Gate: 저장 결정; Output Gate: 출력")
    assert parts == [("", "Forget Gate: 제거 결정"), (", ", "Input Gate: 저장 결정"), ("; ", "Output Gate: 출력")]
    cell = parse_cell("정의\n[구성]\n> 연산처리\nForget Gate: 제거 결정, Input Gate: 저장 결정")
    items = cell.sections[0].items
    assert [(i.term, i.description, i.joiner) for i in items[1:]] == [
        ("Forget Gate", "제거 결정", ""), ("Input Gate", "저장 결정", ", "),
    ]


def test_a_comma_inside_a_description_is_not_a_new_pair():
    assert split_pairs("Gate: 정보 통과 여부 결정, 셀 상태 보호") == [("", "Gate: 정보 통과 여부 결정, 셀 상태 보호")]


def test_colon_inside_brackets_is_not_a_separator():
    cell = parse_cell("정의\n[구성요소]\n초평면(Hyperplane: 분리면): 두 클래스를 나누는 경계")
    item = cell.sections[0].items[0]
    assert (item.term, item.description) == ("초평면(Hyperplane: 분리면)", "두 클래스를 나누는 경계")


def test_ordered_steps_and_examples():
    _, got = sections("정의\n[절차]\n① 입력 임베딩\n2) 위치 인코딩\n3. 인코더\n(4) 디코더\nex) 번역, 요약\n> ex) 챗봇")
    assert got["절차"] == [
        "step:입력 임베딩", "step:위치 인코딩", "step:인코더", "step:디코더",
        ("example:번역, 요약", ["example:챗봇"]),
    ]


def test_a_number_that_is_not_a_step_marker_is_text():
    _, got = sections("정의\n[특징]\n1.5배 빠름\n3D 합성곱")
    assert got["특징"] == ["1.5배 빠름", "3D 합성곱"]


def test_plus_lines_open_groups_that_take_the_items_below():
    _, got = sections("정의\n[절차]\n+ 수집단계\n- 데이터 수집\n> 크롤링\n- 정제\n+ 분석단계\n> 모델링\n[비교]\n차이")
    assert got["절차"] == [
        ("group:수집단계", [("데이터 수집", ["크롤링"]), "정제"]),
        ("group:분석단계", ["모델링"]),
    ]
    assert got["비교"] == ["차이"]


def test_group_labels_at_item_level_are_recognised_by_shape():
    cell, got = sections(
        "정의\n[구성요소] 정보저장삭제\n> Gate\n> Cell State에 정보 추가삭제\n> 시그모이드로 통과 여부 결정\n"
        "> Cell State\n> 이전정보 + 선형연산 > 다음단계전달\n> 덧셈 연산, 기울기 소실문제 해결")
    assert got["구성요소"] == [("정보저장삭제", [
        ("group:Gate", ["Cell State에 정보 추가삭제", "시그모이드로 통과 여부 결정"]),
        ("group:Cell State", ["이전정보 + 선형연산 > 다음단계전달", "덧셈 연산, 기울기 소실문제 해결"]),
    ])]
    assert cell.sections[0].items[0].children[0].inferred


def test_a_plain_list_of_short_points_is_not_regrouped():
    _, got = sections("정의\n[특징]\n병렬 처리\n계산 비용이 높고 구조가 복잡하다\n장기 의존성 해결\n긴 시퀀스도 처리 가능한 구조다")
    assert got["특징"] == ["병렬 처리", "계산 비용이 높고 구조가 복잡하다", "장기 의존성 해결", "긴 시퀀스도 처리 가능한 구조다"]


def test_bulleted_lines_are_never_labels():
    _, got = sections("정의\n[특징]\n* 짧음\n* 이것은 긴 설명 문장이 된다\n* 짧음2\n* 이것도 긴 설명 문장이 된다")
    assert all(isinstance(x, str) for x in got["특징"])


def test_bare_mnemonic_line_under_a_header():
    cell = parse_cell("정의\n[절차]\n수정반\n수집: 데이터 모음\n정제: 결측 제거\n반영: 모델 갱신", tokens={"수정반"})
    section = cell.sections[0]
    assert section.mnemonic == "수정반" and section.mnemonic_line == 3
    assert [i.term for i in section.items] == ["수집", "정제", "반영"]


def test_mnemonic_line_not_in_the_column_is_still_found_when_it_spells_the_list():
    cell = parse_cell("정의\n[절차]\n수정반\n수집\n정제\n반영")
    assert cell.sections[0].mnemonic == "수정반"


def test_a_one_word_item_that_spells_nothing_stays_an_item():
    cell = parse_cell("정의\n[구성요소]\n인코더\n디코더\n어텐션")
    assert cell.sections[0].mnemonic is None
    assert shape(cell.sections[0].items) == ["인코더", "디코더", "어텐션"]


def test_header_tail_mnemonic():
    cell = parse_cell("정의\n[구성요소] 정연\n정보저장삭제\n연산처리", tokens={"정연"})
    assert cell.sections[0].mnemonic == "정연"
    assert shape(cell.sections[0].items) == ["정보저장삭제", "연산처리"]


def test_formulas_reach_the_model_as_typed():
    text = "정의\n[수식]\nReLU(x) = { 0 if x < 0\nσ(x) = 1 / (1 + e^-x)\nL = -Σ y*log(ŷ) | y_i > 0\n*강조 아님*"
    cell = parse_cell(text)
    assert [i.text for i in cell.sections[0].items] == [
        "ReLU(x) = { 0 if x < 0", "σ(x) = 1 / (1 + e^-x)", "L = -Σ y*log(ŷ) | y_i > 0", "*강조 아님*"]
    assert cell.sections[0].items[0].term == "ReLU(x)"


def test_stray_quote_and_brackets_are_kept():
    cell = parse_cell('정의 "인용\n[0, 1] 사이 값\n[특징]\n"따옴표 하나')
    assert cell.definition == '정의 "인용'
    assert shape(cell.lead) == ['정의 "인용', "[0, 1] 사이 값"]
    assert shape(cell.sections[0].items) == ['"따옴표 하나']


def test_crlf_and_blank_lines():
    cell = parse_cell("정의\r\n\r\n[특징]\r\n- 하나\r\n\r\n- 둘")
    assert shape(cell.sections[0].items) == ["하나", "둘"]
    assert cell.sections[0].items[1].line == 6


def test_indented_and_arrow_lines_continue_the_item_above():
    _, got = sections("정의\n[절차]\n수집\n   원천 데이터 확보\n-> 정제로 이어짐\n분석")
    assert got["절차"] == [("수집", ["원천 데이터 확보", "-> 정제로 이어짐"]), "분석"]


def test_mechanism_column_is_kept_apart():
    cell = parse_cell("c_t = f_t * c_{t-1} + i_t * g_t", column="매커니즘")
    assert cell.column == "매커니즘" and cell.definition == "c_t = f_t * c_{t-1} + i_t * g_t"


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kbgen.notation import _make_items  # noqa: E402

_pair_text = st.text(alphabet=st.sampled_from(list("가나 Ab1:=,;/()[]{}「」-.> ")), max_size=30)


@given(_pair_text)
def test_the_fast_pair_path_agrees_with_the_general_rule(text):
    text = text.strip()
    if not text:
        return
    items = _make_items(1, "item", "", text)
    parts = split_pairs(text)
    assert [(it.joiner, it.text) for it in items] == parts
    for it, (_, segment) in zip(items, parts):
        assert (it.term, it.description) == split_term(segment)


def test_korean_answer_bullets_are_markers_and_each_kind_is_a_level():
    # □ heading, ○ point, - detail, ㆍ sub-detail, as an exam answer is written
    cell, got = sections("게이트로 장기 기억을 다루는 RNN\n"
                         "[구성요소] 정연\n□ 정보저장삭제\n○ Forget Gate: 지울 정보 결정\n○ Input Gate: 새 정보 선택\n"
                         "- 시그모이드로 0~1\nㆍ 0이면 차단\n□ 연산처리\n○ 셀 상태 갱신\n"
                         "[특징]\n○ 장기 의존성 해결\n- 기울기 소실 완화\n○ 파라미터가 많음")
    assert got["구성요소"] == [
        ("정보저장삭제", ["Forget Gate: 지울 정보 결정", ("Input Gate: 새 정보 선택", [("시그모이드로 0~1", ["0이면 차단"])])]),
        ("연산처리", ["셀 상태 갱신"]),
    ]
    assert cell.sections[0].mnemonic == "정연"  # the glyphs are not part of the initials
    forget = cell.sections[0].items[0].children[0]
    assert (forget.marker, forget.term, forget.description) == ("○ ", "Forget Gate", "지울 정보 결정")
    # levels start again under each header: ○ is the first kind here
    assert got["특징"] == [("장기 의존성 해결", ["기울기 소실 완화"]), "파라미터가 많음"]


def test_without_korean_bullets_dashes_and_stars_stay_one_level():
    _, got = sections("정의\n[특징]\n- 장기 의존성 해결\n* 기울기 소실 완화\n• 파라미터가 많음")
    assert got["특징"] == ["장기 의존성 해결", "기울기 소실 완화", "파라미터가 많음"]


def test_a_korean_bullet_next_to_other_notation():
    # `>` still adds a level, a header's tail may carry the bullet, a `+` group keeps its members
    _, got = sections("정의\n[절차] □ 수집\n> 로그 적재\n□ 분석\n+ 지도\n○ 분류\n○ 회귀")
    assert got["절차"] == [("수집", ["로그 적재"]), "분석", ("group:지도", ["분류", "회귀"])]
