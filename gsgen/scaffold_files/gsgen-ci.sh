#!/bin/sh
# gsgen 的持续集成脚本。GitHub Actions（.github/workflows/gsgen.yml）、GitLab CI（.gitlab-ci.yml）
# 都调用它，其他 CI（Jenkins、Gitea Actions、服务器上的定时任务……）也可以直接调用：
#
#   sh ci/gsgen-ci.sh build   [gsgen build 的其他参数]    构建网站到 public/，警告也算失败（--strict）
#   sh ci/gsgen-ci.sh publish                           把 public/ 发布到网站服务器或对象存储
#   sh ci/gsgen-ci.sh health  [gsgen health 的其他参数]   健康检查（每天定时运行），退出码即 gsgen health 的退出码
#
# 构建失败时本脚本以非零退出码结束，CI 不会再运行后面的发布步骤；即使再运行 publish，它也会拒绝发布。
#
# 在 CI 的“变量”或“密钥”设置中定义（密码、私钥一类请设为密钥/受保护的变量）：
#   GSGEN_INSTALL      找不到 gsgen 命令时用 pip 安装什么，默认 gsgen==@GSGEN_VERSION@（须能从 pip 的软件源
#                      取得）；也可写 git+https://代码托管地址/gsgen.git@版本，或 wheel 文件的网址
#   GSGEN              要使用的 gsgen 命令（可不设；在本机试用时可设为 gsgen 文件夹中的 .venv/bin/gsgen）
#   GSGEN_CACHE_KEY    为构建缓存 .gsgen-cache/ 签名的密钥（任意一段保密的文字）。缓存在分支之间共享时
#                      （别的分支可能写入缓存）一定要设置：签名不符的缓存不会被使用
#   GSGEN_CACHE_DIR    CI 没有自己的缓存机制时使用：一个在两次运行之间保留的文件夹，build 先从这里取回
#                      .gsgen-cache/，构建后再存回去（GitHub、GitLab 用它们自己的缓存，不必设置）
#   PUBLISH_METHOD     发布方式：rsync（通过 SSH 复制到网站服务器）或 s3（S3 兼容的对象存储）
#   用 rsync 发布：
#     RSYNC_DEST         目标，如 deploy@服务器:/srv/www/www.example.gov.cn/（也可以是本机文件夹）
#     RSYNC_SSH_KEY      登录服务器的 SSH 私钥（私钥内容，或存放私钥的文件路径）
#     RSYNC_KNOWN_HOSTS  服务器的 SSH 主机公钥（ssh-keyscan 服务器 的输出，内容或文件路径），用来确认
#                        连接的确实是本单位的服务器；设置了私钥时应当设置
#   用 s3 发布：
#     S3_BUCKET          存储桶名称
#     S3_PREFIX          桶内的路径前缀（可不填）
#     S3_ENDPOINT        S3 兼容存储的地址，如各云服务商对象存储的 https:// 地址（用 AWS S3 时不填）
#     AWS_ACCESS_KEY_ID、AWS_SECRET_ACCESS_KEY、AWS_DEFAULT_REGION   访问存储桶的密钥和区域
set -eu
# Values from CI variables are given to commands after `--`: RSYNC_DEST=--rsh=… or GSGEN_INSTALL=--index-url=…
# reach rsync and pip as the destination and the package to install, never as options.

cd "$(dirname "$0")/.."

FAILED=.gsgen-build-failed # written by a failed build, removed by a good one: publish refuses while it is there

say() { printf 'gsgen-ci: %s\n' "$*" >&2; }
fail() {
  say "$*"
  exit 1
}

find_gsgen() {
  if [ -n "${GSGEN:-}" ]; then
    : # the gsgen command to use, named (e.g. a local try: export GSGEN=~/gsgen/.venv/bin/gsgen)
  elif command -v gsgen >/dev/null 2>&1; then
    GSGEN=gsgen
  elif [ -x .venv/bin/gsgen ]; then
    GSGEN=.venv/bin/gsgen
  else
    spec=${GSGEN_INSTALL:-gsgen==@GSGEN_VERSION@}
    python=${PYTHON:-python3}
    say "没有找到 gsgen 命令：把 $spec 安装到 .venv/"
    command -v "$python" >/dev/null 2>&1 ||
      fail "没有找到 $python：请使用装有 Python 3.11 或更新版本的 CI 环境，或先安装 gsgen"
    "$python" -m venv .venv || fail "无法用 $python 建立 .venv/（Debian/Ubuntu 上需要安装 python3-venv）"
    .venv/bin/python -m pip install --quiet -- "$spec" ||
      fail "安装 $spec 失败：请把 CI 变量 GSGEN_INSTALL 设为 gsgen 的安装来源，如 git+https://代码托管地址/gsgen.git@版本（提交或标签），或 wheel 文件的网址"
    GSGEN=.venv/bin/gsgen
  fi
  "$GSGEN" --version >&2
}

build() {
  find_gsgen
  cache_dir=${GSGEN_CACHE_DIR:-}
  if [ -n "$cache_dir" ] && [ -d "$cache_dir" ]; then
    say "从 $cache_dir 取回构建缓存"
    rm -rf .gsgen-cache
    mkdir .gsgen-cache
    cp -R -- "$cache_dir/." .gsgen-cache/
  fi
  : >"$FAILED"
  status=0
  "$GSGEN" build --strict "$@" || status=$?
  if [ -n "$cache_dir" ] && [ -d .gsgen-cache ]; then
    say "把构建缓存存回 $cache_dir"
    rm -rf -- "$cache_dir"
    mkdir -p -- "$cache_dir"
    cp -R .gsgen-cache/. "$cache_dir/"
  fi
  if [ "$status" -ne 0 ]; then
    fail "构建失败（退出码 $status）：不会发布。请按上面列出的文件、行号和改法修改后再提交"
  fi
  rm -f "$FAILED"
}

# $1: a secret as CI gives it, the text itself or the path of a file holding it (GitLab's file variables)
as_file() {
  if [ -f "$1" ]; then
    cp -- "$1" "$2"
  else
    printf '%s\n' "$1" >"$2"
  fi
}

publish_rsync() {
  [ -n "${RSYNC_DEST:-}" ] ||
    fail "PUBLISH_METHOD=rsync 需要 RSYNC_DEST：请在 CI 变量中设置发布的目标，如 deploy@服务器:/srv/www/www.example.gov.cn/"
  command -v rsync >/dev/null 2>&1 ||
    fail "没有找到 rsync 命令：请在 CI 环境中安装 rsync 和 ssh（Debian/Ubuntu：apt-get install rsync openssh-client）"
  ssh_command=
  if [ -n "${RSYNC_SSH_KEY:-}" ] || [ -n "${RSYNC_KNOWN_HOSTS:-}" ]; then
    secrets=$(mktemp -d)
    trap 'rm -rf "$secrets"' EXIT
    ssh_command="ssh -o BatchMode=yes"
    if [ -n "${RSYNC_SSH_KEY:-}" ]; then
      (umask 077 && as_file "$RSYNC_SSH_KEY" "$secrets/key")
      ssh_command="$ssh_command -o IdentitiesOnly=yes -i $secrets/key"
    fi
    if [ -n "${RSYNC_KNOWN_HOSTS:-}" ]; then
      as_file "$RSYNC_KNOWN_HOSTS" "$secrets/known_hosts"
      ssh_command="$ssh_command -o StrictHostKeyChecking=yes -o UserKnownHostsFile=$secrets/known_hosts"
    else
      say "没有设置 RSYNC_KNOWN_HOSTS：只连接 ~/.ssh/known_hosts 中已有的服务器"
    fi
  fi
  case $RSYNC_DEST in
  *:*) ;;                        # a server: its folder must exist there
  *) mkdir -p -- "$RSYNC_DEST" ;; # a folder on this machine (a try, or a mounted share)
  esac
  say "发布 public/ → $RSYNC_DEST"
  if [ -n "$ssh_command" ]; then
    rsync -a --delete --exclude=.gsgen-output -e "$ssh_command" -- public/ "$RSYNC_DEST"
  else
    rsync -a --delete --exclude=.gsgen-output -- public/ "$RSYNC_DEST"
  fi
}

publish_s3() {
  [ -n "${S3_BUCKET:-}" ] || fail "PUBLISH_METHOD=s3 需要 S3_BUCKET：请在 CI 变量中设置存储桶名称（以及 S3_PREFIX、S3_ENDPOINT 和访问密钥）"
  command -v aws >/dev/null 2>&1 ||
    fail "没有找到 aws 命令：请在 CI 环境中安装 AWS CLI（如 pip install awscli），它也用于其他 S3 兼容存储"
  prefix=${S3_PREFIX:-}
  dest="s3://$S3_BUCKET/${prefix#/}"
  say "发布 public/ → $dest"
  if [ -n "${S3_ENDPOINT:-}" ]; then
    aws s3 sync public/ "$dest" --delete --exclude .gsgen-output --endpoint-url="$S3_ENDPOINT"
  else
    aws s3 sync public/ "$dest" --delete --exclude .gsgen-output
  fi
}

publish() {
  [ ! -e "$FAILED" ] || fail "上一次构建失败了：不发布。请先修正错误，让 sh ci/gsgen-ci.sh build 成功"
  [ -d public ] || fail "没有 public/ 文件夹：请先运行 sh ci/gsgen-ci.sh build，构建成功后再发布"
  [ -f public/.gsgen-output ] ||
    fail "public/ 不是 gsgen 构建的输出（缺少 public/.gsgen-output）：请先运行 sh ci/gsgen-ci.sh build"
  case "${PUBLISH_METHOD:-}" in
    rsync) publish_rsync ;;
    s3) publish_s3 ;;
    '') fail "没有设置 PUBLISH_METHOD：请在 CI 变量中设置为 rsync 或 s3，以及对应的变量（见 ci/gsgen-ci.sh 开头的说明）" ;;
    *) fail "PUBLISH_METHOD=$PUBLISH_METHOD 无法识别：应为 rsync 或 s3" ;;
  esac
}

health() {
  find_gsgen
  status=0
  "$GSGEN" health "$@" || status=$?
  exit "$status"
}

command=${1:-}
[ $# -eq 0 ] || shift
case "$command" in
  build) build "$@" ;;
  publish) publish ;;
  health) health "$@" ;;
  *)
    say "用法：sh ci/gsgen-ci.sh build | publish | health（说明见本脚本开头）"
    exit 2
    ;;
esac
