"""Themes: a site overrides one template or static file and keeps the rest; colours come from config."""

from tests.conftest import NOW, gsgen
from tests.pages import Page
from tests.sites import minimal_site, write_site


def test_a_site_template_overrides_the_default_and_the_rest_stays(tmp_path):
    files = minimal_site()
    files["themes/default/templates/404.html"] = (
        "{% extends 'base.html' %}{% block main %}<h1>本站自定义的404页面</h1>{% endblock %}"
    )
    out = tmp_path / "out"
    assert gsgen("build", write_site(tmp_path / "s", files), "--now", NOW, "-o", out).code == 0
    assert "本站自定义的404页面" in Page(out / "404.html").text("main")
    assert "测试县人民政府" in Page(out / "404.html").text("header")


def test_a_named_theme_falls_back_to_the_default(tmp_path):
    files = minimal_site()
    files["config.yaml"] += "theme: blue\n"
    files["themes/blue/static/css/site.css"] = "body{color:#222}@media print{nav{display:none}}"
    out = tmp_path / "out"
    assert gsgen("build", write_site(tmp_path / "s", files), "--now", NOW, "-o", out).code == 0
    assert (out / "static/css/site.css").read_text().startswith("body{color:#222}")
    assert (out / "index.html").is_file()


def test_colours_come_from_config_through_css_variables(tmp_path):
    files = minimal_site()
    files["config.yaml"] += 'colors: {primary: "#0b5394", secondary: ["#38761d"]}\n'
    out = tmp_path / "out"
    assert gsgen("build", write_site(tmp_path / "s", files), "--now", NOW, "-o", out).code == 0
    html = (out / "index.html").read_text("utf-8")
    assert "--primary:#0b5394" in html and "--secondary:#38761d" in html
    assert "var(--primary)" in (out / "static/css/site.css").read_text()


def test_javascript_is_minified(tmp_path):
    out = tmp_path / "out"
    assert gsgen("build", write_site(tmp_path / "s", minimal_site()), "--now", NOW, "-o", out).code == 0
    js = (out / "static/js/site.js").read_text()
    assert js and "/*" not in js and "\n  " not in js


def test_a_column_pointing_to_a_non_government_system_gets_the_leaving_prompt(tmp_path):
    files = minimal_site()
    files["content/wsbs/_column.yaml"] = "name: 网上办事\ntype: 办事服务\nurl: https://zwfw.example.com/\n"
    files["config.yaml"] = files["config.yaml"].replace("hdjl, bsfw]", "hdjl, bsfw, wsbs]")
    out = tmp_path / "out"
    assert gsgen("build", write_site(tmp_path / "s", files), "--strict", "--now", NOW, "-o", out).code == 0
    assert '<a href="https://zwfw.example.com/" data-external' in (out / "index.html").read_text("utf-8")


def test_a_template_cannot_reach_python_or_change_the_site(tmp_path):
    """A theme is an input like content: a template that reaches for Python's insides (the usual
    template-injection route to os) or changes what it is given stops the build at its line, and
    nothing it asked for runs."""
    marker = tmp_path / "ran"
    files = minimal_site()
    files["themes/default/templates/404.html"] = (
        "{% extends 'base.html' %}{% block main %}\n"
        f"{{{{ cycler.__init__.__globals__.os.mkdir('{marker}') }}}}\n"
        "{% endblock %}"
    )
    files["themes/default/templates/sitemap.html"] = (
        "{% extends 'base.html' %}{% block main %}\n\n{{ site.config.words.append(1) }}\n{% endblock %}"
    )
    out = tmp_path / "out"
    run = gsgen("build", write_site(tmp_path / "s", files), "--now", NOW, "-o", out)
    assert run.code == 1 and not marker.exists() and not out.exists(), run.text
    errors = [line for line in run.out.splitlines() if "error[THEME]" in line]
    assert any(line.startswith("themes/default/templates/404.html:2:") for line in errors), run.out
    assert any(line.startswith("themes/default/templates/sitemap.html:3:") for line in errors), run.out
    assert all("不能访问 Python 内部属性或修改数据" in line for line in errors), run.out
    assert "Traceback" not in run.text
