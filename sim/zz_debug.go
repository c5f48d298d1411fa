package sim

// DebugPending: TEMPORARY.
func DebugPending(s *Sim) (byKind map[string]int, ahead []float64) {
	byKind = map[string]int{}
	for _, e := range s.queue.h[:s.queue.n] {
		code := e.key & kindMask
		name := "func"
		if code > 0 {
			name = s.kinds[code-1].name
		}
		byKind[name]++
		ahead = append(ahead, e.at-float64(s.now))
	}
	return
}
