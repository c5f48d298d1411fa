package scenarios

import "context"

// PlayInto plays a scenario and writes its outputs into the folder dir, made
// whole or not at all (see [ReplaceDir]): it checks the run's memory first
// ([CheckMemory]), then plays it ([Play]) and writes the results
// ([Results.Write]). It is the run of the epiplan command's run and reproduce
// and of its workbench (epiplan serve), so that they make the same outputs.
func PlayInto(ctx context.Context, sc *Scenario, opts RunOptions, dir string, force bool) (*Results, error) {
	if _, err := CheckMemory(sc, opts); err != nil {
		return nil, err
	}
	var res *Results
	err := ReplaceDir(dir, force, func(tmp string) error {
		var err error
		if res, err = Play(ctx, sc, opts); err != nil {
			return err
		}
		return res.Write(tmp)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}
