package loopinv

import (
	"go/types"
	"strings"
)

// IsPure reports whether fn is a standard-library function whose result
// depends only on its arguments (and, for a few, on process state that loops
// rarely change: the environment and the working directory), and that writes
// no memory its caller can see. The list is an allowlist keyed by
// types.Func.FullName, so a user's function of the same name never matches.
func IsPure(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	if _, ok := pure[fn.FullName()]; ok {
		return true
	}
	// Whole packages of pure functions (methods excluded: strings.Builder,
	// strings.Reader and bytes.Buffer mutate their receivers).
	if fn.Signature().Recv() != nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "strings", "bytes":
		return !strings.HasPrefix(fn.Name(), "New") && fn.Name() != "Clone"
	case "unicode", "unicode/utf8", "unicode/utf16", "path", "math", "math/bits", "net/url", "html":
		return true
	}
	return false
}

// Costly reports whether fn is pure (IsPure) and expensive enough that
// calling it on every iteration with the same arguments costs measurable
// time: it allocates, parses, formats or takes a lock.
func Costly(fn *types.Func) bool {
	return fn != nil && pure[fn.FullName()] && IsPure(fn)
}

// pure lists pure functions by types.Func.FullName: all those of packages
// that also have impure ones, and the costly ones of the packages IsPure
// admits whole. The value says whether the function is costly: it
// allocates, parses, formats or takes a lock, so calling it once per
// iteration with the same arguments is worth hoisting (hoistpure reports
// only these). Cheap pure functions (strings.HasPrefix, math.Abs,
// filepath.Base) are false: hoisting them gains nothing measurable.
var pure = map[string]bool{
	"os.Getenv":                           true,
	"os.LookupEnv":                        true,
	"os.ExpandEnv":                        true,
	"path/filepath.Abs":                   true,
	"path/filepath.Base":                  false,
	"path/filepath.Clean":                 true,
	"path/filepath.Dir":                   false,
	"path/filepath.Ext":                   false,
	"path/filepath.FromSlash":             false,
	"path/filepath.IsAbs":                 false,
	"path/filepath.IsLocal":               false,
	"path/filepath.Join":                  true,
	"path/filepath.Localize":              false,
	"path/filepath.Match":                 false,
	"path/filepath.Rel":                   true,
	"path/filepath.Split":                 false,
	"path/filepath.SplitList":             false,
	"path/filepath.ToSlash":               false,
	"path/filepath.VolumeName":            false,
	"strconv.Atoi":                        true,
	"strconv.FormatBool":                  false,
	"strconv.FormatFloat":                 true,
	"strconv.FormatInt":                   true,
	"strconv.FormatUint":                  true,
	"strconv.Itoa":                        true,
	"strconv.ParseBool":                   true,
	"strconv.ParseFloat":                  true,
	"strconv.ParseInt":                    true,
	"strconv.ParseUint":                   true,
	"strconv.Quote":                       true,
	"strconv.QuoteToASCII":                false,
	"strconv.Unquote":                     true,
	"net/url.QueryEscape":                 true,
	"net/url.PathEscape":                  true,
	"net/url.QueryUnescape":               true,
	"net/url.PathUnescape":                true,
	"net/url.ParseQuery":                  true,
	"net.ParseIP":                         true,
	"net.ParseCIDR":                       true,
	"net/netip.ParseAddr":                 true,
	"net/netip.ParsePrefix":               true,
	"net/netip.ParseAddrPort":             false,
	"time.Parse":                          true,
	"time.ParseDuration":                  true,
	"time.ParseInLocation":                true,
	"encoding/hex.EncodeToString":         true,
	"encoding/hex.DecodeString":           true,
	"mime.TypeByExtension":                false,
	"(*regexp.Regexp).Match":              true,
	"(*regexp.Regexp).MatchString":        true,
	"(*regexp.Regexp).FindString":         true,
	"(*regexp.Regexp).FindStringIndex":    true,
	"(*regexp.Regexp).FindStringSubmatch": true,
	"(*regexp.Regexp).FindAllString":      true,
	"(*regexp.Regexp).ReplaceAllString":   true,
	"(*regexp.Regexp).String":             false,
	"(*time.Location).String":             false,
	"(time.Time).In":                      false,
	"(time.Time).Format":                  true,
	"(time.Time).Unix":                    false,
	"(time.Time).UnixNano":                false,
	"(time.Duration).String":              false,
	"(*strings.Replacer).Replace":         true,
	"path.Clean":                          true,
	"path.Join":                           true,
	"strings.ToLower":                     true,
	"strings.ToUpper":                     true,
	"strings.ToTitle":                     true,
	"strings.Title":                       true,
	"strings.Split":                       true,
	"strings.SplitN":                      true,
	"strings.SplitAfter":                  true,
	"strings.Fields":                      true,
	"strings.Join":                        true,
	"strings.Repeat":                      true,
	"strings.Replace":                     true,
	"strings.ReplaceAll":                  true,
	"bytes.ToLower":                       true,
	"bytes.ToUpper":                       true,
	"bytes.Split":                         true,
	"bytes.Fields":                        true,
	"bytes.Join":                          true,
	"bytes.Repeat":                        true,
	"bytes.ReplaceAll":                    true,
}
