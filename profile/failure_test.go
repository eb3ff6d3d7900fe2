package profile

import "testing"

func TestTestFailure(t *testing.T) {
	for _, tc := range []struct{ out, want string }{
		{"goos: linux\n--- FAIL: BenchmarkBad\n    bad_test.go:5: broken\nFAIL\nexit status 1\nFAIL\tm/bad\t0.01s\n", "--- FAIL: BenchmarkBad; bad_test.go:5: broken"},
		{"# m/bad [m/bad.test]\n./bad.go:5:2: undefined: x\nFAIL\tm/bad [build failed]\n", "./bad.go:5:2: undefined: x; FAIL\tm/bad [build failed]"},
		{"panic: boom\n\ngoroutine 1 [running]:\n", "panic: boom"},
		{"", "no output"},
	} {
		if got := TestFailure(tc.out); got != tc.want {
			t.Errorf("TestFailure(%q) = %q, want %q", tc.out, got, tc.want)
		}
	}
}
