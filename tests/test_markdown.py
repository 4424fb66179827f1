from gsgen.markdown import render_markdown

FILES = {"zcwj/2024-003.md", "gzdt/a/photo.jpg", "gzdt/b.pdf"}


def test_tables_are_rendered():
    html = render_markdown("| 序号 | 事项 |\n| --- | --- |\n| 1 | 防火 |\n", "gzdt/a", FILES).html
    assert "<table>" in html and "<td>防火</td>" in html


def test_links_written_as_files_become_published_urls():
    body = "[通知](../zcwj/2024-003.md#第二条) ![现场](photo.jpg) [附件](b.pdf) [外部](https://www.gov.cn/)"
    html = render_markdown(body, "gzdt/a", FILES).html
    assert 'href="/zcwj/2024-003.html#%E7%AC%AC%E4%BA%8C%E6%9D%A1"' in html
    assert 'src="/gzdt/a/photo.jpg"' in html
    assert 'href="/gzdt/b.pdf"' in html
    assert 'href="https://www.gov.cn/"' in html


def test_raw_html_is_shown_as_text_not_run():
    html = render_markdown('<script>alert(1)</script>\n\n<a href="x" onclick="y">z</a>', "gzdt/a", FILES).html
    assert "<script>" not in html and "onclick=" not in html.replace("&quot;", '"').split("&lt;a")[0]
    assert "&lt;script&gt;" in html


def test_plain_text_for_descriptions():
    assert render_markdown("## 一、背景\n\n为了**做好**工作。", "gzdt/a", FILES).text == "一、背景\n为了做好工作。"
