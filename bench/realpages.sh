#!/usr/bin/env bash
# Verdict and vendor accuracy on captures written by other people (saved
# challenge pages, recorded HARs), read in place from mirrors of their public
# repositories; bench/realpages/labels.tsv lists them with the expected answer.
#   bench/realpages.sh [BIN...]      default: the working tree's CLI
#   MIRRORS=/work/.mirror             where OWNER+NAME/repo mirrors live (a bare git dir each)
# A repository missing from MIRRORS is skipped with a note. Nothing is copied
# into this repository; saved pages get a status line (and once a
# Server: cloudflare header) in a temporary directory.
. "$(dirname "$0")/clis.sh" "$@"
cases="$tmp/cases.tsv"
: > "$cases"
n=0
while IFS=$'\t' read -r repo path status verdict vendor note; do
  [ -z "$repo" ] || [ "${repo:0:1}" = "#" ] && continue
  git_dir="$mirrors/${repo/\//+}/repo"
  if [ ! -d "$git_dir" ]; then
    echo "skip: $repo is not mirrored under $mirrors (fetch github:$repo)" >&2
    continue
  fi
  n=$((n + 1))
  if [ "$status" = har ]; then
    git -C "$git_dir" show "HEAD:$path" > "$tmp/$n.har"
    printf '%s\t%s\t%s\t%s\n' "$tmp/$n.har" "$verdict" "$vendor" "$repo/$path" >> "$cases"
  else
    for variant in cf bare; do
      {
        printf 'GET / HTTP/1.1\r\nHost: site.example\r\nUser-Agent: python-requests/2.32.3\r\n\r\nHTTP/1.1 %s X\r\nContent-Type: text/html; charset=UTF-8\r\n' "$status"
        [ $variant = cf ] && printf 'Server: cloudflare\r\nCF-RAY: 8e1f2a3b4c5d6e7f-CDG\r\n'
        printf '\r\n'
        git -C "$git_dir" show "HEAD:$path"
      } > "$tmp/$n-$variant.http"
      printf '%s\t%s\t%s\t%s\n' "$tmp/$n-$variant.http" "$verdict" "$vendor" "$repo/$path ($variant)" >> "$cases"
    done
  fi
done < bench/realpages/labels.tsv
for bin in "${bins[@]}"; do
  total=0 right=0 bots=0 vright=0 misses=""
  while IFS=$'\t' read -r file verdict vendor label; do
    read -r got gotv < <("$bin" -f json "$file" 2>/dev/null | head -1 | python3 -c '
import json,sys
r=json.loads(sys.stdin.readline() or "{}")
x=(r.get("exchanges") or [{}])[0]
print(x.get("verdict","-"), x.get("vendor") or "-")' || echo "- -")
    total=$((total + 1))
    if [ "$got" = "$verdict" ]; then right=$((right + 1)); else misses="$misses\n    $label: $got (expected $verdict)"; fi
    if [ "$verdict" = bot ]; then
      bots=$((bots + 1))
      [ "$got" = bot ] && [ "$gotv" = "$vendor" ] && vright=$((vright + 1))
    fi
  done < "$cases"
  printf '%s: verdict %d/%d (%d %%), vendor on the bot captures %d/%d (%d %%)' "$bin" $right $total $((100 * right / total)) $vright $bots $((100 * vright / bots))
  [ -n "$misses" ] && printf '\n  misses:%b' "$misses"
  echo
done
