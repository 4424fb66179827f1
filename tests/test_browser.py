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


def test_a_charts_ticks_are_round_its_legend_shows_colours_and_its_text_stays_legible_on_a_phone(page, site_url):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + PAGES["data page"])
    texts = page.locator("figure.chart svg text")
    # the size text is shown at: its font size in the drawing's units, scaled as the drawing is
    shown = texts.evaluate_all(
        """ts => ts.map(t => { const svg = t.ownerSVGElement;
             return parseFloat(getComputedStyle(t).fontSize) * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width; })"""
    )
    assert min(shown) >= 10, shown  # drawn 640 units wide, shown 358 px wide
    ticks = page.locator('figure.chart svg text[text-anchor="end"]').evaluate_all("ts => ts.map(t => t.textContent)")
    assert ticks[0] == "0" and all(float(t) % 50 == 0 for t in ticks), ticks  # not 62.5, 187.5
    swatches = page.locator(".legend span").evaluate_all("ss => ss.map(s => getComputedStyle(s).backgroundColor)")
    assert len(swatches) == 2 and len(set(swatches)) == 2 and "rgba(0, 0, 0, 0)" not in swatches, swatches


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


# ---------------------------------------------------------------- a citizen's portal (task first)

PHONE, LAPTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 768}


def within_first_screen(page, locator) -> bool:
    """Shown, and wholly inside the viewport as the page opens (no scrolling)."""
    if not locator.is_visible():
        return False
    box, height = locator.bounding_box(), page.viewport_size["height"]
    return box["y"] >= 0 and box["y"] + box["height"] <= height


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_homepages_first_screen_holds_search_services_and_open_government(page, site_url, viewport):
    page.set_viewport_size(viewport)
    page.goto(site_url + PAGES["homepage"])
    assert within_first_screen(page, page.get_by_role("searchbox").first)
    for name in ("办事服务", "政府信息公开"):
        links = page.get_by_role("link", name=name, exact=True)
        assert any(within_first_screen(page, links.nth(k)) for k in range(links.count())), name
    # and they lead somewhere real
    assert page.get_by_role("link", name="政府信息公开", exact=True).first.get_attribute("href") == "/xxgk/index.html"


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_no_cell_of_the_service_guide_is_narrower_than_four_characters_on_a_phone(page, site_url, elder):
    if elder:
        page.add_init_script("localStorage.setItem('gsgen-elder', '1')")
    page.set_viewport_size(PHONE)
    page.goto(site_url + PAGES["service guide"])
    assert page.evaluate("document.documentElement.classList.contains('elder')") == elder
    cells = page.evaluate(
        """() => [...document.querySelectorAll('main table th, main table td')]
            .filter(c => c.getClientRects().length)
            .map(c => {
              const s = getComputedStyle(c);
              const inner = c.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
              return [c.textContent.trim().slice(0, 12), inner / parseFloat(s.fontSize)];
            })"""
    )
    assert len(cells) > 20
    narrow = [(text, round(chars, 1)) for text, chars in cells if chars < 4]
    assert narrow == [], narrow
    # the decision facts and the button come before the full guide
    summary = page.locator(".guide-summary")
    assert summary.bounding_box()["y"] < page.locator("table.service-guide").bounding_box()["y"]
    assert page.get_by_role("link", name="在线办理").is_visible()


def _contrast(a: list[float], b: list[float]) -> float:
    def luminance(rgb):
        c = [v / 255 for v in rgb]
        c = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# The ring's colour and the colour it is drawn on: the element's ancestors' backgrounds, composited
# over white (the ring lies outside the element, over its parent).
FOCUS_RING = """el => {
  const rgba = c => { const m = c.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const s = getComputedStyle(el);
  const layers = [];
  for (let e = el.parentElement; e; e = e.parentElement) layers.push(rgba(getComputedStyle(e).backgroundColor));
  let bg = [255, 255, 255];
  for (const [r, g, b, a] of layers.reverse()) bg = [r * a + bg[0] * (1 - a), g * a + bg[1] * (1 - a), b * a + bg[2] * (1 - a)];
  return {visible: el.matches(':focus-visible'), style: s.outlineStyle, width: parseFloat(s.outlineWidth),
          ring: rgba(s.outlineColor).slice(0, 3), background: bg};
}"""


@pytest.mark.parametrize(
    ("region", "selector"),
    [
        ("header", ".site-name"),
        ("nav", "#channels a >> nth=2"),
        ("body", "main a >> nth=3"),
        ("footer", ".site-footer a"),
    ],
)
def test_the_focus_ring_stands_out_from_its_background(page, site_url, region, selector):
    page.set_viewport_size(LAPTOP)
    page.goto(site_url + PAGES["article"])
    target = page.locator(selector).first
    page.keyboard.press("Tab")  # a keyboard user: focus is shown from here on
    target.focus()
    ring = target.evaluate(FOCUS_RING)
    assert ring["visible"] and ring["style"] != "none" and ring["width"] >= 2, ring
    ratio = _contrast(ring["ring"], ring["background"])
    assert ratio >= 3, f"{region}: ring {ring['ring']} on {ring['background']} is {ratio:.2f}:1"


LAYOUT_SHIFT = """window.__shift = 0;
new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value; })
  .observe({type: 'layout-shift', buffered: true});"""


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_search_results_arrive_without_moving_the_page(page, site_url, viewport):
    slow = []

    def late(route):  # the index arrives after the page has painted, as on a slow line
        slow.append(route.request.url)
        page.wait_for_timeout(150)
        route.continue_()

    page.route("**/search/**", late)
    page.add_init_script(LAYOUT_SHIFT)
    page.set_viewport_size(viewport)
    page.goto(site_url + "/search.html?q=" + "森林防火")
    page.locator(".search-result").first.wait_for()
    page.wait_for_function("document.querySelectorAll('.search-result').length >= 5")
    assert slow
    assert page.evaluate("window.__shift") == 0


@pytest.mark.parametrize("name", ["article", "column", "service guide"])
def test_a_printed_page_has_no_controls_and_shows_its_address(page, site_url, name):
    page.goto(site_url + PAGES[name])
    page.emulate_media(media="print")
    for control in (".site-search", "[data-elder]", "[data-nav-toggle]", "#channels", "[data-copy-link]"):
        for k in range(page.locator(control).count()):
            assert not page.locator(control).nth(k).is_visible(), control
    address = page.locator(".print-url")
    assert address.is_visible()
    assert f"https://www.example.gov.cn{PAGES[name]}" in address.inner_text()
    footer = page.locator(".site-footer p").first.evaluate("e => getComputedStyle(e).color")
    assert footer == "rgb(0, 0, 0)"
    if name == "service guide":  # a folded legal basis is printed whole
        assert not page.locator("details.basis").evaluate("d => d.open")
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # what printing fires first
        assert page.locator("details.basis").evaluate("d => d.open")


def test_escape_closes_the_phone_menu(page, site_url):
    page.set_viewport_size(PHONE)
    page.goto(site_url + PAGES["article"])
    toggle = page.get_by_role("button", name="栏目导航")
    toggle.click()
    assert page.locator("#channels").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#channels").is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.hasAttribute('data-nav-toggle')")


def test_without_script_there_is_no_dead_elder_mode_button(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(site_url + PAGES["article"])
    assert not tab.locator("[data-elder]").is_visible()
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_a_column_page_shows_its_sibling_columns(page, site_url, viewport):
    page.set_viewport_size(viewport)
    page.goto(site_url + "/gzdt/tzgg/index.html")
    side = page.get_by_role("navigation", name="工作动态")
    assert side.get_by_role("link", name="政务要闻").is_visible()
    assert side.locator("[aria-current=page]").inner_text() == "通知公告"
    beside = side.bounding_box()["x"] + side.bounding_box()["width"] <= page.locator("h1").bounding_box()["x"]
    assert beside == (viewport == LAPTOP)  # at the side on a wide screen, above the list on a phone


def test_the_open_government_column_leads_to_every_column_of_open_government(page, site_url):
    page.goto(site_url + "/xxgk/index.html")
    block = page.locator(".open-government")
    for name in (
        "机构职能",
        "负责人信息",
        "政策文件",
        "信息公开指南",
        "信息公开目录",
        "信息公开年报",
        "依申请公开",
        "数据发布",
    ):
        href = block.get_by_role("link", name=name, exact=True).get_attribute("href")
        assert page.request.get(site_url + href).ok, name
