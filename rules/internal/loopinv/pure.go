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
	name := fn.FullName()
	if pure[name] {
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

// pure lists the pure functions of packages that also have impure ones.
var pure = map[string]bool{
	"os.Getenv":    true,
	"os.LookupEnv": true,
	"os.ExpandEnv": true,

	"path/filepath.Abs":                   true,
	"path/filepath.Base":                  true,
	"path/filepath.Clean":                 true,
	"path/filepath.Dir":                   true,
	"path/filepath.Ext":                   true,
	"path/filepath.FromSlash":             true,
	"path/filepath.IsAbs":                 true,
	"path/filepath.IsLocal":               true,
	"path/filepath.Join":                  true,
	"path/filepath.Localize":              true,
	"path/filepath.Match":                 true,
	"path/filepath.Rel":                   true,
	"path/filepath.Split":                 true,
	"path/filepath.SplitList":             true,
	"path/filepath.ToSlash":               true,
	"path/filepath.VolumeName":            true,
	"strconv.Atoi":                        true,
	"strconv.FormatBool":                  true,
	"strconv.FormatFloat":                 true,
	"strconv.FormatInt":                   true,
	"strconv.FormatUint":                  true,
	"strconv.Itoa":                        true,
	"strconv.ParseBool":                   true,
	"strconv.ParseFloat":                  true,
	"strconv.ParseInt":                    true,
	"strconv.ParseUint":                   true,
	"strconv.Quote":                       true,
	"strconv.QuoteToASCII":                true,
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
	"net/netip.ParseAddrPort":             true,
	"time.Parse":                          true,
	"time.ParseDuration":                  true,
	"time.ParseInLocation":                true,
	"encoding/hex.EncodeToString":         true,
	"encoding/hex.DecodeString":           true,
	"mime.TypeByExtension":                true,
	"(*regexp.Regexp).Match":              true,
	"(*regexp.Regexp).MatchString":        true,
	"(*regexp.Regexp).FindString":         true,
	"(*regexp.Regexp).FindStringIndex":    true,
	"(*regexp.Regexp).FindStringSubmatch": true,
	"(*regexp.Regexp).FindAllString":      true,
	"(*regexp.Regexp).ReplaceAllString":   true,
	"(*regexp.Regexp).String":             true,
	"(*time.Location).String":             true,
	"(time.Time).In":                      true,
	"(time.Time).Format":                  true,
	"(time.Time).Unix":                    true,
	"(time.Time).UnixNano":                true,
	"(time.Duration).String":              true,
	"(*strings.Replacer).Replace":         true,
}
