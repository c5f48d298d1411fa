package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
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

// cgroupMemory returns the memory limit of the process's own control group
// (a container, a Slurm job with --mem), or 0 if it has none: the groups are
// read from /proc/self/cgroup, and the lowest limit of the group and of its
// parents counts (v2: memory.max; v1: memory.limit_in_bytes).
func cgroupMemory() int64 {
	data, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return 0
	}
	return cgroupLimit("/sys/fs/cgroup", string(data), func(path string) ([]byte, error) { return os.ReadFile(path) })
}

// cgroupLimit returns the lowest memory limit of the groups listed in
// procCgroup (the text of /proc/self/cgroup) and of their parents, read with
// read under the cgroup file system mounted at root, or 0 if none has one.
func cgroupLimit(root, procCgroup string, read func(string) ([]byte, error)) int64 {
	var limit int64
	consider := func(dir, file string) {
		for {
			if b, err := read(filepath.Join(dir, file)); err == nil {
				n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
				// "max", or v1's "no limit" of 2^63 rounded to pages.
				if err == nil && n > 0 && n < 1<<60 && (limit == 0 || n < limit) {
					limit = n
				}
			}
			if len(dir) <= len(root) {
				return
			}
			dir = filepath.Dir(dir)
		}
	}
	for _, line := range strings.Split(procCgroup, "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		group := filepath.Clean("/" + parts[2])
		switch {
		case parts[0] == "0" && parts[1] == "":
			// v2, mounted at the root or, in a hybrid layout, at unified/.
			consider(filepath.Join(root, group), "memory.max")
			consider(filepath.Join(root, "unified", group), "memory.max")
		case slices.Contains(strings.Split(parts[1], ","), "memory"):
			consider(filepath.Join(root, "memory", group), "memory.limit_in_bytes")
		}
	}
	if limit == 0 {
		// A namespace may show "/" for a group that is the mount's root.
		consider(root, "memory.max")
		consider(filepath.Join(root, "memory"), "memory.limit_in_bytes")
	}
	return limit
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

// fitGCPercent is the garbage collector's pace for epiplan fit: the heap grows
// by 400% of what survived a collection before the next one (Go's default is
// 100%). A fit plays thousands of short runs of a few tens of megabytes each;
// at this pace the Fujian fit of bench/README.md took about 8% less CPU time
// (two fits each way, "The fit in a minute?").
const fitGCPercent = 400

// collectLessOften sets the collector's pace to percent, with 90% of the
// process's memory (see [memoryLimit]) as a soft limit, near which the
// collector works harder again whatever the pace. It leaves the pace and the
// limit alone where GOGC or GOMEMLIMIT is set in the environment, or the
// memory cannot be read. The settings hold for the rest of the process.
func collectLessOften(percent int) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	limit, err := memoryLimit("")
	if err != nil || limit <= 0 {
		return
	}
	debug.SetMemoryLimit(limit / 10 * 9)
	debug.SetGCPercent(percent)
}
