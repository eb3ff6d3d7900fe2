// Package report holds advisor's JSON contracts: the advisor/v1 Report that
// the profiler, the linter and the analyzers produce, and its constants
// (states, classes, recommendation kinds, finding categories). It imports the
// standard library only, so the rules and the vet tool can share these types
// without linking the profiling and statistics code. docs/report-schema.md
// documents every field.
package report

// SchemaV1 is the value of Report.Schema for the advisor/v1 contract.
const SchemaV1 = "advisor/v1"

// Breakdown keys: the states goroutine time is attributed to.
const (
	StateCPU     = "cpu"
	StateNetwork = "network"
	StateSyscall = "syscall"
	StateLock    = "lock"
	StateChannel = "channel"
	StateSelect  = "select"
	StateSleep   = "sleep"
	StateGC      = "gc"
	StateSched   = "sched"
)

// States lists the breakdown keys in display order.
var States = []string{StateCPU, StateNetwork, StateSyscall, StateLock, StateChannel, StateSelect, StateSleep, StateGC, StateSched}

// Classes of a program or a hot path.
const (
	ClassCPU   = "cpu"
	ClassIO    = "io"
	ClassSync  = "sync"
	ClassSleep = "sleep"
	ClassIdle  = "idle" // program-level only: nothing measurable happened
)

// Recommendation kinds (docs/report-schema.md, "Recommendation kinds").
const (
	KindCache      = "cache"
	KindGoroutines = "goroutines"
	KindWorkers    = "workers"
	KindProcesses  = "processes"
	KindIterate    = "iterate"
	KindPrealloc   = "prealloc"
	KindBuilder    = "builder"
	KindHoist      = "hoist"
	KindReuse      = "reuse"
	KindLookupOnce = "lookup-once"
	KindSet        = "set"
	KindStream     = "stream"
	KindPGO        = "pgo"
	KindNone       = "none"
)

// Finding categories.
const (
	CategoryRecursion   = "recursion"
	CategoryAlloc       = "alloc"
	CategoryLookup      = "lookup"
	CategoryConcurrency = "concurrency"
)

// Breakdown maps a state (StateCPU, ...) to a fraction of goroutine time.
type Breakdown map[string]float64

// Report is the advisor/v1 JSON document. Fields are a contract: add, never
// rename or change meaning.
type Report struct {
	Schema          string           `json:"schema"`
	Target          *Target          `json:"target,omitempty"`
	Summary         *Summary         `json:"summary,omitempty"`
	Hotpaths        []Hotpath        `json:"hotpaths"`
	Findings        []Finding        `json:"findings"`
	Recommendations []Recommendation `json:"recommendations"`
	// Background lists the largest goroutines never on the critical path.
	Background []Background `json:"background,omitempty"`
	// Handlers are the requests of a server's window per handler
	// (Summary.Accounting AccountingRequests), most request time first.
	Handlers []Handler `json:"handlers,omitempty"`
	Errors   []string  `json:"errors"`
}

// NewReport returns an empty report with the schema set and non-nil slices,
// so that JSON output always has arrays, never null.
func NewReport() *Report {
	return &Report{
		Schema:          SchemaV1,
		Hotpaths:        []Hotpath{},
		Findings:        []Finding{},
		Recommendations: []Recommendation{},
		Errors:          []string{},
	}
}

// Normalize replaces nil slices by empty ones so the JSON document always has
// arrays where the contract says so, never null.
func (r *Report) Normalize() {
	if r.Schema == "" {
		r.Schema = SchemaV1
	}
	if r.Hotpaths == nil {
		r.Hotpaths = []Hotpath{}
	}
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	if r.Recommendations == nil {
		r.Recommendations = []Recommendation{}
	}
	if r.Errors == nil {
		r.Errors = []string{}
	}
	if r.Target != nil && r.Target.Args == nil {
		r.Target.Args = []string{}
	}
}

// Target describes the measured program and run.
type Target struct {
	Package     string            `json:"package"`
	Args        []string          `json:"args"`
	ExitCode    *int              `json:"exit_code"` // nil when the target was killed
	WallSeconds float64           `json:"wall_seconds"`
	CPUSeconds  float64           `json:"cpu_seconds"`
	GOMAXPROCS  int               `json:"gomaxprocs,omitempty"`
	Profiles    map[string]string `json:"profiles,omitempty"`
	// CPUSamples is the number of CPU profile samples CPUSeconds comes
	// from (0 when unknown).
	CPUSamples int64 `json:"cpu_samples,omitempty"`
}

// Summary is the whole-program classification.
type Summary struct {
	Class     string    `json:"class"`
	CoresUsed float64   `json:"cores_used"`
	Breakdown Breakdown `json:"breakdown"`
	// Accounting says what the shares are fractions of: AccountingCriticalPath
	// (wall time along the run's critical path, from the trace),
	// AccountingRequests (a server's window: the time along each request's
	// own critical path, summed) or AccountingCPU (on-CPU time only,
	// without a trace).
	Accounting string `json:"accounting,omitempty"`
	// IOInFlight is how many goroutines waited on I/O at once, on average,
	// while the critical path waited on I/O (0 when it never did).
	IOInFlight float64 `json:"io_in_flight,omitempty"`
	// Requests is how many requests the shares are fractions of, with
	// AccountingRequests (0 for a server that served none: class idle).
	Requests int `json:"requests,omitempty"`
}

// Accounting values of Summary.Accounting.
const (
	AccountingCriticalPath = "critical-path"
	AccountingRequests     = "requests"
	AccountingCPU          = "cpu"
)

// Handler is the requests one handler served in a window: the function
// net/http dispatched them to, or the runtime/trace task type.
type Handler struct {
	Function string `json:"function"`
	Requests int    `json:"requests"`
	// Seconds is the time on the requests' critical paths, MeanSeconds
	// per request; Share is Seconds over all requests' time.
	Seconds     float64 `json:"seconds"`
	MeanSeconds float64 `json:"mean_seconds"`
	Share       float64 `json:"share"`
}

// Background is a goroutine that was never on the critical path: listed,
// never driving the class or the advice.
type Background struct {
	Function string  `json:"function"` // the goroutine's start function
	Seconds  float64 `json:"seconds"`  // its traced lifetime
	State    string  `json:"state"`    // the breakdown state it spent most of it in
}

// Hotpath is a place in the target's own code where its time goes.
type Hotpath struct {
	Function  string    `json:"function"`
	File      string    `json:"file,omitempty"`
	Line      int       `json:"line,omitempty"`
	Share     float64   `json:"share"`
	Class     string    `json:"class"`
	Breakdown Breakdown `json:"breakdown,omitempty"`
	Stack     []string  `json:"stack,omitempty"`
	MaxDepth  int       `json:"max_depth"`
	// InFlight is how many goroutines were doing the same on average while
	// the critical path was in this hot path: for I/O and waits, goroutines
	// waiting with this function on their stack; for CPU, goroutines
	// running. 0 when not measured (no trace).
	InFlight float64 `json:"in_flight,omitempty"`
}

// Finding is one static finding of a rule.
type Finding struct {
	Rule     string `json:"rule"`
	Category string `json:"category"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column,omitempty"`
	// EndLine is the last line of the finding's code when it spans
	// several (an inner search loop, a call split over lines); a profile
	// share counts the samples on all of them.
	EndLine        int      `json:"end_line,omitempty"`
	Function       string   `json:"function,omitempty"`
	Message        string   `json:"message"`
	HotShare       *float64 `json:"hot_share"` // nil without a profile
	Recommendation string   `json:"recommendation"`
	// Hidden says why advisor lint leaves the finding out of its default
	// output ("test file", "init", "String method", "error path", "small
	// loop", "file I/O", "cold", "test helper", "debug output",
	// "generator", "cold callers", "serialized", "help text", "generated",
	// "once per call", "micro", "not profiled"); set only on findings
	// shown by --all.
	Hidden string `json:"hidden,omitempty"`
}

// Recommendation is one ranked piece of advice.
type Recommendation struct {
	Kind             string   `json:"kind"`
	Function         string   `json:"function,omitempty"`
	File             string   `json:"file,omitempty"`
	Line             int      `json:"line,omitempty"`
	Text             string   `json:"text"`
	EstimatedSpeedup *float64 `json:"estimated_speedup"` // nil when unknown
	// EstimateLowerBound says that EstimatedSpeedup is a lower bound: the
	// fix removes work that grows faster than linearly (an overlapping
	// recursion made linear) and, with that work gone, the rest of the
	// run is under 1/EstimatedSpeedup of it, so the gain is "more than"
	// the estimate (reported as the what-if's cap, 20).
	EstimateLowerBound bool      `json:"estimate_lower_bound,omitempty"`
	Findings           []string  `json:"findings,omitempty"`
	Verified           *Verified `json:"verified,omitempty"`
}

// Verified is the measured outcome of benchmarking a rewrite.
type Verified struct {
	Speedup      float64  `json:"speedup"`
	CILow        float64  `json:"ci_low"`
	CIHigh       float64  `json:"ci_high"`
	P            float64  `json:"p"`
	Runs         int      `json:"runs"`
	Tests        string   `json:"tests"` // pass | fail | none
	AllocsBefore *float64 `json:"allocs_before,omitempty"`
	AllocsAfter  *float64 `json:"allocs_after,omitempty"`
}
