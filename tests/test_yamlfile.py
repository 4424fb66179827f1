import pytest

from gsgen.yamlfile import YamlProblem, load


def test_values_stay_text_so_codes_and_dates_are_kept_as_written():
    doc = load("id_code: 0100000001\ndate: 2024-03-05\norder: 10\ndraft: true\nempty:\n")
    assert doc.data == {"id_code": "0100000001", "date": "2024-03-05", "order": "10", "draft": True, "empty": None}


def test_no_yes_no_surprises():
    assert load("answer: no\ncountry: NO\n").data == {"answer": "no", "country": "NO"}


def test_every_value_knows_its_line():
    doc = load("a: 1\npeople:\n  - name: 张三\n    post: 县长\n", first_line=2)
    assert doc.line("people", 0, "post") == 5
    assert doc.line("missing") == 2


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("a: !!python/object/apply:os.system [echo]\n", "标签"),
        ("a: &x [1, 2]\nb: *x\n", "别名"),
        ('a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\n', "别名"),
        ("a: 1\na: 2\n", "重复"),
        ("base: {x: 1}\nc:\n  <<: {x: 2}\n", "合并"),
        ("a:\n\t- b\n", "Tab"),
    ],
)
def test_unsafe_or_ambiguous_yaml_is_refused_with_a_reason(text, word):
    with pytest.raises(YamlProblem) as info:
        load(text)
    assert word in info.value.message
