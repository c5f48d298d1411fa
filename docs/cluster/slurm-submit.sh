#!/bin/bash
# Submits a sweep as a Slurm job array of N shards and, to run once every task
# has succeeded, the merge of their folders. Run it on the login node from the
# repository's root, after building the binary:
#   go build -o epiplan ./cmd/epiplan
#   docs/cluster/slurm-submit.sh 8 results/sweep
# If a task fails, the merge does not run (afterok): resubmit that task alone
# (see slurm-sweep.sh), then merge by hand with the command below.
set -euo pipefail
SHARDS=${1:-8}
RESULTS=${2:-results/sweep}
mkdir -p logs "$RESULTS"   # Slurm opens the log files before the script runs

array=$(sbatch --parsable --array="1-$SHARDS" \
    --export="ALL,SHARDS=$SHARDS,RESULTS=$RESULTS" docs/cluster/slurm-sweep.sh)
shards=$(seq -f "$RESULTS/shard-%g" 1 "$SHARDS" | tr '\n' ' ')
sbatch --dependency="afterok:$array" --job-name=epiplan-merge --output=logs/%x-%j.out \
    --wrap "./epiplan merge $shards --out $RESULTS/merged --force"
echo "array $array: $SHARDS shards into $RESULTS; merge into $RESULTS/merged when all succeed"
