package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/epiplan/epiplan/scenarios"
)

// parseShard reads --shard: "i/n", or "auto/n" where i comes from the batch
// system: a Slurm job array submitted with --array=1-n (i is
// SLURM_ARRAY_TASK_ID, so that a failed task resubmitted alone with
// --array=i plays the same shard) or a Kubernetes Indexed Job (i is
// JOB_COMPLETION_INDEX + 1).
func parseShard(s string) (scenarios.Shard, error) {
	i, n, ok := strings.Cut(s, "/")
	if ok && i == "auto" {
		idx, err := shardFromEnv()
		if err != nil {
			return scenarios.Shard{}, fmt.Errorf("--shard %s: %w", s, err)
		}
		s = strconv.Itoa(idx) + "/" + n
	}
	return scenarios.ParseShard(s)
}

// shardFromEnv returns the shard index (from 1) that the batch system gives.
func shardFromEnv() (int, error) {
	if id := os.Getenv("SLURM_ARRAY_TASK_ID"); id != "" {
		task, err := strconv.Atoi(id)
		if err != nil {
			return 0, fmt.Errorf("SLURM_ARRAY_TASK_ID=%q is not a number", id)
		}
		if task < 1 {
			return 0, fmt.Errorf("SLURM_ARRAY_TASK_ID=%d: submit the array as --array=1-N", task)
		}
		return task, nil
	}
	if id := os.Getenv("JOB_COMPLETION_INDEX"); id != "" {
		idx, err := strconv.Atoi(id)
		if err != nil {
			return 0, fmt.Errorf("JOB_COMPLETION_INDEX=%q is not a number", id)
		}
		return idx + 1, nil
	}
	return 0, errors.New("auto needs SLURM_ARRAY_TASK_ID (a Slurm job array) or JOB_COMPLETION_INDEX (a Kubernetes Indexed Job)")
}
