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
// system: a Slurm job array (SLURM_ARRAY_TASK_ID, counted from
// SLURM_ARRAY_TASK_MIN) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX,
// counted from 0).
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
		lo := 0
		if m := os.Getenv("SLURM_ARRAY_TASK_MIN"); m != "" {
			if lo, err = strconv.Atoi(m); err != nil {
				return 0, fmt.Errorf("SLURM_ARRAY_TASK_MIN=%q is not a number", m)
			}
		}
		return task - lo + 1, nil
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
