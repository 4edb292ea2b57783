#!/usr/bin/env bash
# Debian packages the tests and plots use: a CJK font (Chinese text in plots, no tofu boxes) and
# LibreOffice (turns the DOCX fixtures into PDF fixtures, and reads .doc/.wps reports by converting them to DOCX). Installed only where missing, only as
# root with apt-get; elsewhere it says what to install and the tests that need them skip.
set -u
packages=(fonts-noto-cjk libreoffice-writer-nogui)
# XeLaTeX with xeCJK compiles the paper_tables LaTeX in the tests (about 450 MB installed, so opt-in:
# GOVDISCLOSE_TEX=1 make test); without it the compile tests skip and the LaTeX structure is still tested.
if [ "${GOVDISCLOSE_TEX:-0}" = "1" ]; then
  packages+=(texlive-xetex texlive-lang-cjk texlive-lang-chinese)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # another apt (an unattended upgrade, a second `make setup`) may hold the lock: wait for it, up
  # to 10 minutes, rather than skip the tests that need these packages
  log=$(mktemp)
  for attempt in $(seq 1 60); do
    if apt-get -o DPkg::Lock::Timeout=10 update -qq >"$log" 2>&1 \
        && apt-get -o DPkg::Lock::Timeout=10 install -y -qq --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
      ok=1; break
    fi
    ok=0
    grep -q "Could not get lock\|Unable to lock" "$log" || break
    [ "$attempt" = 1 ] && echo "apt is busy (its lock is held): waiting for it"
    sleep 10
  done
  [ "$ok" = 1 ] || { tail -n 5 "$log"; echo "warning: apt-get could not install ${missing[*]}; tests needing them will skip"; }
  rm -f "$log"
else
  echo "note: install ${missing[*]} (e.g. sudo apt-get install ${missing[*]}) for CJK plots and PDF fixtures"
fi
exit 0
