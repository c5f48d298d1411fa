#!/bin/bash
# A sweep of epiplan as a Slurm job array: each task plays one shard of the
# sweep's points into its own folder; a last job, started when every task has
# succeeded, merges the shards into the sweep's output.
#
#   sbatch docs/cluster/slurm-sweep.sh            # submits the array and the merge
#
# Every task must run the same epiplan binary on the same scenario file with
# the same --set, --seed and --replications: merge checks this and refuses
# shards of different sweeps. Build the binary once: go build -o epiplan ./cmd/epiplan
#SBATCH --job-name=epiplan-sweep
#SBATCH --array=1-8
#SBATCH --cpus-per-task=4
#SBATCH --mem=8G
#SBATCH --time=02:00:00
#SBATCH --output=logs/%x-%A_%a.out
set -euo pipefail

SHARDS=8                        # keep equal to the size of --array
SCENARIO=scenarios/library/fuzhou-2022.yaml   # or your own file
RESULTS=results/sweep-${SLURM_ARRAY_JOB_ID}
GRID=(--set population.layers.community=0.6,0.8,1.0,1.2 --set resources.lab.instruments=20,40,60,80,100,120)

mkdir -p "$RESULTS" logs
# --shard auto/N takes the index from SLURM_ARRAY_TASK_ID (counted from
# SLURM_ARRAY_TASK_MIN); --workers uses the task's cores.
./epiplan sweep "$SCENARIO" "${GRID[@]}" --seed 2022 --replications 50 \
    --shard "auto/$SHARDS" --workers "$SLURM_CPUS_PER_TASK" \
    --max-memory "${SLURM_MEM_PER_NODE:-8192}MiB" --quiet \
    --out "$RESULTS/shard-${SLURM_ARRAY_TASK_ID}"

# The first task submits the merge, to run once all tasks have succeeded.
if [ "$SLURM_ARRAY_TASK_ID" = "$SLURM_ARRAY_TASK_MIN" ]; then
    sbatch --dependency="afterok:${SLURM_ARRAY_JOB_ID}" --job-name=epiplan-merge \
        --output=logs/%x-%j.out --wrap \
        "./epiplan merge $RESULTS/shard-* --out $RESULTS/merged"
fi
