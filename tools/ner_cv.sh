#!/usr/bin/env bash
# Cross-validation of an NER training configuration: trains the 5 folds of NewsFANE (two at a
# time) with the given isnad-train_ner options and prints the runtime figures summed over the
# folds (micro P/R/F1 over PER, GPE+LOC+FAC merged, ORG: the ANERcorp test metric's definition).
# The ANERcorp test file is never scored here; choose candidates on this figure only.
#   tools/ner_cv.sh DIR [train_ner options…]     (BUILD_DIR defaults to build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$1; shift
train=${BUILD_DIR:-build/release}/tools/isnad-train_ner
mkdir -p "$dir"
for fold in 0 1 2 3 4; do
  mkdir -p "$dir/f$fold" && cp -r data/ner/gazetteers "$dir/f$fold/"
done
printf '%s\n' 0 1 2 3 4 | xargs -P "${JOBS:-2}" -I{} sh -c \
  "\"$train\" --out \"$dir/f{}\" --folds 5 --fold {} --errors \"$dir/f{}/errors.txt\" $* > \"$dir/f{}/log.txt\" 2>&1"
awk '/runtime (PER|LOC|ORG) /{g[$2]+=$4; p[$2]+=$6; c[$2]+=$8}
     /runtime F1/{fold[++n]=$3}
     END{for (t in g) {P=c[t]/p[t]; R=c[t]/g[t]; printf "%s P %.3f R %.3f F1 %.3f\n", t, P, R, 2*P*R/(P+R); G+=g[t]; Pr+=p[t]; C+=c[t]}
         P=C/Pr; R=C/G; printf "folds:"; for (i=1;i<=n;i++) printf " %s", fold[i]; printf "\n";
         printf "CV F1(PER,LOC,ORG) = %.4f (P %.4f R %.4f)\n", 2*P*R/(P+R), P, R}' "$dir"/f*/log.txt
