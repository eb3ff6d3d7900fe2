// Package sub has a dot in its import path's last element, which the
// linker escapes in symbol names.
package sub

import (
	"fmt"
	"path/filepath"
	"runtime"
)

func here() {
	pc, file, line, _ := runtime.Caller(1)
	fmt.Println(filepath.Base(file), line, runtime.FuncForPC(pc).Name())
}

// F calls here from an escaped package path.
func F() { here() }
