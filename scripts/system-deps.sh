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
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || echo "warning: apt-get could not install ${missing[*]}; tests needing them will skip"
else
  echo "note: install ${missing[*]} (e.g. sudo apt-get install ${missing[*]}) for CJK plots and PDF fixtures"
fi
exit 0
