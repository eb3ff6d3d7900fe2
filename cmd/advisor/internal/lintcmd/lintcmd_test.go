package lintcmd

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCacheDir(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "ADVISOR_CACHE" {
				return v
			}
			return ""
		}
	}
	if got := CacheDir(env("off")); got != "" {
		t.Errorf("ADVISOR_CACHE=off: %q, want no cache", got)
	}
	if got, want := CacheDir(env("/x/y")), filepath.Join("/x/y", "lint"); got != want {
		t.Errorf("ADVISOR_CACHE=/x/y: %q, want %q", got, want)
	}
	user, err := os.UserCacheDir()
	if err != nil {
		if got := CacheDir(env("")); got != "" {
			t.Errorf("no user cache directory: %q, want no cache", got)
		}
		return
	}
	if got, want := CacheDir(env("")), filepath.Join(user, "advisor", "lint"); got != want {
		t.Errorf("default: %q, want %q", got, want)
	}
}
