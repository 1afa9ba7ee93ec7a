#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter (Rasa 3.6 needs 3.8-3.10), or fails with one line.
set -u
for cand in "${PYTHON310:-}" "$(command -v python3.10 2>/dev/null)"; do
  [ -n "$cand" ] && "$cand" -c 'import sys; assert sys.version_info[:2]==(3,10)' 2>/dev/null && { echo "$cand"; exit 0; }
done
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for cand in $(ls -d "$root"/versions/3.10*/bin/python3.10 2>/dev/null | sort -V -r); do
  "$cand" -c 'import sys; assert sys.version_info[:2]==(3,10)' 2>/dev/null && { echo "$cand"; exit 0; }
done
echo "No Python 3.10 found: Rasa 3.6 needs Python 3.10. Install it (e.g. 'pyenv install 3.10') or set PYTHON310=/path/to/python3.10." >&2
exit 1
