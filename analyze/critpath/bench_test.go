package critpath

import (
	"bytes"
	"io"
	"testing"

	"golang.org/x/exp/trace"
)

// benchRead reads td b.N times, reporting ns and bytes allocated per event.
func benchRead(b *testing.B, td []byte) *Graph {
	g, err := Read(bytes.NewReader(td))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(td)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Read(bytes.NewReader(td)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(g.Events), "ns/event")
	b.ReportMetric(float64(g.Events), "events")
	return g
}

// largestRecorded returns the largest trace of the recorded test programs.
func largestRecorded(b *testing.B) []byte {
	var td []byte
	for _, name := range []string{"cpusleep", "waitgroup", "chansleep", "selectclose"} {
		if t := recordTrace(b, name); len(t) > len(td) {
			td = t
		}
	}
	return td
}

// pingPongTrace is a real trace of about 8 MB, recorded by running
// testdata/pingpong (channel ping-pong under runtime/trace until its file
// reaches 8 MB): dense in goroutine transitions and wake edges.
func pingPongTrace(b *testing.B) []byte {
	return recordTrace(b, "pingpong", "CRITPATH_SIZE=8388608")
}

func BenchmarkReadRecorded(b *testing.B) { benchRead(b, largestRecorded(b)) }

func BenchmarkReadPingPong8MB(b *testing.B) { benchRead(b, pingPongTrace(b)) }

func BenchmarkPathPingPong8MB(b *testing.B) {
	g, err := Read(bytes.NewReader(pingPongTrace(b)))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var n int
	for b.Loop() {
		p, err := g.Path()
		if err != nil {
			b.Fatal(err)
		}
		n = len(p)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(g.Events), "ns/event")
	b.ReportMetric(float64(n), "segments")
}

func BenchmarkWhatIfPingPong8MB(b *testing.B) {
	g, err := Read(bytes.NewReader(pingPongTrace(b)))
	if err != nil {
		b.Fatal(err)
	}
	scale := FuncSpeedup(g, "main.main.func1", 2)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := g.WhatIf(g.Main, g.End, scale); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(g.Events), "ns/event")
}

func BenchmarkInFlightPingPong8MB(b *testing.B) {
	g, err := Read(bytes.NewReader(pingPongTrace(b)))
	if err != nil {
		b.Fatal(err)
	}
	path, err := g.Path()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		NewConcurrency(g).InFlight(path)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(g.Events), "ns/event")
}

// BenchmarkParseOnlyPingPong8MB is the floor: x/exp/trace reading the same
// trace with nothing done per event.
func BenchmarkParseOnlyPingPong8MB(b *testing.B) {
	td := pingPongTrace(b)
	b.SetBytes(int64(len(td)))
	b.ReportAllocs()
	var n int
	for b.Loop() {
		tr, err := trace.NewReader(bytes.NewReader(td))
		if err != nil {
			b.Fatal(err)
		}
		n = 0
		for {
			_, err := tr.ReadEvent()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/event")
}
