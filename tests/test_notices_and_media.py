"""The homepage's notice slot (config.yaml `notices`) and the 政务新媒体 block (`new_media`)."""

from __future__ import annotations

import pytest
from lxml import html

from tests.conftest import NOW, assert_breaks
from tests.conftest import gsgen_here as gsgen
from tests.sites import edited, minimal_site, write_site

PNG = bytes.fromhex(  # a 1×1 picture whose chunks are what they say (a broken one is a warning)
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082"
)


def with_config(extra: str, **files: str | bytes) -> dict:
    return edited(minimal_site(), {"config.yaml": lambda c: c + extra, **files})


def homepage(tmp_path, files, now: str = NOW) -> html.HtmlElement:
    run = gsgen("build", write_site(tmp_path / "s", files), "--strict", "--now", now, "-o", tmp_path / "out")
    assert run.code == 0, run.text
    return html.fromstring((tmp_path / "out" / "index.html").read_bytes())


NOTICES = """\
notices:
  - {title: 暴雨红色预警：全县中小学停课一天, kind: 紧急, from: 2025-01-09 06:00, until: 2025-01-11 00:00, link: gzdt/2025-01-06-e}
  - {title: 本网站迁移至新域名的公告, kind: 迁移, from: 2025-01-01 09:00, until: 2025-02-15 00:00, text: 旧网址将于2月15日停止访问。}
  - {title: 已过期的公告, kind: 公告, from: 2024-12-01 09:00, until: 2025-01-01 00:00}
  - {title: 尚未开始的公告, kind: 公告, from: 2025-02-01 09:00}
"""


def test_the_homepage_shows_current_notices_emergencies_first(tmp_path):
    page = homepage(tmp_path, with_config(NOTICES))
    slot = page.xpath('//section[@class="home-notices"]')
    assert slot, "no notice slot on the homepage"
    titles = [" ".join(li.text_content().split()) for li in slot[0].xpath(".//li")]
    assert len(titles) == 2 and "暴雨红色预警" in titles[0] and "迁移至新域名" in titles[1], titles
    assert "旧网址将于2月15日停止访问" in titles[1]
    assert slot[0].xpath(".//li[1]//a/@href") == ["/gzdt/2025-01-06-e.html"]
    # the slot sits before the columns, and is not announced on every load as an alert
    assert page.xpath('//section[@class="home-notices"]/following::div[@class="home-grid"]')
    assert not page.xpath('//*[@role="alert"]')


def test_a_notice_is_gone_once_its_time_is_over(tmp_path):
    page = homepage(tmp_path, with_config(NOTICES), now="2025-03-01 12:00")
    titles = [li.text_content() for li in page.xpath('//section[@class="home-notices"]//li')]
    assert len(titles) == 1 and "尚未开始的公告" in titles[0]


@pytest.mark.parametrize(
    ("notice", "word"),
    [
        ("{title: 网站临时下线公告, kind: 临时下线, from: 2025-01-01 09:00, until: 2025-01-10 09:00}", "不足 30 天"),
        ("{title: 网站开通公告, kind: 开通, from: 2025-01-05 09:00, until: 2025-01-04 09:00}", "不晚于"),
        ("{title: 公告, kind: 公告, from: 2025-01-05 09:00, link: gzdt/no-such-item}", "不是已发布的条目"),
    ],
)
def test_a_notice_taken_down_too_early_or_pointing_nowhere_fails(tmp_path, published, notice, word):
    edit = {"config.yaml": lambda c: c + f"notices:\n  - {notice}\n"}
    assert_breaks(tmp_path, published, "NOTICE", edit, "config.yaml:", word)


def test_a_notice_of_an_unknown_kind_fails_at_its_line(tmp_path, published):
    edit = {"config.yaml": lambda c: c + "notices:\n  - {title: 公告, kind: 通告, from: 2025-01-05 09:00}\n"}
    assert_breaks(tmp_path, published, "FIELD", edit, "config.yaml:", "公告类型")


def test_new_media_accounts_are_shown_with_their_qr_codes(tmp_path):
    media = (
        "new_media:\n"
        "  - {platform: 微信公众号, name: 测试县发布, account: test_fabu, qr: /images/wx.png}\n"
        "  - {platform: 微博, name: 测试县发布, url: https://weibo.com/testfabu}\n"
    )
    page = homepage(tmp_path, with_config(media, **{"content/images/wx.png": PNG}))
    block = page.xpath('//section[@class="new-media"]')
    assert block and "政务新媒体" in block[0].text_content()
    assert block[0].xpath(".//img/@alt") == ["「测试县发布」微信公众号二维码"]
    assert (tmp_path / "out" / "images" / "wx.png").read_bytes() == PNG
    link = block[0].xpath(".//a")[0]
    assert link.get("href") == "https://weibo.com/testfabu" and link.get("data-external") is not None


@pytest.mark.parametrize(
    ("entry", "rule", "word"),
    [
        ("{platform: 微信公众号, name: 测试县发布, qr: 'https://evil.example.com/qr.png'}", "SAFE-HTML", "二维码"),
        ("{platform: 微信公众号, name: 测试县发布, url: 'javascript:alert(1)'}", "SAFE-HTML", "url"),
        ("{platform: 微信公众号}", "FIELD", "name"),
    ],
)
def test_a_new_media_entry_passes_the_gate(tmp_path, published, entry, rule, word):
    edit = {"config.yaml": lambda c: c + f"new_media:\n  - {entry}\n"}
    assert_breaks(tmp_path, published, rule, edit, "config.yaml:", word)
