from gsgen.markdown import body_html, parse_body

FILES = {"zcwj/2024-003.md", "gzdt/a/photo.jpg", "gzdt/b.pdf"}


def html_of(source: str) -> str:
    return body_html(parse_body(source, "gzdt/a", FILES))


def test_tables_are_rendered():
    html = html_of("| 序号 | 事项 |\n| --- | --- |\n| 1 | 防火 |\n")
    assert "<table>" in html and "<td>防火</td>" in html


def test_links_written_as_files_become_published_urls():
    html = html_of("[通知](../zcwj/2024-003.md#第二条) ![现场](photo.jpg) [附件](b.pdf) [国务院](https://www.gov.cn/)")
    assert 'href="/zcwj/2024-003.html#%E7%AC%AC%E4%BA%8C%E6%9D%A1"' in html
    assert 'src="/gzdt/a/photo.jpg"' in html
    assert 'href="/gzdt/b.pdf"' in html
    assert 'href="https://www.gov.cn/"' in html and "data-external" not in html


def test_links_leaving_the_government_web_are_marked_for_the_prompt():
    html = html_of("[天气](https://www.weather.com.cn/) [政府](https://www.gov.cn/)")
    assert '<a href="https://www.weather.com.cn/" data-external=""' in html
    assert html.count("data-external") == 1


def test_refs_record_what_did_not_resolve_with_their_line():
    body = parse_body("正文\n\n[缺失](../zcwj/2099-001.md)\n", "gzdt/a", FILES, first_line=7)
    assert [(r.line, r.written, r.target) for r in body.refs] == [(9, "../zcwj/2099-001.md", None)]


def test_raw_html_is_sanitised_to_the_allow_list():
    html = html_of(
        '<p onclick="steal()">段落</p>\n\n<script>alert(1)</script>\n\n<iframe src="https://evil.example.com/"></iframe>'
        '\n\n<iframe src="https://v.example.gov.cn/1"></iframe>\n\n<b>加粗</b>'
    )
    assert "onclick" not in html and "<script" not in html and "alert(1)" not in html
    assert "evil.example.com" not in html
    assert 'src="https://v.example.gov.cn/1"' in html
    assert "<b>加粗</b>" in html


def test_plain_text_for_descriptions():
    assert parse_body("## 一、背景\n\n为了**做好**工作。", "gzdt/a", FILES).text == "一、背景\n为了做好工作。"


def test_a_cached_body_is_parsed_again_when_its_links_resolve_differently():
    from gsgen.markdown import BodyCache

    cache = BodyCache()
    source = "[通知](../zcwj/2024-003.md) 正文"
    first = cache.body(source, "gzdt/a", FILES, 1, ())
    assert cache.body(source, "gzdt/a", FILES, 1, ()) is first  # same text, same files: not parsed again
    gone = cache.body(source, "gzdt/a", FILES - {"zcwj/2024-003.md"}, 1, ())
    assert gone is not first and gone.refs[0].target is None
    assert 'href="../zcwj/2024-003.md"' in gone.html


def test_many_bodies_parse_in_worker_processes_as_they_would_one_by_one():
    from gsgen.markdown import BodyCache, BodySource

    sources = [
        BodySource(f"第{n}条[通知](../zcwj/2024-003.md)\n\n- 一\n- <b>二</b>", f"gzdt/{n}", n) for n in range(450)
    ]
    parsed = BodyCache().bodies(sources, FILES, (), jobs=2)  # above the pool's minimum of 400
    assert parsed == [parse_body(s.source, s.item_path, FILES, s.first_line) for s in sources]
    assert parsed[7].refs[0].line == 7 and "第7条" in parsed[7].text
