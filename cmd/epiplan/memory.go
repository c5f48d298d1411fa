package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

// memoryLimit reads --max-memory: a size such as 4GB, 512MiB or 2000000000
// (bytes). Without it, the limit is the memory the process may use: its
// control group's limit (a container, a Slurm job) if it has one, else the
// machine's (MemTotal of /proc/meminfo), or none where neither can be read.
func memoryLimit(s string) (int64, error) {
	if s == "" {
		if n := cgroupMemory(); n > 0 {
			return n, nil
		}
		return machineMemory(), nil
	}
	units := []struct {
		suffix string
		mult   float64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"TIB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"T", 1 << 40}, {"B", 1}}
	num, mult := strings.ToUpper(strings.TrimSpace(s)), 1.0
	for _, u := range units {
		if strings.HasSuffix(num, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(num, u.suffix)), u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || !(v*mult >= 1) || v*mult > math.MaxInt64/2 {
		return 0, fmt.Errorf("--max-memory %q: want a positive size such as 4GB or 512MiB", s)
	}
	return int64(v * mult), nil
}

// cgroupMemory returns the memory limit of the process's control group (v2:
// memory.max; v1: memory.limit_in_bytes), or 0 if it has none.
func cgroupMemory() int64 {
	for _, f := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		if err == nil && n > 0 && n < 1<<60 { // "max", or v1's "no limit" of 2^63 rounded to pages
			return n
		}
	}
	return 0
}

// machineMemory returns the machine's memory in bytes, or 0 if unknown.
func machineMemory() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}
