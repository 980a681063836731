#!/usr/bin/env bash
# A walk through both apps in tmux, as a person types (send-keys), saving what is on
# screen (capture-pane) as text: docs/screens/t_*_<W>x<H>.txt.
#   scripts/tmux_walk.sh [OUT]   (default docs/screens; uses .venv/bin/atc-guide)
# Uses a throw-away data folder and cache, so the first run shows the index progress bar.
set -euo pipefail
OUT="${1:-docs/screens}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"
export ATC_GUIDE_DATA_DIR="$WORK/data" ATC_GUIDE_DOCUMENTS_DIR="$WORK/documents"
export ATC_GUIDE_CACHE_DIR="${ATC_GUIDE_CACHE_DIR:-$WORK/cache}" TERM=xterm-256color
cap() { tmux capture-pane -t walk -p > "$OUT/t_$1_${SIZE}.txt"; }
keys() { for k in "$@"; do tmux send-keys -t walk "$k"; sleep 0.4; done; }
run() {  # run COMMAND at W x H
  tmux kill-session -t walk 2>/dev/null || true
  tmux new-session -d -s walk -x "$1" -y "$2" "cd '$ROOT' && .venv/bin/atc-guide $3; sleep 600"
  SIZE="$1x$2"; sleep 4
}
for dims in "120 40" "80 24"; do
  set -- $dims
  rm -rf "$WORK/data" "$WORK/documents"
  run "$1" "$2" ""
  cap p01_welcome
  keys Enter "what is a tracheostomy" Enter; sleep 2; cap p02_typed_while_loading
  for _ in $(seq 1 120); do  # until the library is ready and the answer is in
    tmux capture-pane -t walk -p | grep -q "You asked: what is a tracheostomy" && break; sleep 1
  done
  cap p03_first_answer
  keys "what are the side effects of treatment" Enter; sleep 3; cap p04_second_answer
  keys "how long do people live with atc" Enter; sleep 3; cap p05_third_answer
  keys Up "is it contagious"; sleep 1; cap p06_typing_on_a_card_goes_to_the_box
  keys C-u "his trach came out and he cant breathe" Enter; sleep 3; cap p07_emergency
  keys Enter "what is hospice" Enter; sleep 3; cap p08_reminder_after_emergency
  keys F5 Tab "he cant breathe when lying down, is that normal?" Enter; sleep 3
  cap p09_notes_question_screened
  keys Enter; sleep 1; keys C-q; sleep 2
  run "$1" "$2" ""; cap p10_reopen_continue_is_default
  keys Enter; sleep 8; cap p11_resumed_same_message
  keys C-q; sleep 2
  run "$1" "$2" "care-team"
  keys "Nurse Jo Example" Tab "oncology nurse"; cap c01_home
  keys C-p; sleep 1; keys "Review content" Enter; sleep 3; cap c02_review
  keys Escape; sleep 1; keys C-p; sleep 1; keys "Prepare a conversation" Enter; sleep 3
  cap c03_prep_form
  keys C-q; sleep 2
done
tmux kill-session -t walk 2>/dev/null || true
rm -rf "$WORK"
