#!/usr/bin/env bash
# Installs the Debian packages fengqing needs that this machine lacks: CJK fonts (reports), LibreOffice (PDF),
# poppler (PDF checks), Chromium (browser tests), PostgreSQL (tests on both databases).
set -euo pipefail
PKGS="fonts-noto-cjk fonts-arphic-gkai00mp fonts-liberation2 libreoffice-writer-nogui poppler-utils chromium postgresql"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "缺少系统软件包：$missing（请以 root 身份运行 apt-get install $missing）" >&2
  exit 0
fi
echo "安装系统软件包：$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/tmp/fengqing-apt.log 2>&1 || { cat /tmp/fengqing-apt.log; exit 1; }
