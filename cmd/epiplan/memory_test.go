package main

import (
	"io/fs"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCgroupLimitReadsTheProcessGroup(t *testing.T) {
	// A Slurm job's limit is on its own group, not on the hierarchy's root:
	// the lowest limit of the group and its parents counts.
	files := map[string]string{
		"/sys/fs/cgroup/memory/memory.limit_in_bytes":                              "9223372036854771712\n",
		"/sys/fs/cgroup/memory/slurm/uid_0/job_7/memory.limit_in_bytes":            "314572800\n",
		"/sys/fs/cgroup/memory/slurm/uid_0/job_7/step_batch/memory.limit_in_bytes": "9223372036854771712\n",
		"/sys/fs/cgroup/system.slice/job.scope/memory.max":                         "max\n",
		"/sys/fs/cgroup/system.slice/memory.max":                                   "1073741824\n",
		"/sys/fs/cgroup/unified/user.slice/memory.max":                             "2147483648\n",
	}
	read := func(path string) ([]byte, error) {
		if s, ok := files[path]; ok {
			return []byte(s), nil
		}
		return nil, fs.ErrNotExist
	}
	for _, c := range []struct {
		name, proc string
		want       int64
	}{
		{"v1 job step", "4:memory:/slurm/uid_0/job_7/step_batch\n0::/\n", 314572800},
		{"v2 parent limit", "0::/system.slice/job.scope\n", 1073741824},
		{"hybrid unified", "0::/user.slice\n", 2147483648},
		{"no limit", "4:memory:/\n", 0},
		{"garbage", "not a cgroup file", 0},
	} {
		assert.Equal(t, c.want, cgroupLimit("/sys/fs/cgroup", c.proc, read), c.name)
	}
}
