package advise

import (
	"slices"

	"github.com/google/pprof/profile"
)

// Signals a runtime function on the stack gives about the frames above it.
const (
	signalNone = iota
	signalAlloc
	signalGrowth
	signalGC
)

// indexBuilder accumulates a profile by interned function and site ids:
// profiles repeat the same locations in thousands of samples, so every
// name and path is resolved once per location, and per-sample
// deduplication (recursion must count once) uses stamps, not maps.
type indexBuilder struct {
	moduleDir string
	fnIDs     map[string]int32
	siteIDs   map[Site]int32
	fnNames   []string
	fnSignal  []int8
	sites     []Site
	locs      map[*profile.Location][]iframe // locations with sparse IDs
	// dense caches locations by ID (profiles number them 1..n); done says
	// which entries are filled.
	dense  [][]iframe
	done   []bool
	frames []iframe

	fnFlat, fnCum, fnGrow      []int64
	fnStamp                    []int32
	siteFlat, siteCum, siteMal []int64
	siteStamp                  []int32
	callers                    map[[3]int32]*stamped
	gc, alloc                  int64
}

// iframe is an interned frame; site is -1 without a line number.
type iframe struct{ fn, site int32 }

// stamped is a value with the last sample that added to it.
type stamped struct {
	v     int64
	stamp int32
}

func newIndexBuilder(moduleDir string, nloc int) *indexBuilder {
	return &indexBuilder{
		dense:     make([][]iframe, nloc+1),
		done:      make([]bool, nloc+1),
		moduleDir: moduleDir,
		fnIDs:     map[string]int32{},
		siteIDs:   map[Site]int32{},
		locs:      map[*profile.Location][]iframe{},
		callers:   map[[3]int32]*stamped{},
	}
}

func (b *indexBuilder) fnID(name string) int32 {
	if id, ok := b.fnIDs[name]; ok {
		return id
	}
	id := int32(len(b.fnNames))
	b.fnIDs[name] = id
	b.fnNames = append(b.fnNames, name)
	sig := int8(signalNone)
	switch {
	case slices.Contains(allocFuncs, name):
		sig = signalAlloc
	case slices.Contains(stackGrowthFuncs, name):
		sig = signalGrowth
	case slices.Contains(gcFuncs, name):
		sig = signalGC
	}
	b.fnSignal = append(b.fnSignal, sig)
	b.fnFlat, b.fnCum, b.fnGrow = append(b.fnFlat, 0), append(b.fnCum, 0), append(b.fnGrow, 0)
	b.fnStamp = append(b.fnStamp, 0)
	return id
}

func (b *indexBuilder) siteID(s Site) int32 {
	if id, ok := b.siteIDs[s]; ok {
		return id
	}
	id := int32(len(b.sites))
	b.siteIDs[s] = id
	b.sites = append(b.sites, s)
	b.siteFlat, b.siteCum, b.siteMal = append(b.siteFlat, 0), append(b.siteCum, 0), append(b.siteMal, 0)
	b.siteStamp = append(b.siteStamp, 0)
	return id
}

// location returns the interned frames of loc, innermost first (a
// Location's Line slice lists inlined frames innermost first).
func (b *indexBuilder) location(loc *profile.Location) []iframe {
	dense := loc.ID < uint64(len(b.dense))
	if dense && b.done[loc.ID] {
		return b.dense[loc.ID]
	}
	if fs, ok := b.locs[loc]; !dense && ok {
		return fs
	}
	var fs []iframe
	for _, ln := range loc.Line {
		if ln.Function == nil {
			continue
		}
		f := iframe{fn: b.fnID(ln.Function.Name), site: -1}
		if ln.Line > 0 {
			f.site = b.siteID(Site{File: relFile(ln.Function.Filename, b.moduleDir), Line: int(ln.Line)})
		}
		fs = append(fs, f)
	}
	if dense {
		b.dense[loc.ID], b.done[loc.ID] = fs, true
	} else {
		b.locs[loc] = fs
	}
	return fs
}

// add accounts one sample of value v; stamp is unique per sample and never 0.
func (b *indexBuilder) add(s *profile.Sample, v int64, stamp int32) {
	b.frames = b.frames[:0]
	for _, loc := range s.Location {
		if loc != nil {
			b.frames = append(b.frames, b.location(loc)...)
		}
	}
	if len(b.frames) == 0 {
		return
	}
	leaf := b.frames[0]
	b.fnFlat[leaf.fn] += v
	if leaf.site >= 0 {
		b.siteFlat[leaf.site] += v
	}
	allocating, growing, gcing := false, false, false
	for i, f := range b.frames {
		sig := b.fnSignal[f.fn]
		switch sig {
		case signalAlloc:
			allocating = true
		case signalGrowth:
			growing = true
		case signalGC:
			gcing = true
		}
		if b.fnStamp[f.fn] != stamp {
			b.fnStamp[f.fn] = stamp
			b.fnCum[f.fn] += v
			if growing && sig != signalGrowth {
				b.fnGrow[f.fn] += v
			}
		}
		if f.site >= 0 && b.siteStamp[f.site] != stamp {
			b.siteStamp[f.site] = stamp
			b.siteCum[f.site] += v
			if allocating {
				b.siteMal[f.site] += v
			}
		}
		// frames[i+1] is the caller of f; recursion is not a call site
		// of interest (the loop to parallelize is outside it).
		if i+1 < len(b.frames) && b.frames[i+1].fn != f.fn {
			k := [3]int32{f.fn, b.frames[i+1].fn, b.frames[i+1].site}
			c := b.callers[k]
			if c == nil {
				c = &stamped{}
				b.callers[k] = c
			}
			if c.stamp != stamp {
				c.stamp = stamp
				c.v += v
			}
		}
	}
	if allocating {
		b.alloc += v
	}
	if gcing {
		b.gc += v
	}
}

// build fills ix's name-keyed tables from the interned accumulators.
func (b *indexBuilder) build(ix *SampleIndex) {
	for id, name := range b.fnNames {
		if w := (Weight{b.fnFlat[id], b.fnCum[id]}); w != (Weight{}) {
			ix.funcs[name] = w
		}
		if g := b.fnGrow[id]; g > 0 {
			ix.growCum[name] = g
		}
	}
	for id, s := range b.sites {
		if w := (Weight{b.siteFlat[id], b.siteCum[id]}); w != (Weight{}) {
			ix.lines[s] = w
		}
		if a := b.siteMal[id]; a > 0 {
			ix.allocCum[s] = a
		}
	}
	for k, c := range b.callers {
		callee := b.fnNames[k[0]]
		m := ix.callers[callee]
		if m == nil {
			m = map[callSite]int64{}
			ix.callers[callee] = m
		}
		var site Site
		if k[2] >= 0 {
			site = b.sites[k[2]]
		}
		m[callSite{b.fnNames[k[1]], site}] += c.v
	}
	ix.gc, ix.alloc = b.gc, b.alloc
}
