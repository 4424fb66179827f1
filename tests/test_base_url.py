"""The address a site gives for itself (Url meta tags, QR codes, RSS, sitemap) is https on its own
domain; a test build names another address explicitly with `--base-url`, and says so."""

from __future__ import annotations

import pytest
from lxml import html

from tests.conftest import NOW, assert_breaks, tree_digest
from tests.conftest import gsgen_here as gsgen
from tests.sites import edited, minimal_site, replace, write_site

OWN = "base_url: https://www.test.gov.cn/"


@pytest.mark.parametrize(
    "written",
    ["http://www.test.gov.cn/", "https://www.example.com/", "http://10.0.0.8:8080/", "https://www.test.gov.cn/site/"],
)
def test_a_base_url_off_the_sites_own_https_domain_fails(tmp_path, published, written):
    edit = {"config.yaml": replace(OWN, f"base_url: {written}")}
    assert_breaks(tmp_path, published, "FIELD", edit, "config.yaml", "https://www.test.gov.cn/")


def test_a_test_build_uses_the_address_it_names_and_asks_not_to_be_indexed(tmp_path):
    site = write_site(tmp_path / "s", minimal_site())
    run = gsgen("build", site, "--now", NOW, "-o", tmp_path / "out", "--base-url", "http://10.0.0.8:8080/")
    assert run.code == 0, run.text
    assert "测试构建" in run.out and "http://10.0.0.8:8080/" in run.out
    page = html.fromstring((tmp_path / "out" / "gzdt" / "index.html").read_bytes())
    assert page.xpath('//meta[@name="robots"]/@content') == ["noindex, nofollow"]
    assert "http://10.0.0.8:8080/gzdt/" in (tmp_path / "out" / "sitemap.xml").read_text()
    # and a real build of the same site does neither
    real = gsgen("build", site, "--now", NOW, "-o", tmp_path / "real")
    assert real.code == 0 and "测试构建" not in real.out
    page = html.fromstring((tmp_path / "real" / "gzdt" / "index.html").read_bytes())
    assert not page.xpath('//meta[@name="robots"]')
    assert "10.0.0.8" not in (tmp_path / "real" / "sitemap.xml").read_text()


@pytest.mark.parametrize(
    "written", ["ftp://10.0.0.8/", "http://10.0.0.8:8080/sub/", "http://u:p@10.0.0.8/", "10.0.0.8"]
)
def test_a_test_build_refuses_what_is_not_a_test_servers_root(tmp_path, written):
    site = write_site(tmp_path / "s", minimal_site())
    out = tmp_path / "out"
    assert gsgen("build", site, "--now", NOW, "-o", out).code == 0
    before = tree_digest(out)
    run = gsgen("build", site, "--now", NOW, "-o", out, "--base-url", written)
    assert run.code == 2 and "测试服务器的网址" in run.err and "Traceback" not in run.text
    assert tree_digest(out) == before


def test_a_response_to_public_concern_needs_no_policy(tmp_path):
    """回应关切 answers rumours and emergencies as well as policies: `interprets` is optional there."""
    files = edited(
        minimal_site(),
        {
            "content/hygq/_column.yaml": "name: 回应关切\ntype: 回应关切\ndescription: 回应关切\nkeywords: [回应]\n",
            "content/hygq/2025-01-08-py.md": "---\ntitle: 关于网传“自来水停供一周”的辟谣说明\ndate: 2025-01-08 18:00\n"
            "source: 测试县水务局\n---\n\n网传消息不实，全县供水正常。\n",
        },
    )
    run = gsgen("build", write_site(tmp_path / "s", files), "--strict", "--now", NOW, "-o", tmp_path / "out")
    assert run.code == 0, run.text
    assert "自来水停供一周" in (tmp_path / "out" / "hygq" / "2025-01-08-py.html").read_text()
    # while a 政策解读 still names its policy
    files["content/jdhy/2025-01-03-jd.md"] = files["content/jdhy/2025-01-03-jd.md"].replace(
        "interprets: zcwj/2025-001\n", ""
    )
    run = gsgen("build", write_site(tmp_path / "t", files), "--now", NOW, "-o", tmp_path / "out2")
    assert run.code == 1 and "error[POLICY-INTERP]" in run.out
