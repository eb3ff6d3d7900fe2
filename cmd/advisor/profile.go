package main

import "context"

// runProfile is the default verb: build, run and profile a target.
func runProfile(ctx context.Context, e *env, args []string) int {
	return errorf(e, "profiling is not built yet")
}
