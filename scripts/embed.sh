#!/bin/sh
# Embeds data files into the binary (Fossil's mkbuiltin, done with the
# assembler's .incbin so a multi-megabyte catalog compiles in milliseconds):
# one binary, no run-time dependency on files outside the data directory.
# Output: a C file defining mc_embedded[] = { name, bytes, size }.
set -eu
echo '#include <stddef.h>'
echo '#include "embedded.h"'
i=0
for f in "$@"; do
  path=$(cd "$(dirname "$f")" && pwd)/$(basename "$f")
  echo "extern const unsigned char mc_emb_$i[];"
  printf '__asm__(".section .rodata\\n.balign 16\\nmc_emb_%s:\\n.incbin \\"%s\\"\\n.byte 0\\n.previous\\n");\n' "$i" "$path"
  i=$((i+1))
done
echo 'const mc_embedded_file mc_embedded[] = {'
i=0
for f in "$@"; do
  size=$(wc -c < "$f" | tr -d ' ')
  # Web files keep their path ("web/app.js"); data files are named by base name.
  case "$f" in
    web/*) name=$f ;;
    *) name=$(basename "$f") ;;
  esac
  echo "  { \"$name\", mc_emb_$i, $size },"
  i=$((i+1))
done
echo '  { NULL, NULL, 0 }'
echo '};'
