#!/bin/bash
# One shard of an epiplan sweep, as a task of a Slurm job array submitted with
# --array=1-N: task i plays shard i/N into $RESULTS/shard-i. Submit the array
# and the merge with slurm-submit.sh; resubmit a failed task alone with
#   sbatch --array=5 --export=ALL,RESULTS=results/sweep docs/cluster/slurm-sweep.sh
# (the shard is a pure function of the file, the flags and i, and --force
# replaces what the failed attempt may have left).
#
# Every task must run the same epiplan binary on the same scenario file with
# the same --set, --seed and --replications: merge checks this and refuses
# shards of different sweeps.
#SBATCH --job-name=epiplan-sweep
#SBATCH --cpus-per-task=4
#SBATCH --mem=8G
#SBATCH --time=02:00:00
#SBATCH --output=logs/%x-%A_%a.out
set -euo pipefail

SHARDS=${SHARDS:-8}                 # N of --array=1-N
RESULTS=${RESULTS:-results/sweep}
SCENARIO=${SCENARIO:-scenarios/library/fuzhou-2022.yaml}   # or your own file
# The swept fields, path=v1,v2… separated by spaces (each becomes a --set).
SETS=${SETS:-"population.layers.community=0.6,0.8,1.0,1.2 resources.lab.instruments=20,40,60,80,100,120"}
REPLICATIONS=${REPLICATIONS:-50}
SEED=${SEED:-2022}
GRID=()
for s in $SETS; do GRID+=(--set "$s"); done

# --shard auto/N takes i from SLURM_ARRAY_TASK_ID; --workers uses the task's
# cores and --max-memory defaults to the job's memory (its control group).
./epiplan sweep "$SCENARIO" "${GRID[@]}" --seed "$SEED" --replications "$REPLICATIONS" \
    --shard "auto/$SHARDS" --workers "$SLURM_CPUS_PER_TASK" --quiet --force \
    --out "$RESULTS/shard-$SLURM_ARRAY_TASK_ID"
