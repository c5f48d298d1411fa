package plan

import (
	"context"
	"fmt"
)

// size finds the smallest capacities that meet the targets: starting from
// the top of every range, each capacity in turn is cut to the smallest value
// that still meets them with the others where they are, by bisection. If
// meeting the targets only gets easier as a capacity grows, the result is
// minimal: no capacity can be cut alone without missing a target. Each point
// is judged on common random numbers (keys 0, 1, … of the seed), with
// MinReplications runs, doubled up to MaxReplications while a target's
// interval straddles its threshold, and then by the estimates.
func (s *searcher) size(ctx context.Context, res *Result) error {
	cur := make([]int, len(s.p.Size))
	for i := range s.p.Size {
		k := &s.p.Size[i]
		p, err := mapPath(k.Path, s.index)
		if err != nil {
			return fmt.Errorf("--size %w", err)
		}
		given := k.Path
		k.Path = p
		err = k.resolve(s.base)
		k.Path = given
		if err != nil {
			return err
		}
		s.paths = append(s.paths, p)
		cur[i] = k.positions() - 1
	}
	seen := map[string]int{}
	judge := func(vals []int) (bool, error) {
		strs := make([]string, len(vals))
		for i, v := range vals {
			strs[i] = s.p.Size[i].value(v)
		}
		c := s.candidate(strs)
		if j, ok := seen[c.id]; ok {
			_, _, missed := status(&res.Candidates[j])
			return missed == 0, nil
		}
		n := s.o.MinReplications
		for {
			if err := s.play(ctx, []*Candidate{&c}, n, "size"); err != nil {
				return false, err
			}
			if allSure([]*Candidate{&c}) || n >= s.o.MaxReplications {
				break
			}
			n = min(2*n, s.o.MaxReplications)
		}
		c.sc = nil // the scenario is made again if needed
		seen[c.id] = len(res.Candidates)
		res.Candidates = append(res.Candidates, c)
		_, _, missed := status(&c)
		return missed == 0, nil
	}
	ok, err := judge(cur)
	if err != nil {
		return err
	}
	if !ok {
		for i := range res.Candidates {
			res.Candidates[i].Out = "misses a target"
		}
		res.Candidates[len(res.Candidates)-1].Out = ""
		pareto(res.Candidates)
		return nil // confirmed as the nearest: the plan says the targets are not met
	}
	for i := range s.p.Size {
		lo, hi := -1, cur[i] // lo fails (or is below the range), hi meets
		for hi-lo > 1 {
			mid := lo + (hi-lo)/2
			vals := append([]int(nil), cur...)
			vals[i] = mid
			ok, err := judge(vals)
			if err != nil {
				return err
			}
			if ok {
				hi = mid
			} else {
				lo = mid
			}
		}
		cur[i] = hi
	}
	final := make([]string, len(cur))
	for i, v := range cur {
		final[i] = s.p.Size[i].value(v)
	}
	id := s.candidate(final).id
	for i := range res.Candidates {
		if res.Candidates[i].id != id {
			res.Candidates[i].Out = "not the smallest"
		}
	}
	pareto(res.Candidates)
	return nil
}
