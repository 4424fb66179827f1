"""The default theme in a real browser: accessibility (axe-core), phone widths, 长辈模式, the archive
banner, the leaving prompt, sharing. Pages of the example site, as citizens and inspectors see them."""

from __future__ import annotations

import numpy
import pytest
import zxingcpp

from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium, serve
from tests.conftest import EXAMPLE_NOW, REPO, gsgen

PAGES = {
    "homepage": "/index.html",
    "column": "/gzdt/index.html",
    "article": "/gzdt/zwyw/2026-11-18-dongjianquan.html",
    "archived article": "/gzdt/zwyw/2024-12-20-aqsc.html",
    "policy": "/zcwj/2023-006.html",
    "service guide": "/bsfw/gtgshdj.html",
    "service catalogue": "/bsfw/index.html",
    "interview": "/hdjl/zxft/2026-10-28-yshj.html",
    "consultation": "/hdjl/zjdc/2026-09-01-tcgl.html",
    "data page": "/sjfb/jjzb.html",
    "open government catalogue": "/xxgk/xxgkml/index.html",
    "catalogue of a column": "/xxgk/xxgkml/lm/zcwj/index.html",
    "work report": "/ndbb/2025.html",
    "work reports": "/ndbb/index.html",
    "404": "/404.html",
}
ARTICLE_WITH_EXTERNAL_LINK = "/zt/slfh/2026-11-06-huoxian.html"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    require_chromium()
    out = tmp_path_factory.mktemp("browser") / "public"
    run = gsgen("build", REPO, "--now", EXAMPLE_NOW, "-o", out)
    assert run.code == 0, run.text
    with serve(out) as url:
        yield url


@pytest.fixture(scope="module")
def browser(site_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    tab = context.new_page()
    yield tab
    context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_accessibility_violations(page, site_url, name):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(site_url + PAGES[name])
    result = Axe().run(page)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious


@pytest.mark.parametrize("width", [320, 375, 768, 1280])
@pytest.mark.parametrize(
    "name",
    [
        "homepage",
        "article",
        "service guide",
        "service catalogue",
        "interview",
        "data page",
        "policy",
        "open government catalogue",
        "work report",
    ],
)
def test_no_horizontal_scrolling(page, site_url, width, name):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site_url + PAGES[name])
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{name} is {scroll_width}px wide at {width}px"


def body_font_size(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.querySelector('.body p')).fontSize)")


def test_elder_mode_enlarges_text_and_is_remembered(page, site_url):
    page.goto(site_url + PAGES["article"])
    before = body_font_size(page)
    switch = page.get_by_role("button", name="长辈模式")
    switch.focus()
    page.keyboard.press("Enter")  # usable by keyboard
    after = body_font_size(page)
    assert after >= before * 1.25
    assert page.get_by_role("button", name="退出长辈模式").get_attribute("aria-pressed") == "true"
    page.goto(site_url + PAGES["policy"])  # remembered on the next page
    assert page.evaluate("document.documentElement.classList.contains('elder')")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_archive_banner_is_visible_above_the_text(page, site_url):
    page.goto(site_url + PAGES["archived article"])
    banner = page.locator(".banner-archived")
    assert banner.is_visible()
    assert "已归档" in banner.inner_text() and "2024-12-31 17:00" in banner.inner_text()
    title = page.locator("article h1")
    assert banner.bounding_box()["y"] < title.bounding_box()["y"]


def test_a_non_government_link_prompts_and_a_government_link_does_not(page, site_url):
    page.goto(site_url + ARTICLE_WITH_EXTERNAL_LINK)
    page.locator("a[href^='https://www.weather.com.cn']").first.click()
    dialog = page.get_by_role("dialog")
    assert dialog.is_visible()
    assert "www.weather.com.cn" in dialog.inner_text()
    assert page.url.startswith(site_url)  # still here
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    page.goto(site_url + "/zcwj/2023-021.html")
    gov = page.locator(".body a[href^='https://www.gov.cn']").first
    gov.evaluate("a => a.addEventListener('click', e => e.preventDefault())")  # do not really leave
    gov.click()
    assert page.locator("dialog[open]").count() == 0


def test_sharing_offers_a_qr_code_and_copy_link(page, site_url):
    page.goto(site_url + PAGES["article"])
    qr = page.get_by_role("img", name="本页二维码，手机扫码阅读")
    assert qr.is_visible() and qr.locator("svg").count() == 1
    decoded = _decoded_qr(page, qr.locator("svg"))  # the page's own address, as a phone reads it
    assert decoded.startswith("http") and decoded.endswith(PAGES["article"]), decoded
    assert page.get_by_role("button", name="复制链接").is_visible()
    assert page.get_by_role("button", name="打印本页").is_visible()


def _decoded_qr(page, svg) -> str:
    """What a phone reads from the QR code as the browser draws it: its pixels, decoded by zxing-cpp.
    (Drawn in a blank tab: the site's content security policy rightly refuses data: images.)"""
    markup = svg.evaluate("svg => new XMLSerializer().serializeToString(svg)")
    blank = page.context.new_page()
    try:
        pixels = blank.evaluate(
            """async markup => {
                const image = new Image();
                image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(markup);
                await image.decode();
                const canvas = document.createElement("canvas");
                [canvas.width, canvas.height] = [image.width, image.height];
                const draw = canvas.getContext("2d");
                draw.drawImage(image, 0, 0);
                const rgba = draw.getImageData(0, 0, canvas.width, canvas.height).data;
                return {width: canvas.width, grey: Array.from(rgba.filter((_, i) => i % 4 === 0))};
            }""",
            markup,
        )
    finally:
        blank.close()
    grey = numpy.array(pixels["grey"], dtype=numpy.uint8).reshape(-1, pixels["width"])
    found = zxingcpp.read_barcode(grey)
    return found.text if found else ""


def test_data_page_draws_a_chart_and_offers_downloads(page, site_url):
    page.goto(site_url + PAGES["data page"])
    assert page.locator("figure.chart svg rect.bar").count() > 0
    for kind in ("CSV", "JSON"):
        href = page.get_by_role("link", name=kind).get_attribute("href")
        assert page.request.get(site_url + href).ok


def test_the_work_report_offers_its_figures_as_csv_and_the_catalogue_scrolls_within_itself(page, site_url):
    page.goto(site_url + PAGES["work report"])
    href = page.get_by_role("link", name="CSV").get_attribute("href")
    response = page.request.get(site_url + href)
    assert response.ok and response.body().startswith("\ufeff板块,指标,数值".encode())
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(site_url + PAGES["open government catalogue"])
    region = page.get_by_role("region", name="信息公开目录")  # the wide table, reachable by keyboard
    assert region.get_attribute("tabindex") == "0"
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")


def test_phone_menu_collapses_and_opens(page, site_url):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site_url + PAGES["homepage"])
    channel = page.locator("#channels a", has_text="政策文件")
    assert not channel.is_visible()
    page.get_by_role("button", name="栏目导航").click()
    assert channel.is_visible()


def test_no_request_leaves_the_site(page, site_url):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    for path in PAGES.values():
        page.goto(site_url + path)
    assert [url for url in requests if not url.startswith(site_url)] == []


@pytest.mark.parametrize("name", [*PAGES, "search"])
def test_the_content_security_policy_blocks_nothing_of_the_sites_own(page, site_url, name):
    """Every page declares a policy allowing only the site's own scripts (gsgen/gate/policy.py); the
    theme, the charts, the QR code and the search must all work under it."""
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(str(error)))
    page.goto(site_url + PAGES.get(name, "/search.html?q=森林防火"))
    if name == "search":
        page.wait_for_selector(".search-results li")
    page.wait_for_load_state("networkidle")
    assert [m for m in messages if "Content Security Policy" in m or "Refused to" in m] == []


def test_the_content_security_policy_stops_an_injected_script(page, site_url):
    """Were markup with a script ever to get into a page, the browser would not run it."""
    page.goto(site_url + PAGES["article"])
    assert injected_handler_ran(page) is False


def injected_handler_ran(page) -> bool:
    """Insert an image whose inline error handler sets a flag; a listener added after it (so it runs
    after it) says when the error event has been dispatched."""
    page.evaluate(
        """() => {
            document.querySelector("main").insertAdjacentHTML("beforeend",
                '<img id="probe" src="/nowhere.png" onerror="window.defaced = true">');
            document.getElementById("probe").addEventListener("error", () => { window.probed = true; });
        }"""
    )
    page.wait_for_function("() => window.probed === true")
    return page.evaluate("() => window.defaced === true")


def test_without_the_policy_the_same_injection_would_run(page, site_url):
    """The check above can fail: the same page with its policy removed runs the handler."""
    html = page.context.request.get(site_url + PAGES["article"]).text()
    page.route(
        site_url + "/nowhere.html", lambda route: route.fulfill(body=html.replace("Content-Security-Policy", "x"))
    )
    page.goto(site_url + "/nowhere.html")
    assert injected_handler_ran(page) is True
