"""`gsgen new site` and `gsgen new item`: a new site's placeholders stop a strict build until they are
replaced, its repository keeps the output out of git, and its CI script builds, publishes (rsync, S3)
and checks health as CI would run it; a new item gets the column's source, its 解读's policy and a
readable name."""

from __future__ import annotations

import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from gsgen import __version__, starter
from gsgen.scaffold import item_slug
from tests.conftest import EXAMPLE_NOW, REPO, gsgen, gsgen_here
from tests.sites import item, minimal_site, write_site

FINDING = re.compile(r"^\S+:\d+: (?:error|warn)\[")


@pytest.fixture
def new_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    run = gsgen("new", "site", site, "--now", EXAMPLE_NOW)
    assert run.code == 0, run.text
    return site


def hint(value: str) -> str:
    return starter.PLACEHOLDERS[value]


# where each placeholder is, what it holds, and the field named in the message
EXPECTED = [
    ("config.yaml:2", "site.name", starter.NAME),
    ("config.yaml:4", "site.domain", starter.DOMAIN),
    ("config.yaml:5", "site.id_code", starter.ID_CODE),
    ("config.yaml:6", "site.host_unit", starter.HOST_UNIT),
    ("config.yaml:7", "site.contact.phone", starter.PHONE),
    ("config.yaml:7", "site.contact.email", starter.EMAIL),
    ("config.yaml:7", "site.contact.address", starter.ADDRESS),
    ("config.yaml:8", "site.icp", starter.ICP),
    ("config.yaml:9", "site.police_record", starter.POLICE_RECORD),
    ("config.yaml:10", "site.error_report_url", starter.ERROR_REPORT_URL),
    ("content/bsfw/_column.yaml:5", "url", starter.SERVICE_URL),
    ("content/jgzn/units.yaml:5", "units 第1项的 name", starter.UNIT),
    ("content/ldxx/leaders.yaml:5", "people 第1项的 name", starter.LEADER),
    ("content/zcwj/first-policy.md:2", "title", starter.POLICY_TITLE),
    ("content/zcwj/first-policy.md:4", "source", starter.HOST_UNIT),
    ("content/zcwj/first-policy.md:6", "issuer", starter.NAME),
    ("content/gzdt/first-news.md:2", "title", starter.NEWS_TITLE),
    ("content/gzdt/first-news.md:7", "正文", starter.BODY),
    ("content/zcjd/first-interpretation.md:8", "正文", starter.INTERPRETATION_BODY.split("\n")[0]),
    ("content/xxgkzn/zhinan.md:2", "title", starter.GUIDE_TITLE),
]


def test_a_new_sites_strict_build_lists_every_placeholder_and_a_plain_build_succeeds(new_site, tmp_path):
    run = gsgen_here("build", new_site, "--strict", "--now", EXAMPLE_NOW, "-o", tmp_path / "out")
    assert run.code == 1, run.text
    findings = [line for line in run.out.splitlines() if FINDING.match(line)]
    assert findings and all("error[PLACEHOLDER]" in line for line in findings), run.out
    for place, field, value in EXPECTED:
        wanted = hint(value) if value in starter.PLACEHOLDERS else None
        assert any(
            line.startswith(place + ":")
            and field in line
            and value in line
            and (wanted is None or f"请改为{wanted}" in line)
            for line in findings
        ), f"{place} {field}: {run.out}"
    # values that hold the year: the policy's 文号 and the 年报's title
    assert any(line.startswith("content/zcwj/first-policy.md:5:") and "某府发〔2026〕1号" in line for line in findings)
    assert any(line.startswith("content/xxgknb/2025-ndbg.md:2:") and "2025年" in line for line in findings)
    assert "构建失败" in run.out and not (tmp_path / "out").exists()

    plain = gsgen_here("build", new_site, "--now", EXAMPLE_NOW, "-o", tmp_path / "out")
    assert plain.code == 0, plain.text
    assert "warn[PLACEHOLDER]" in plain.out and (tmp_path / "out/index.html").is_file()


REPLACEMENTS = {  # what an editor writes over each placeholder
    starter.HOST_UNIT: "示例县人民政府办公室",
    starter.NAME: "示例县人民政府",
    starter.DOMAIN: "www.shixian.gov.cn",
    starter.ID_CODE: "5001000001",
    starter.PHONE: "023-12345678",
    starter.EMAIL: "zfb@shixian.gov.cn",
    starter.ADDRESS: "示例县人民路1号",
    starter.ICP: "渝ICP备12345678号-1",
    starter.POLICE_RECORD: "渝公网安备50024202000001号",
    starter.SERVICE_URL: "https://zwfw.cq.gov.cn/",
    starter.UNIT: "县发展和改革委员会",
    starter.UNIT_DUTIES: "拟订并组织实施全县国民经济和社会发展规划",
    starter.LEADER: "王明",
    starter.POLICY_TITLE: "示例县人民政府关于印发《示例县政府网站管理办法》的通知",
    "某府发": "示府发",
    starter.INTERPRETATION_TITLE: "《示例县政府网站管理办法》政策解读",
    starter.NEWS_TITLE: "示例县召开冬季安全生产工作会议",
    starter.BODY: "为加强政府网站管理，提升政府网站服务能力，制定本办法。",
    "（请在这里写解读正文。）": "《办法》共五章二十条，明确了网站开设、内容保障和安全防护的要求。",
    "（请按以上提纲写出本机构的信息公开指南。）": "本机构主动公开的政府信息，在县政府门户网站发布。",
    "（请按国务院办公厅规定的格式写出年度报告。）": "2025年，全县主动公开政府信息1200条。",
    "（请在这里写依申请公开的办理说明。）": "公民、法人和其他组织可以当面、邮寄或在线提出申请。",
}


def fill_in(site: Path) -> None:
    """Edit config.yaml and the starter files as an editor would, longest placeholder first."""
    for path in [site / "config.yaml", *sorted((site / "content").rglob("*.*"))]:
        text = path.read_text("utf-8")
        for old in sorted(REPLACEMENTS, key=len, reverse=True):
            text = text.replace(old, REPLACEMENTS[old])
        path.write_text(text, "utf-8")


def test_with_its_placeholders_replaced_a_new_site_builds_strictly(new_site, tmp_path):
    fill_in(new_site)
    run = gsgen_here("build", new_site, "--strict", "--now", EXAMPLE_NOW, "-o", tmp_path / "out")
    assert run.code == 0, run.text
    assert "PLACEHOLDER" not in run.out
    assert "示例县人民政府" in (tmp_path / "out/index.html").read_text("utf-8")


def test_a_real_site_that_says_mouxian_is_not_a_placeholder(tmp_path):
    """Only the scaffold's exact values count: a news item may well mention 某某村 or 正文。"""
    files = minimal_site()
    files["content/gzdt/2025-01-07-f.md"] = item("某某村召开村民大会", "2025-01-07 09:00", body="某某县人民政府办公室")
    site = write_site(tmp_path / "s", files)
    run = gsgen_here("build", site, "--strict", "--now", "2025-01-10 12:00", "-o", tmp_path / "out")
    assert run.code == 0, run.text


def git(site: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(["git", *args], cwd=site, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def test_the_new_sites_gitignore_keeps_the_output_and_cache_out_of_git(new_site):
    assert gsgen_here("build", new_site, "--now", EXAMPLE_NOW).code == 0
    assert (new_site / "public/index.html").is_file() and (new_site / ".gsgen-cache").is_dir()
    (new_site / ".venv/bin").mkdir(parents=True)
    (new_site / ".venv/bin/python").write_text("")
    git(new_site, "init", "-q")
    git(new_site, "add", "-A")
    added = {line[3:] for line in git(new_site, "status", "--porcelain", "--untracked-files=all").splitlines()}
    assert not [p for p in added if p.startswith(("public/", ".gsgen-cache/", ".venv/"))], added
    assert {
        ".gitignore",
        "config.yaml",
        ".github/workflows/gsgen.yml",
        ".gitlab-ci.yml",
        "ci/gsgen-ci.sh",
        "content/gzdt/first-news.md",
    } <= added


# ---------------------------------------------------------------- the CI script, as CI runs it


@pytest.fixture
def ci_env(tmp_path: Path) -> dict[str, str]:
    """CI's environment: `gsgen` on PATH (this checkout's), no publishing variables."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "gsgen"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m gsgen "$@"\n')
    wrapper.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PUBLISH_", "RSYNC_", "S3_", "GSGEN_", "AWS_"))}
    return {**env, "PATH": f"{bin_dir}{os.pathsep}{env['PATH']}", "PYTHONPATH": str(REPO)}


def ci(site: Path, env: dict[str, str], *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", "ci/gsgen-ci.sh", *args],
        cwd=site,
        env={**env, **extra},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_ci_script_builds_then_publishes_with_rsync(new_site, ci_env, tmp_path):
    assert shutil.which("rsync"), "rsync is needed (bash .ci/run installs it)"
    fill_in(new_site)
    built = ci(new_site, ci_env, "build", "--now", EXAMPLE_NOW)
    assert built.returncode == 0, built.stdout + built.stderr
    www = tmp_path / "www"
    (www / "old.html").parent.mkdir()
    (www / "old.html").write_text("a page no longer in the site")
    published = ci(new_site, ci_env, "publish", PUBLISH_METHOD="rsync", RSYNC_DEST=f"{www}/")
    assert published.returncode == 0, published.stdout + published.stderr
    assert (www / "index.html").is_file() and (www / "gzdt").is_dir()
    assert not (www / ".gsgen-output").exists() and not (www / "old.html").exists()


def test_publish_refuses_without_a_build_or_its_variables(new_site, ci_env, tmp_path):
    www = tmp_path / "www"
    nothing = ci(new_site, ci_env, "publish", PUBLISH_METHOD="rsync", RSYNC_DEST=f"{www}/")
    assert nothing.returncode != 0 and "public/" in nothing.stderr and "build" in nothing.stderr
    fill_in(new_site)
    assert ci(new_site, ci_env, "build", "--now", EXAMPLE_NOW).returncode == 0
    unset = ci(new_site, ci_env, "publish")
    assert unset.returncode != 0 and "PUBLISH_METHOD" in unset.stderr
    no_dest = ci(new_site, ci_env, "publish", PUBLISH_METHOD="rsync")
    assert no_dest.returncode != 0 and "RSYNC_DEST" in no_dest.stderr
    no_bucket = ci(new_site, ci_env, "publish", PUBLISH_METHOD="s3")
    assert no_bucket.returncode != 0 and "S3_BUCKET" in no_bucket.stderr
    unknown = ci(new_site, ci_env, "publish", PUBLISH_METHOD="ftp")
    assert unknown.returncode != 0 and "rsync 或 s3" in unknown.stderr
    assert not www.exists()


def test_a_failed_build_publishes_nothing(new_site, ci_env, tmp_path):
    """The placeholders fail the strict build: as CI runs the two steps, nothing is published, and a
    publish run after the failed build (a good public/ of an earlier build there) refuses too."""
    www = tmp_path / "www"
    publish = {"PUBLISH_METHOD": "rsync", "RSYNC_DEST": f"{www}/"}
    steps = subprocess.run(
        ["sh", "-e", "-c", "sh ci/gsgen-ci.sh build --now '2026-11-25 12:00'; sh ci/gsgen-ci.sh publish"],
        cwd=new_site,
        env={**ci_env, **publish},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert steps.returncode != 0 and "PLACEHOLDER" in steps.stdout and "不会发布" in steps.stderr
    assert not www.exists()
    # a good build, then a failing one: public/ keeps the good site, and publish still refuses
    assert gsgen_here("build", new_site, "--now", EXAMPLE_NOW).code == 0
    assert ci(new_site, ci_env, "build", "--now", EXAMPLE_NOW).returncode != 0
    refused = ci(new_site, ci_env, "publish", **publish)
    assert refused.returncode != 0 and "构建失败" in refused.stderr and not www.exists()


def test_ci_variables_that_look_like_options_reach_rsync_and_pip_as_arguments(new_site, ci_env, tmp_path):
    """Whoever sets CI variables chooses what is published, yet a value must mean what it says: a
    destination is a destination, a package a package (`--` before them), never an option of rsync or pip."""
    fill_in(new_site)
    assert gsgen_here("build", new_site, "--now", EXAMPLE_NOW).code == 0
    log = tmp_path / "rsync.log"
    dest = f"--log-file={log}"  # as an option, rsync would write a log there and copy nowhere
    published = ci(new_site, ci_env, "publish", PUBLISH_METHOD="rsync", RSYNC_DEST=dest)
    assert published.returncode == 0, published.stderr
    assert not log.exists() and (new_site / dest / "index.html").is_file()
    # no gsgen anywhere: the script installs GSGEN_INSTALL with pip, which reads it as a requirement.
    # (`python -m venv .venv` done quickly: its python is this run's, pip included; nothing valid is installed)
    bin_dir = Path(ci_env["PATH"].split(os.pathsep)[0])
    (bin_dir / "gsgen").unlink()
    python = bin_dir / "python-for-ci"
    python.write_text(
        f'#!/bin/sh\nmkdir -p .venv/bin\nprintf \'#!/bin/sh\\nexec "%s" "$@"\\n\' "{sys.executable}" >.venv/bin/python\nchmod +x .venv/bin/python\n'
    )
    python.chmod(0o755)
    shutil.rmtree(new_site / dest)
    install = ci(new_site, ci_env, "build", GSGEN_INSTALL="--index-url=http://127.0.0.1:9/simple", PYTHON=str(python))
    assert install.returncode != 0 and "GSGEN_INSTALL" in install.stderr
    assert "Invalid requirement: '--index-url=http://127.0.0.1:9/simple'" in install.stderr, install.stderr


def test_publish_to_s3_syncs_public_to_the_bucket(new_site, ci_env, tmp_path):
    fill_in(new_site)
    assert ci(new_site, ci_env, "build", "--now", EXAMPLE_NOW).returncode == 0
    calls = tmp_path / "aws-calls"
    fake = Path(ci_env["PATH"].split(os.pathsep)[0]) / "aws"
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >"{calls}"\n')
    fake.chmod(0o755)
    run = ci(
        new_site, ci_env, "publish", PUBLISH_METHOD="s3", S3_BUCKET="www-site", S3_PREFIX="/portal/",
        S3_ENDPOINT="https://s3.example.gov.cn",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert calls.read_text().split("\n")[:4] == ["s3", "sync", "public/", "s3://www-site/portal/"]
    assert "--delete" in calls.read_text() and "--endpoint-url=https://s3.example.gov.cn" in calls.read_text()


def test_the_ci_build_keeps_its_cache_in_gsgen_cache_dir(new_site, ci_env, tmp_path):
    """For a CI without a cache of its own: the cache is kept in a folder that outlives the checkout."""
    kept = tmp_path / "kept-cache"
    fill_in(new_site)
    first = ci(new_site, ci_env, "build", "--now", EXAMPLE_NOW, GSGEN_CACHE_DIR=str(kept))
    assert first.returncode == 0 and kept.is_dir() and any(kept.iterdir()), first.stderr
    shutil.rmtree(new_site / ".gsgen-cache")  # a fresh checkout
    again = ci(new_site, ci_env, "build", "--now", EXAMPLE_NOW, GSGEN_CACHE_DIR=str(kept))
    assert again.returncode == 0 and "取回构建缓存" in again.stderr
    assert "其余未改变" in again.stdout, again.stdout  # pages came from the cache


def test_the_ci_health_check_passes_on_gsgen_healths_exit_code(new_site, ci_env):
    fill_in(new_site)
    fresh = ci(new_site, ci_env, "health", "--now", EXAMPLE_NOW)
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    years_later = ci(new_site, ci_env, "health", "--now", "2029-06-01 12:00")
    assert years_later.returncode == 1 and "error[" in years_later.stdout
    assert ci(new_site, ci_env, "nonsense").returncode == 2


def test_the_ci_files_run_the_script_as_described(new_site):
    script = (new_site / "ci/gsgen-ci.sh").read_text("utf-8")
    assert f"gsgen=={__version__}" in script and "@GSGEN_VERSION@" not in script
    assert os.access(new_site / "ci/gsgen-ci.sh", os.X_OK)
    assert subprocess.run(["sh", "-n", "ci/gsgen-ci.sh"], cwd=new_site).returncode == 0

    github = yaml.safe_load((new_site / ".github/workflows/gsgen.yml").read_text("utf-8"))
    triggers = github[True]  # YAML 1.1 reads the key `on` as true
    assert {"push", "pull_request", "schedule"} <= set(triggers)
    build = github["jobs"]["build"]["steps"]
    runs = [s.get("run") for s in build]
    assert runs.index("sh ci/gsgen-ci.sh build") < runs.index("sh ci/gsgen-ci.sh publish")
    publish = build[runs.index("sh ci/gsgen-ci.sh publish")]
    assert "default_branch" in publish["if"] and "pull_request" in publish["if"]
    assert any(s.get("uses", "").startswith("actions/cache") and s["with"]["path"] == ".gsgen-cache" for s in build)
    assert "secrets.GSGEN_CACHE_KEY" in str(build)
    health = github["jobs"]["health"]
    assert "schedule" in health["if"] and health["steps"][-1]["run"] == "sh ci/gsgen-ci.sh health"

    gitlab = yaml.safe_load((new_site / ".gitlab-ci.yml").read_text("utf-8"))
    assert gitlab["publish"]["script"] == ["sh ci/gsgen-ci.sh build", "sh ci/gsgen-ci.sh publish"]
    assert gitlab["build"]["script"] == ["sh ci/gsgen-ci.sh build"]
    assert gitlab["health"]["script"] == ["sh ci/gsgen-ci.sh health"]
    assert gitlab["publish"]["cache"]["paths"] == [".gsgen-cache/"]
    assert "schedule" in str(gitlab["health"]["rules"])
    for text in (script, (new_site / ".gitlab-ci.yml").read_text("utf-8")):
        assert "GSGEN_CACHE_KEY" in text and "PUBLISH_METHOD" in text


def test_new_site_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old/notes.txt").write_text("mine")
    run = gsgen_here("new", "site", tmp_path / "old")
    assert run.code == 1 and "不是空的" in run.err


# ---------------------------------------------------------------- gsgen new item


def test_new_help_describes_both_subcommands():
    run = gsgen("new", "--help")
    assert run.code == 0 and "item" in run.out and "site" in run.out and "新建一条信息" in run.out
    item_help = gsgen("new", "item", "--help")
    assert all(word in item_help.out for word in ("COLUMN", "TITLE", "--dir", "--interprets"))
    assert "DIR" in gsgen("new", "site", "--help").out
    assert gsgen("new").code == 2


def test_new_item_fills_in_the_date_source_name_and_type_fields(tmp_path):
    files = minimal_site()
    files["content/zcwj/_column.yaml"] += "source: 测试县司法局\n"
    site = write_site(tmp_path / "s", files)
    run = gsgen("new", "item", "zcwj", "关于做好森林防火工作的通知", "--dir", site, "--now", "2025-01-09 10:30")
    assert run.code == 0, run.text
    created = site / "content/zcwj/2025-01-09-zuohao-senlin-fanghuo-gongzuo.md"
    text = created.read_text("utf-8")
    assert "date: 2025-01-09 10:30" in text and "source: 测试县司法局" in text
    assert "status: 有效" in text and "doc_number:" in text
    assert gsgen_here("new", "item", "gzdt", "春耕生产", "--dir", site, "--now", "2025-01-09 10:30").code == 0
    assert (site / "content/gzdt/2025-01-09-chungeng-shengchan.md").is_file()
    again = gsgen_here("new", "item", "gzdt", "春耕生产", "--dir", site, "--now", "2025-01-09 10:30")
    assert again.code == 1 and "已经存在" in again.err


def test_a_new_items_title_cannot_write_other_fields(tmp_path):
    """The title is an input written into YAML: lines that look like fields or the end of the front
    matter stay part of the title, and markup in it is only text (SAFE-HTML warns)."""
    site = write_site(tmp_path / "s", minimal_site())
    title = "恶意\n---\nsource: x\ndraft: true\n<script>alert(1)</script>"
    assert gsgen_here("new", "item", "gzdt", title, "--dir", site, "--now", "2025-01-09 10:30").code == 0
    (created,) = (site / "content/gzdt").glob("2025-01-09-*.md")
    front = yaml.safe_load(created.read_text("utf-8").split("\n---\n", 1)[0].removeprefix("---\n"))
    assert front["title"] == title and "draft" not in front and front["source"] != "x"
    run = gsgen_here("build", site, "--now", "2025-01-10 12:00", "-o", tmp_path / "out")
    assert "warn[SAFE-HTML]" in run.out and "<script>alert" not in "".join(
        p.read_text("utf-8") for p in (tmp_path / "out").rglob("*.html")
    )


def test_new_item_in_an_unknown_column_says_which_exist(tmp_path):
    site = write_site(tmp_path / "s", minimal_site())
    run = gsgen("new", "item", "nope", "标题", "--dir", site)
    assert run.code == 1 and "gzdt" in run.err and "Traceback" not in run.text


def test_new_items_source_is_the_columns_then_its_items_then_the_host_units(tmp_path):
    files = minimal_site()
    for n, source in enumerate(["城关镇人民政府", "城关镇人民政府", "县应急管理局"]):
        files[f"content/gzdt/2025-01-0{n + 1}-s{n}.md"] = item(f"第{n}条", "2025-01-02 09:00", source=source)
    files["content/xxgkzn/zhinan.md"] = item("测试县人民政府政府信息公开指南", "2024-01-02 09:00", source="")
    site = write_site(tmp_path / "s", files)

    def source_of(column: str) -> str:
        run = gsgen_here("new", "item", column, "新的一条", "--dir", site, "--now", "2025-01-09 10:30")
        assert run.code == 0, run.text
        created = next((site / "content" / column).glob("2025-01-09-*.md"))
        text = created.read_text("utf-8")
        created.unlink()
        return re.search(r"^source: (.*)$", text, re.M).group(1)

    # gzdt: 城关镇人民政府 is in 2 of the new items, 测试县人民政府办公室 (the old ones') in 6: the most common
    assert source_of("gzdt") == "测试县人民政府办公室"
    for n in range(3, 9):
        files[f"content/gzdt/2025-01-0{n}-t{n}.md"] = item("又一条", "2025-01-08 09:00", source="城关镇人民政府")
    write_site(site, files)
    assert source_of("gzdt") == "城关镇人民政府"
    # a column whose only item gives no source: the site's 主办单位, never ''
    assert source_of("xxgkzn") == "测试县人民政府办公室"


def test_a_new_interpretation_names_its_policy(tmp_path):
    site = write_site(tmp_path / "s", minimal_site())
    when = ("--dir", site, "--now", "2025-01-09 10:30")
    named = gsgen_here("new", "item", "jdhy", "《新办法》图解", "--interprets", "zcwj/2025-001.md", *when)
    assert named.code == 0, named.text
    assert "interprets: zcwj/2025-001\n" in (site / "content/jdhy/2025-01-09-xin-banfa-tujie.md").read_text("utf-8")

    wrong = gsgen_here("new", "item", "jdhy", "另一篇解读", "--interprets", "zcwj/2099-001", *when)
    assert wrong.code == 1 and "zcwj/2099-001" in wrong.err and "zcwj/2025-001" in wrong.err
    not_here = gsgen_here("new", "item", "gzdt", "一条新闻", "--interprets", "zcwj/2025-001", *when)
    assert not_here.code == 1 and "--interprets" in not_here.err

    # no --interprets and nobody at the terminal: a commented placeholder the build names
    later = gsgen("new", "item", "jdhy", "《旧办法》解读", *when)
    assert later.code == 0 and "interprets" in later.out
    text = (site / "content/jdhy/2025-01-09-jiu-banfa-jiedu.md").read_text("utf-8")
    assert re.search(r"^interprets: +# 必填", text, re.M) and f"\n{starter.BODY}\n" in text
    run = gsgen_here("build", site, "--now", "2025-01-10 12:00", "-o", tmp_path / "out")
    assert run.code == 1
    errors = [line for line in run.out.splitlines() if "error[POLICY-INTERP]" in line]
    assert any(
        line.startswith("content/jdhy/2025-01-09-jiu-banfa-jiedu.md") and "interprets" in line for line in errors
    )
    assert any(
        "2025-01-09-jiu-banfa-jiedu.md" in line and "warn[PLACEHOLDER] 正文" in line for line in run.out.splitlines()
    )


def test_a_new_interpretation_asks_for_its_policy_when_someone_is_there(tmp_path):
    from gsgen.scaffold import new_item

    site = write_site(tmp_path / "s", minimal_site())
    offered = {}

    def ask(documents: dict[str, str]) -> str:
        offered.update(documents)
        return "zcwj/2025-001"

    path = new_item(site, "jdhy", "新办法问答", interprets=None, ask=ask)
    assert list(offered) == ["zcwj/2025-001", "zcwj/2024-001"]  # newest first, with titles
    assert offered["zcwj/2025-001"] == "关于印发新办法的通知"
    assert "interprets: zcwj/2025-001\n" in path.read_text("utf-8")

    # the command line at a terminal: it offers the recent policies and asks again for a wrong path
    main_end, terminal = pty.openpty()
    os.write(main_end, b"zcwj/2099-001\nzcwj/2025-001.md\n")
    proc = subprocess.run(
        [sys.executable, "-m", "gsgen", "new", "item", "jdhy", "新办法答记者问", "--dir", str(site)],
        stdin=terminal,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
    )
    os.close(terminal)
    os.close(main_end)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (
        "zcwj/2025-001  关于印发新办法的通知" in proc.stdout and "找不到已发布的政策文件 zcwj/2099-001" in proc.stdout
    )
    created = next((site / "content/jdhy").glob("*-xin-banfa-dajizhewen.md"))
    assert "interprets: zcwj/2025-001\n" in created.read_text("utf-8")


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("关于做好2026年冬季森林防火和安全生产工作的通知", "zuohao-2026nian-dongji-senlin-fanghuo"),
        ("示例县人民政府办公室关于印发《示例县政府网站管理办法》的通知", "shilixian-zhengfu-wangzhan-guanli-banfa"),
        ("关于城关镇部分区域临时停水的通知", "chengguanzhen-bufen-quyu-linshi-tingshui"),
        ("县政府召开第55次常务会议", "xian-zhengfu-zhaokai-di55ci-changwu"),
        ("城关镇12个老旧小区改造项目全面完工", "chengguanzhen-12ge-laojiu-xiaoqu-gaizao"),
        ("春耕生产", "chungeng-shengchan"),
        ("5G基站建设", "5g-jizhan-jianshe"),
        ("《》", "item"),
    ],
)
def test_a_new_items_name_is_its_title_in_pinyin_words(title, slug):
    assert item_slug(title) == slug
    assert len(slug) <= 40 and re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug)
